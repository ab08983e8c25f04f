package ledger

import (
	"context"
	"time"

	"github.com/tallycredit/tally"
)

// Tokens keeps API tokens; their revocations are append-only.
type Tokens interface {
	// InsertToken stores a token and sets its ID; a Hash already stored is
	// a conflict.
	InsertToken(ctx context.Context, t *tally.Token) error
	// TokenByHash returns a token by its secret's hash, revoked or expired too.
	TokenByHash(ctx context.Context, hash []byte) (*tally.Token, error)
	// Tokens returns up to limit tokens with IDs greater than after, by ID.
	Tokens(ctx context.Context, after int64, limit int) ([]tally.Token, error)
	// RevokeToken records that a token was revoked at an instant; revoking
	// again keeps the first instant. An unknown ID is ENotFound.
	RevokeToken(ctx context.Context, id int64, at time.Time, by string) error
}

// AccessLog keeps who read or changed what about a subject; it is
// append-only.
type AccessLog interface {
	// InsertAccess appends an access-log entry and sets its ID.
	InsertAccess(ctx context.Context, a *tally.Access) error
	// InsertAccesses appends many entries, as imports write them, and sets
	// their IDs.
	InsertAccesses(ctx context.Context, as []*tally.Access) error
	// AccessLog returns up to limit of a subject's access entries with IDs
	// greater than after, by ID.
	AccessLog(ctx context.Context, subjectID int64, after int64, limit int) ([]tally.Access, error)
}
