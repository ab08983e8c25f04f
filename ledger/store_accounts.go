package ledger

import (
	"context"
	"time"

	"github.com/tallycredit/tally"
)

// Accounts keeps the people who sign in to the web pages. Accounts,
// passwords and disablements are append-only.
type Accounts interface {
	// InsertAccount stores an account with its first password and sets
	// its ID; a Name already used is a conflict.
	InsertAccount(ctx context.Context, a *tally.Account) error
	// AccountByName and AccountByID return an account with its latest
	// password and its disablement, if any.
	AccountByName(ctx context.Context, name string) (*tally.Account, error)
	AccountByID(ctx context.Context, id int64) (*tally.Account, error)
	// Accounts returns up to limit accounts with IDs greater than after, by ID.
	Accounts(ctx context.Context, after int64, limit int) ([]tally.Account, error)
	// SetPassword appends a new password for an account; an unknown ID is
	// ENotFound.
	SetPassword(ctx context.Context, accountID int64, hash string, at time.Time, by string) error
	// DisableAccount records that an account may no longer sign in;
	// disabling again keeps the first instant. An unknown ID is ENotFound.
	DisableAccount(ctx context.Context, accountID int64, at time.Time, by string) error
}

// Sessions keeps web sign-ins; sessions and their ends are append-only.
type Sessions interface {
	// InsertSession stores a session; a Hash already stored is a conflict.
	InsertSession(ctx context.Context, s *tally.Session) error
	// SessionByHash returns a session, ended or expired too.
	SessionByHash(ctx context.Context, hash []byte) (*tally.Session, error)
	// EndSession records a sign-out; ending again keeps the first instant.
	// An unknown hash is ENotFound.
	EndSession(ctx context.Context, hash []byte, at time.Time) error
}

// Evidence keeps uploaded evidence files and the items that bind them to
// records; it is append-only.
type Evidence interface {
	// InsertEvidence stores a file; the same Hash again is a conflict.
	InsertEvidence(ctx context.Context, e *tally.Evidence) error
	EvidenceByHash(ctx context.Context, hash string) (*tally.Evidence, error)
	// InsertEvidenceItem stores an unbound item and sets its ID.
	InsertEvidenceItem(ctx context.Context, it *tally.EvidenceItem) error
	// UploadedEvidence returns the oldest item of a file uploaded by one
	// person for one scheme that no record cites yet; when every such item
	// is bound, one of them (RecordID set); ENotFound when there is none.
	UploadedEvidence(ctx context.Context, scheme, hash, by string) (*tally.EvidenceItem, error)
	// BindEvidence binds an item to the record that cites it, once: an item
	// or a record already bound is a conflict.
	BindEvidence(ctx context.Context, itemID, recordID int64) error
	// EvidenceOfRecord returns the item bound to a record, or ENotFound.
	EvidenceOfRecord(ctx context.Context, recordID int64) (*tally.EvidenceItem, error)
}
