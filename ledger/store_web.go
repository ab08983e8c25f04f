package ledger

import (
	"context"
	"time"

	"github.com/tallycredit/tally"
)

// WebTx is the part of a transaction that the web pages need beyond the
// ledger: accounts, sessions, evidence files, and the lists a page shows.
// Accounts, passwords, disablements, sessions, their ends and evidence are
// append-only.
type WebTx interface {
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

	// InsertSession stores a session; a Hash already stored is a conflict.
	InsertSession(ctx context.Context, s *tally.Session) error
	// SessionByHash returns a session, ended or expired too.
	SessionByHash(ctx context.Context, hash []byte) (*tally.Session, error)
	// EndSession records a sign-out; ending again keeps the first instant.
	// An unknown hash is ENotFound.
	EndSession(ctx context.Context, hash []byte, at time.Time) error

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

	// RecordsRecorded returns up to f.Limit records, reversals included,
	// recorded in [f.From, f.To), newest first (by ID descending).
	RecordsRecorded(ctx context.Context, f RecordFilter) ([]tally.Record, error)
	// SearchEnrolled finds up to limit subjects enrolled in a scheme whose
	// name contains text, whose unit contains text, or whose masked
	// identifier ends with it (case-insensitive), by subject ID.
	SearchEnrolled(ctx context.Context, scheme, text string, limit int) ([]Enrolled, error)
	// EnrolmentsOf returns every enrolment of a subject, by scheme, each
	// with its latest consent.
	EnrolmentsOf(ctx context.Context, subjectID int64) ([]tally.Enrolment, error)
	// RuleCounts counts a scheme's original, unreversed records per rule
	// that happened in [from, to).
	RuleCounts(ctx context.Context, scheme string, from, to time.Time) (map[string]int64, error)
}

// RecordFilter selects records by who recorded them and when.
type RecordFilter struct {
	Scheme     string // "" for every scheme
	RecordedBy string // "" for anyone
	From, To   time.Time
	Limit      int
}

// Enrolled is a subject found by a search, with its enrolment.
type Enrolled struct {
	Subject   tally.Subject
	Enrolment tally.Enrolment
}
