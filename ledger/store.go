package ledger

import (
	"context"

	"github.com/tallycredit/tally"
)

// Store is the storage the ledger needs. Implementations: sqlite.DB and
// postgres.DB; storetest holds the contract each must pass.
//
// Methods that look one thing up return an *tally.Error with code
// tally.ENotFound when it does not exist, never a nil value and nil error.
// Inserts of something that already exists return code tally.EConflict.
// Times go in and come out as the same instant with at least microsecond
// precision (their location need not survive).
type Store interface {
	// Update runs fn in one read-write transaction, committed when fn
	// returns nil and rolled back otherwise. A store may run fn again after
	// a serialization failure or deadlock, so fn must only set its results.
	// After an error other than EConflict the transaction may be spoilt (on
	// PostgreSQL it is): fn must then return an error, not carry on.
	Update(ctx context.Context, fn func(Tx) error) error
	// View runs fn in one read-only transaction with a consistent snapshot.
	View(ctx context.Context, fn func(Tx) error) error
}

// Tx is what a transaction can read and write: the union of the small
// interfaces of store*.go, which a store implements and Update and View
// hand over. Each step of a use case declares the few it touches. A Tx is
// not safe for concurrent use and is valid only inside the function it was
// passed to.
type Tx interface {
	Meta
	Rulebooks
	Subjects
	Locks
	Enrolments
	Records
	RecordReads
	BatchReads
	Scores
	RecordCounts
	Tokens
	AccessLog
	AccessArchive
	Idempotency
	Savepoints
	Accounts
	Sessions
	Evidence
	Catalogue
	ListEntries
	CheckCounts
	Holds
	Objections
	Repairs
	Notices
	Contacts
	Closes
	CloseSheets
	Periods
	Publications
	Reports
	KioskCodes
	Calendars
	Commitments
	Cascades
	Proposals
	Exchange
	TransLog
}

// Meta keeps the deployment's settings stored in the database.
type Meta interface {
	// Meta returns a deployment setting stored in the database.
	Meta(ctx context.Context, name string) (string, error)
	SetMeta(ctx context.Context, name, value string) error
}

// Rulebooks keeps the published versions of each scheme's rulebook.
type Rulebooks interface {
	// InsertRulebook stores a new version; a version that exists is a conflict.
	InsertRulebook(ctx context.Context, v *tally.RulebookVersion) error
	// Rulebooks returns every version of a scheme, oldest first; none is
	// an empty slice, not an error.
	Rulebooks(ctx context.Context, scheme string) ([]tally.RulebookVersion, error)
	// RulebookDigests returns the digest of every version of a scheme,
	// oldest first, without their sources: enough to tell whether the
	// versions a Service compiled are still all there are.
	RulebookDigests(ctx context.Context, scheme string) ([]string, error)
	// Schemes returns the id of every scheme with a published rulebook, sorted.
	Schemes(ctx context.Context) ([]string, error)
}

// Locks makes writers take turns.
type Locks interface {
	// LockSubject serialises writers for one subject in one scheme until
	// the transaction ends, so that caps and idempotency hold under
	// concurrent writers. A store that serialises all writers may do nothing.
	LockSubject(ctx context.Context, scheme string, subjectID int64) error
	// LockSubjects is LockSubject for many subjects of one scheme, in as
	// few round trips as the store can and always in one order, so that
	// two transactions locking overlapping sets cannot deadlock.
	LockSubjects(ctx context.Context, scheme string, subjectIDs []int64) error
}
