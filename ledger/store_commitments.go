package ledger

import (
	"context"
	"time"

	"github.com/tallycredit/tally"
)

// Commitments keeps credit commitments and their settlements, append-only:
// a commitment is settled once, by a row of its own.
type Commitments interface {
	// InsertCommitment stores a signed commitment and sets its ID.
	InsertCommitment(ctx context.Context, c *tally.Commitment) error
	// InsertSettlement settles a commitment; settling it twice is a
	// conflict, an unknown commitment ENotFound.
	InsertSettlement(ctx context.Context, s *tally.Settlement) error
	// Commitment returns a commitment with its settlement, or ENotFound.
	Commitment(ctx context.Context, id int64) (*tally.Commitment, error)
	// Commitments returns up to limit commitments with IDs above after, by
	// ID, each with its settlement, as the filter selects.
	Commitments(ctx context.Context, f CommitmentFilter) ([]tally.Commitment, error)
}

// CommitmentFilter selects commitments: Schemes, SubjectID, After and
// Limit as for DueFilter (Open: not settled), and with DueBy set only
// those whose day ended at or before it (DueEnd <= DueBy).
type CommitmentFilter struct {
	DueFilter
	DueBy time.Time
}
