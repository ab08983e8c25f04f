package ledger

import (
	"context"
	"time"

	"github.com/tallycredit/tally"
)

// Subjects keeps the people and organisations records are about.
type Subjects interface {
	// InsertSubject stores a subject and sets its ID; a subject with the
	// same Lookup is a conflict.
	InsertSubject(ctx context.Context, s *tally.Subject) error
	SubjectByLookup(ctx context.Context, lookup []byte) (*tally.Subject, error)
	SubjectByID(ctx context.Context, id int64) (*tally.Subject, error)
}

// Enrolments keeps who is enrolled in which scheme, with their consents.
type Enrolments interface {
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
	// EnrolmentsOf returns every enrolment of a subject, by scheme, each
	// with its latest consent.
	EnrolmentsOf(ctx context.Context, subjectID int64) ([]tally.Enrolment, error)
	// SearchEnrolled finds up to limit subjects enrolled in a scheme whose
	// name contains text, whose unit contains text, or whose masked
	// identifier ends with it (case-insensitive), by subject ID.
	SearchEnrolled(ctx context.Context, scheme, text string, limit int) ([]Enrolled, error)
}

// Enrolled is a subject found by a search, with its enrolment.
type Enrolled struct {
	Subject   tally.Subject
	Enrolment tally.Enrolment
}

// Records appends to the history of records, which is append-only.
type Records interface {
	// InsertRecord appends a record and sets its ID; a Ref already used in
	// the scheme, or a second reversal of one record, is a conflict.
	InsertRecord(ctx context.Context, r *tally.Record) error
	// InsertRecords appends records in order and sets their IDs, in as few
	// round trips as the store can: it is how imports write a batch. Any
	// conflict fails the call, after which the caller rolls back.
	InsertRecords(ctx context.Context, rs []*tally.Record) error
}

// RecordReads finds records as they were written, reversals included.
type RecordReads interface {
	RecordByID(ctx context.Context, id int64) (*tally.Record, error)
	RecordByRef(ctx context.Context, scheme, ref string) (*tally.Record, error)
	// RecordsByRefs returns the records of a scheme whose Ref is among
	// refs, in any order; refs not used are simply absent. Imports ask once
	// per batch instead of once per row.
	RecordsByRefs(ctx context.Context, scheme string, refs []string) ([]tally.Record, error)
	// ReversalOf returns the record that reverses record id.
	ReversalOf(ctx context.Context, id int64) (*tally.Record, error)
	// History returns up to limit of the subject's records in a scheme,
	// reversals included, with IDs greater than after, by ID.
	History(ctx context.Context, scheme string, subjectID int64, after int64, limit int) ([]tally.Record, error)
	// RecordsRecorded returns up to f.Limit records, reversals included,
	// recorded in [f.From, f.To), newest first (by ID descending).
	RecordsRecorded(ctx context.Context, f RecordFilter) ([]tally.Record, error)
}

// RecordFilter selects records by who recorded them and when.
type RecordFilter struct {
	Scheme     string // "" for every scheme
	RecordedBy string // "" for anyone
	From, To   time.Time
	Limit      int
}

// Scores reads the records that count in a subject's score.
//
// They honour due process (see Holds and Repairs): a record held without a
// decision counts in no score (InEffect, PointsInEffect), and neither does
// one an approved repair ended at or before the instant. SumAwarded still
// counts a held record, so that its approval can never push a rule past
// its cap.
type Scores interface {
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
}

// RecordCounts counts a scheme's subjects and records for statistics.
type RecordCounts interface {
	// Counts returns how many subjects are enrolled in a scheme and how
	// many records it holds (reversals included).
	Counts(ctx context.Context, scheme string) (subjects, records int64, err error)
	// RuleCounts counts a scheme's original, unreversed records per rule
	// that happened in [from, to).
	RuleCounts(ctx context.Context, scheme string, from, to time.Time) (map[string]int64, error)
}
