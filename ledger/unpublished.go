package ledger

import (
	"context"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/rulebook"
)

// A minor deduction whose rule says publish: false never leaves the
// office: it counts in the office's own score, pages and sheets, but the
// credit report, the honour board and what verifiers receive are written
// as if it were not there. (The check index holds list entries only, so no
// record reaches a verifier's check.)

// unpublished reports whether a record is kept in the office, by its rule
// as published in the record's version.
func unpublished(vs []Version, r *tally.Record) bool {
	if r.Version < 1 || r.Version > len(vs) {
		return false
	}
	rule, ok := vs[r.Version-1].Book.Rule(r.Rule)
	return ok && rule.Unpublished
}

// published returns the records that may leave the office, in order.
func published(vs []Version, records []tally.Record) []tally.Record {
	out := make([]tally.Record, 0, len(records))
	for i := range records {
		if !unpublished(vs, &records[i]) {
			out = append(out, records[i])
		}
	}
	return out
}

// keepsUnpublished reports whether any version of a scheme has a rule
// kept in the office, so that public views of other schemes read nothing
// more.
func keepsUnpublished(vs []Version) bool {
	for _, v := range vs {
		for _, r := range v.Book.Rules {
			if r.Unpublished {
				return true
			}
		}
	}
	return false
}

// publicClosing returns a close row's closing score and marks without the
// deductions kept in the office that counted at the close's instant.
func (s *Service) publicClosing(ctx context.Context, c *tally.Close, vs []Version, book *rulebook.Book, r *tally.CloseRow) (int64, tally.Marks, error) {
	closing, marks := *r.Closing, tally.Marks{Flags: r.Flags, Stars: r.Stars}
	if !keepsUnpublished(vs) {
		return closing, marks, nil
	}
	err := s.store.View(ctx, func(tx Tx) error {
		records, err := tx.PointsInEffect(ctx, c.Scheme, r.SubjectID, c.AsOf)
		for i := range records {
			if unpublished(vs, &records[i]) {
				closing -= records[i].Awarded
			}
		}
		return err
	})
	if book.Board != nil {
		marks = book.Board.Draw(closing)
	}
	return closing, marks, err
}
