package ledger

import (
	"context"
	"time"

	"github.com/tallycredit/tally"
)

// Store is the storage the ledger needs. Implementations: sqlite.DB (and,
// later, postgres.DB); storetest holds the contract each must pass.
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

// Tx is what a transaction can read and write. A Tx is not safe for
// concurrent use and is valid only inside the function it was passed to.
type Tx interface {
	AccessTx
	IdempotencyTx
	WebTx
	ListTx
	DueTx
	CloseTx

	// Meta returns a deployment setting stored in the database.
	Meta(ctx context.Context, name string) (string, error)
	SetMeta(ctx context.Context, name, value string) error

	// InsertRulebook stores a new version; a version that exists is a conflict.
	InsertRulebook(ctx context.Context, v *tally.RulebookVersion) error
	// Rulebooks returns every version of a scheme, oldest first; none is
	// an empty slice, not an error.
	Rulebooks(ctx context.Context, scheme string) ([]tally.RulebookVersion, error)
	// Schemes returns the id of every scheme with a published rulebook, sorted.
	Schemes(ctx context.Context) ([]string, error)

	// InsertSubject stores a subject and sets its ID; a subject with the
	// same Lookup is a conflict.
	InsertSubject(ctx context.Context, s *tally.Subject) error
	SubjectByLookup(ctx context.Context, lookup []byte) (*tally.Subject, error)
	SubjectByID(ctx context.Context, id int64) (*tally.Subject, error)

	// InsertEnrolment stores an enrolment without its consent; enrolling
	// twice is a conflict.
	InsertEnrolment(ctx context.Context, e *tally.Enrolment) error
	// Enrolment returns an enrolment with its latest consent (by At, then
	// by insertion order); with no consent recorded, Consent is zero.
	Enrolment(ctx context.Context, scheme string, subjectID int64) (*tally.Enrolment, error)
	// Enrolments returns up to limit enrolments of a scheme with subject
	// IDs greater than after, by subject ID, each with its latest consent.
	Enrolments(ctx context.Context, scheme string, after int64, limit int) ([]tally.Enrolment, error)
	// InsertConsent appends a consent decision.
	InsertConsent(ctx context.Context, c *tally.Consent) error

	// LockSubject serialises writers for one subject in one scheme until
	// the transaction ends, so that caps and idempotency hold under
	// concurrent writers. A store that serialises all writers may do nothing.
	LockSubject(ctx context.Context, scheme string, subjectID int64) error

	// InsertRecord appends a record and sets its ID; a Ref already used in
	// the scheme, or a second reversal of one record, is a conflict.
	InsertRecord(ctx context.Context, r *tally.Record) error
	// InsertRecords appends records in order and sets their IDs, in as few
	// round trips as the store can: it is how imports write a batch. Any
	// conflict fails the call, after which the caller rolls back.
	InsertRecords(ctx context.Context, rs []*tally.Record) error
	RecordByID(ctx context.Context, id int64) (*tally.Record, error)
	RecordByRef(ctx context.Context, scheme, ref string) (*tally.Record, error)
	// RecordsByRefs returns the records of a scheme whose Ref is among
	// refs, in any order; refs not used are simply absent. Imports ask once
	// per batch instead of once per row.
	RecordsByRefs(ctx context.Context, scheme string, refs []string) ([]tally.Record, error)
	// ReversalOf returns the record that reverses record id.
	ReversalOf(ctx context.Context, id int64) (*tally.Record, error)
	// SumAwarded adds the Awarded points of the subject's original,
	// unreversed records of one rule that happened in [from, to).
	SumAwarded(ctx context.Context, scheme string, subjectID int64, rule string, from, to time.Time) (int64, error)
	// InEffect returns the subject's records that count at instant at
	// (tally.Record.Counts), by HappenedAt then ID.
	InEffect(ctx context.Context, scheme string, subjectID int64, at time.Time) ([]tally.Record, error)
	// PointsInEffect is InEffect with only what a score needs: each
	// record's ID, Scheme, Version, SubjectID, Rule, HappenedAt, Awarded and
	// ExpiresAt; the other fields are zero. Scores read it, explanations
	// read InEffect.
	PointsInEffect(ctx context.Context, scheme string, subjectID int64, at time.Time) ([]tally.Record, error)
	// History returns up to limit of the subject's records in a scheme,
	// reversals included, with IDs greater than after, by ID.
	History(ctx context.Context, scheme string, subjectID int64, after int64, limit int) ([]tally.Record, error)
	// Counts returns how many subjects are enrolled in a scheme and how
	// many records it holds (reversals included).
	Counts(ctx context.Context, scheme string) (subjects, records int64, err error)
}
