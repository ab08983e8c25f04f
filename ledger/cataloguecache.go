package ledger

import "github.com/tallycredit/tally/rulebook"

// loadedCatalogue is the sanctions catalogue last loaded, with the version
// and digest it was loaded from: a published version never changes, so
// the same digest means the same catalogue, and it is not parsed again
// (a denied check reads it for its notice).
type loadedCatalogue struct {
	version int
	digest  string
	cat     *rulebook.Catalogue
}

// keptCatalogue returns the catalogue last loaded if it is version with
// digest.
func (s *Service) keptCatalogue(version int, digest string) (*rulebook.Catalogue, bool) {
	c := s.lastCatalogue.Load()
	if c == nil || c.version != version || c.digest != digest || digest == "" {
		return nil, false
	}
	return c.cat, true
}
