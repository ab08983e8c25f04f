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
	// LateRecords returns the IDs of the scheme's original, unreversed
	// records that happened before `before` and were recorded after
	// recordedAfter, by ID.
	LateRecords(ctx context.Context, scheme string, before, recordedAfter time.Time) ([]int64, error)
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
