package ledger

import "slices"

// compiledVersions returns the versions of scheme kept by keepVersions if
// digests, read in the current transaction, are still theirs: the same
// versions in the same order. Published versions never change, so equal
// digests mean equal versions.
func (s *Service) compiledVersions(scheme string, digests []string) ([]Version, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	vs, ok := s.schemes[scheme]
	if !ok || len(vs) != len(digests) {
		return nil, false
	}
	for i := range vs {
		if vs[i].Digest != digests[i] {
			return nil, false
		}
	}
	return slices.Clone(vs), true
}

// keepVersions remembers a scheme's versions, so that reads need not read
// their sources again until a new version is published.
func (s *Service) keepVersions(scheme string, vs []Version) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.schemes[scheme] = slices.Clone(vs)
}
