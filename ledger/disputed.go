package ledger

import (
	"context"
	"slices"
	"time"

	"github.com/tallycredit/tally"
)

// markDisputed marks the entries whose record an objection or appeal holds
// under dispute at instant at (tally.Objection.Disputes), in one read.
func markDisputed(ctx context.Context, tx Objections, at time.Time, es ...*Entry) error {
	if len(es) == 0 {
		return nil
	}
	d, err := tx.Disputed(ctx, subjectsOf(es, func(e *Entry) int64 { return e.SubjectID }), at)
	if err != nil {
		return err
	}
	for _, e := range es {
		e.Disputed = d.Record(e.ID)
	}
	return nil
}

// disputedEntries returns the list entries of a subject that an objection
// or appeal holds under dispute at instant at.
func disputedEntries(ctx context.Context, tx Objections, subjectID int64, at time.Time) (tally.Disputed, error) {
	return tx.Disputed(ctx, []int64{subjectID}, at)
}

// subjectsOf returns the distinct subject IDs of xs, in order.
func subjectsOf[T any](xs []T, subject func(T) int64) []int64 {
	var ids []int64
	for _, x := range xs {
		if id := subject(x); !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids
}

// pointers returns a pointer to each element of es.
func pointers(es []Entry) []*Entry {
	out := make([]*Entry, len(es))
	for i := range es {
		out[i] = &es[i]
	}
	return out
}
