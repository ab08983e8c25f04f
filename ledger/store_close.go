package ledger

import (
	"context"
	"time"

	"github.com/tallycredit/tally"
)

// Closes, consents to publication, issued credit reports and kiosk codes
// are append-only. Ranges of subjects are half-open: IDs greater than
// after and at most last.

// Closes writes period closes and finds them.
type Closes interface {
	// InsertClose stores a close's header; one for the same scheme and
	// period is EConflict. Rows, totals and late records follow in the
	// same transaction.
	InsertClose(ctx context.Context, c *tally.Close) error
	// InsertCloseRows appends a batch of a close's rows.
	InsertCloseRows(ctx context.Context, scheme, period string, rows []tally.CloseRow) error
	// InsertCloseTotals appends a close's category totals.
	InsertCloseTotals(ctx context.Context, scheme, period string, totals []tally.CategoryTotal) error
	// InsertCloseLate appends the IDs of the late records a close lists.
	InsertCloseLate(ctx context.Context, scheme, period string, recordIDs []int64) error
	// CloseOf returns a close's header, or ENotFound.
	CloseOf(ctx context.Context, scheme, period string) (*tally.Close, error)
	// Closes returns a scheme's closes, by period.
	Closes(ctx context.Context, scheme string) ([]tally.Close, error)
}

// CloseSheets reads what a close holds: its rows, totals and late records.
type CloseSheets interface {
	// CloseRows returns up to limit rows of a close for subjects in
	// (after, last], by subject ID.
	CloseRows(ctx context.Context, scheme, period string, after, last int64, limit int) ([]tally.CloseRow, error)
	// CloseTotals returns a close's totals by unit, then category.
	CloseTotals(ctx context.Context, scheme, period string) ([]tally.CategoryTotal, error)
	// CloseCounts counts a close's scored rows by grade and flags, by
	// grade then flags: the aggregate behind the public charts.
	CloseCounts(ctx context.Context, scheme, period string) ([]tally.CloseCount, error)
	// CloseLate returns the late records a close lists, by ID.
	CloseLate(ctx context.Context, scheme, period string) ([]tally.Record, error)
}

// Periods reads a page of a scheme's subjects and the records a close
// computes their period from.
type Periods interface {
	// EnrolledSubjects returns the subjects in (after, last] enrolled in a
	// scheme, by ID.
	EnrolledSubjects(ctx context.Context, scheme string, after, last int64) ([]tally.Subject, error)
	// WindowRecords returns the records of the subjects in (after, last]
	// that count at some instant of [from, to] (tally.Record.Counts), or
	// would but for an approved repair: originals nobody reversed, not
	// held without a decision, that happened at or before to and expire
	// after from (or never). Each has only ID, Version, SubjectID, Rule,
	// HappenedAt, Awarded and ExpiresAt, which is its Until (the earlier
	// of its expiry and its repair's approval): its standing is folded
	// into its fields, so Counts with a zero Standing says when it counts.
	// They come by subject ID, HappenedAt, ID. One query gives a page of
	// subjects' opening and closing scores and their period's gains and
	// losses.
	WindowRecords(ctx context.Context, scheme string, after, last int64, from, to time.Time) ([]tally.Record, error)
	// CloseSubjects returns up to limit of the subjects enrolled in a
	// scheme after the ID after, by ID, each with its enrolment (and
	// latest consent), its latest decision about the honour board, and its
	// closing score in the close of period previous, if that close scored
	// it. One query reads a close's page of subjects.
	CloseSubjects(ctx context.Context, scheme string, after int64, limit int, previous string) ([]CloseSubject, error)
	// PeriodSums returns, for the subjects in (after, last], the sums of
	// the originals that would count at some instant of [w.OpenAt, w.AsOf]
	// by their own fields alone (as if nobody had reversed, held or
	// repaired them), one per subject and rule, by subject ID; with
	// byVersion, one per subject, version and rule. One query reads a
	// page of subjects' records in one ordered pass (byVersion adds a
	// sort, for the rare page whose rules changed category between the
	// versions it sums); StandingRecords names the few records whose
	// standing changes that.
	PeriodSums(ctx context.Context, scheme string, after, last int64, w Window, byVersion bool) ([]RuleSums, error)
	// StandingRecords returns the scheme's originals that PeriodSums sums
	// (for every subject) and that were reversed, are held without a
	// decision, or had a repair approved, each with its Standing, by
	// subject ID, then ID. Each has the fields WindowRecords gives, with
	// its own ExpiresAt.
	StandingRecords(ctx context.Context, scheme string, w Window) ([]StandingRecord, error)
	// LateRecords returns the IDs of the scheme's original, unreversed
	// records that happened before `before` and were recorded after
	// recordedAfter, by ID.
	LateRecords(ctx context.Context, scheme string, before, recordedAfter time.Time) ([]int64, error)
}

// Window is the instants a close reads its period at: the period starts
// at Starts; opening scores are taken at OpenAt (just before Starts) and
// closing ones at AsOf (just before the period ends).
type Window struct {
	Starts, OpenAt, AsOf time.Time
}

// RuleSums sums one subject's records of one rule over a close's Window:
// points that count at OpenAt and at AsOf, and the gains (points of 0 or
// more), losses and number of the records that happened in the period.
// The records are of versions FirstVersion to Version.
type RuleSums struct {
	SubjectID              int64
	FirstVersion, Version  int
	Rule                   string
	Opening, Closing       int64
	Gains, Losses, Records int64
}

// StandingRecord is a record with what the ledger knows of it beyond its
// fields.
type StandingRecord struct {
	tally.Record
	Standing tally.Standing
}

// CloseSubject is one line of a close's page of subjects: the subject
// with its enrolment, whether it consents to the honour board, and its
// closing score in the previous close (nil if none, or it was not scored).
type CloseSubject struct {
	Enrolled
	Published bool
	Previous  *int64
}

// Publications keeps subjects' decisions about appearing on the honour
// board.
type Publications interface {
	// InsertPublicationConsent appends a decision about appearing on the
	// honour board; an enrolment that does not exist is ENotFound.
	InsertPublicationConsent(ctx context.Context, c *tally.Consent) error
	// Published returns, for the subjects in (after, last] enrolled in a
	// scheme, those whose latest publication decision (by At, then by
	// insertion) gives consent.
	Published(ctx context.Context, scheme string, after, last int64) (map[int64]bool, error)
}

// Reports keeps issued credit reports.
type Reports interface {
	// InsertReport stores an issued report; a code used before is EConflict.
	InsertReport(ctx context.Context, r *tally.IssuedReport) error
	// ReportByCode returns an issued report, or ENotFound.
	ReportByCode(ctx context.Context, code string) (*tally.IssuedReport, error)
}

// KioskCodes keeps the one-time codes with which subjects print their own
// credit report at the kiosk.
type KioskCodes interface {
	// InsertKioskCode stores a one-time code and sets its ID; a hash used
	// before is EConflict.
	InsertKioskCode(ctx context.Context, c *tally.KioskCode) error
	// KioskCodeByHash returns a code with its use, if any, or ENotFound.
	KioskCodeByHash(ctx context.Context, hash []byte) (*tally.KioskCode, error)
	// UseKioskCode records the use of a code; a second use is EConflict.
	UseKioskCode(ctx context.Context, id int64, at time.Time) error
}
