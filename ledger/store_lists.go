package ledger

import (
	"context"
	"time"

	"github.com/tallycredit/tally"
)

// Catalogue keeps the versions of the sanctions catalogue, append-only.
type Catalogue interface {
	// InsertCatalogue stores a new catalogue version; a version that exists
	// is a conflict.
	InsertCatalogue(ctx context.Context, c *tally.CatalogueVersion) error
	// LatestCatalogue returns the latest catalogue version, or ENotFound.
	LatestCatalogue(ctx context.Context) (*tally.CatalogueVersion, error)
}

// ListEntries keeps list entries and their removals, both append-only.
type ListEntries interface {
	// InsertListEntry appends an entry and sets its ID; a case number
	// already used in the list is a conflict.
	InsertListEntry(ctx context.Context, e *tally.ListEntry) error
	// ListEntryByCase returns the entry of a list with a case number, with
	// its removal if any, or ENotFound.
	ListEntryByCase(ctx context.Context, list, caseNumber string) (*tally.ListEntry, error)
	// ListEntriesOf returns a subject's entries with their removals, by ID.
	ListEntriesOf(ctx context.Context, subjectID int64) ([]tally.ListEntry, error)
	// ScanListEntries calls fn, by ID, for every entry with an ID greater
	// than after whose term ends after endsAfter, without its removal. The
	// entry passed to fn is reused: fn must copy what it keeps. It is how
	// the check index loads and catches up.
	ScanListEntries(ctx context.Context, after int64, endsAfter time.Time, fn func(*tally.ListEntry) error) error

	// InsertRemoval appends a removal and sets its ID; a second removal of
	// one entry is a conflict, and an unknown entry ENotFound.
	InsertRemoval(ctx context.Context, r *tally.ListRemoval) error
	// ScanRemovals calls fn, by ID, for every removal with an ID greater
	// than after.
	ScanRemovals(ctx context.Context, after int64, fn func(tally.ListRemoval) error) error
}

// CheckCounts keeps the daily statistics of list checks.
type CheckCounts interface {
	// AddCheckCounts adds each count to the counters of its day and measure.
	AddCheckCounts(ctx context.Context, counts []tally.CheckCount) error
	// CheckCounts returns the counters of the days from through to
	// (YYYY-MM-DD, inclusive), by day then measure.
	CheckCounts(ctx context.Context, from, to string) ([]tally.CheckCount, error)
}
