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

// AccessArchive moves access-log entries past their retention period to
// the archive, where AccessLog still reads them; nothing is deleted.
type AccessArchive interface {
	// CountArchivable returns how many entries older than before
	// ArchiveAccess would move.
	CountArchivable(ctx context.Context, before time.Time) (int64, error)
	// ArchiveAccess moves up to limit entries older than before, with IDs
	// greater than after, to the archive, marked as moved at at; it returns
	// how many it moved and the last ID it considered (after when none is
	// left). The newest entry of the log stays, so that IDs keep growing.
	ArchiveAccess(ctx context.Context, before, at time.Time, after int64, limit int) (int, int64, error)
}
