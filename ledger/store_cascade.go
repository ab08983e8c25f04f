package ledger

import (
	"context"
	"time"

	"github.com/tallycredit/tally"
)

// Cascades keeps the recorded revocations of source decisions (append-only)
// and finds what a source decision derived.
type Cascades interface {
	// InsertCascade appends a cascade and sets its ID; a source already
	// revoked is a conflict.
	InsertCascade(ctx context.Context, c *tally.Cascade) error
	// CascadeBySource returns the cascade of a source, or ENotFound.
	CascadeBySource(ctx context.Context, source string) (*tally.Cascade, error)
	// CascadeList returns the cascades by ID; with overdue, only those
	// recorded after their due time.
	CascadeList(ctx context.Context, overdue bool) ([]tally.Cascade, error)
	// ListEntriesByCase returns the entries of every list with a case
	// number, with their removals, by ID.
	ListEntriesByCase(ctx context.Context, caseNumber string) ([]tally.ListEntry, error)
	// CasesInEffect returns the case numbers of a list's entries that are
	// neither removed nor ended at at, by case number: what a full snapshot
	// of the list must name.
	CasesInEffect(ctx context.Context, list string, at time.Time) ([]string, error)
}
