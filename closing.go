package tally

import (
	"fmt"
	"time"
)

// Close is a scheme's period (a calendar month in the scheme's time zone)
// frozen: every enrolled subject's standing at the period's end, written
// once and never changed. Closing the same period again returns it as it
// was. Records that arrive later for a closed period count in scores as
// usual and are listed as late in the next close.
type Close struct {
	Scheme   string    `json:"scheme"`
	Period   string    `json:"period"`  // "2026-11"
	Version  int       `json:"version"` // the rulebook version in force at AsOf
	Starts   time.Time `json:"starts"`  // the period's first instant
	Ends     time.Time `json:"ends"`    // the instant after the period
	AsOf     time.Time `json:"as_of"`   // the period's last instant (Ends less a microsecond): when scores are taken
	ClosedAt time.Time `json:"closed_at"`
	ClosedBy string    `json:"closed_by"`
	Subjects int64     `json:"subjects"` // rows in the snapshot
	Records  int64     `json:"records"`  // the period's records that count (originals, unreversed)
	Late     int64     `json:"late"`     // records of earlier closed periods that arrived after their close
	Digest   string    `json:"digest"`   // SHA-256 over the rows, totals and late records, in order
}

// CloseRow is one subject's line of a close. Gains and Losses are the
// awarded points of the subject's records that happened in the period
// (originals not reversed when the period was closed); Opening and Closing
// are the scores at the instant before the period and at its last
// instant. Expired is what records that stopped counting in the period
// took away (or gave back): Closing = Opening + Gains + Losses + Expired.
// A subject that is not scored (no consent, a minor) has Scored false,
// Unscored saying why, and no scores, grade or marks; its records still
// count in Gains and Losses, which the sheet's totals add up.
type CloseRow struct {
	SubjectID int64  `json:"id"` // the store's subject ID: the cursor of a page of rows
	Unit      string `json:"unit"`
	Masked    string `json:"subject"`
	Name      string `json:"name"`
	Scored    bool   `json:"scored"`
	Unscored  string `json:"unscored,omitempty"`
	Opening   *int64 `json:"opening"`
	Gains     int64  `json:"gains"`
	Losses    int64  `json:"losses"`
	Expired   int64  `json:"expired"`
	Closing   *int64 `json:"closing"`
	Grade     string `json:"grade,omitempty"`
	Flags     int64  `json:"flags"`
	Stars     int64  `json:"stars"`
	Previous  *int64 `json:"previous"` // the closing score of the previous close, if the subject was in it and scored
	Records   int64  `json:"records"`  // the period's records that count
	Published bool   `json:"-"`        // the subject consented to publication when the period was closed
}

// Change is Closing less Previous; nil when either is missing.
func (r *CloseRow) Change() *int64 {
	if r.Closing == nil || r.Previous == nil {
		return nil
	}
	d := *r.Closing - *r.Previous
	return &d
}

// CategoryTotal sums a unit's period records of one rule category.
type CategoryTotal struct {
	Unit     string `json:"unit"`
	Category string `json:"category"`
	Gains    int64  `json:"gains"`
	Losses   int64  `json:"losses"`
	Records  int64  `json:"records"`
}

// CloseCount is how many scored subjects of a close hold one grade with
// one number of flags.
type CloseCount struct {
	Grade    string `json:"grade"`
	Flags    int64  `json:"flags"`
	Subjects int64  `json:"subjects"`
}

// Period is a calendar month, "2006-01". ParsePeriod checks the form.
type Period string

// ParsePeriod accepts "YYYY-MM".
func ParsePeriod(s string) (Period, error) {
	if _, err := time.Parse("2006-01", s); err != nil || len(s) != 7 {
		return "", &Error{Code: EInvalid, Field: "period", Message: fmt.Sprintf("%q is not a month: use YYYY-MM, e.g. 2026-11", s)}
	}
	return Period(s), nil
}

// Bounds returns the period's first instant and the instant after it, in loc.
func (p Period) Bounds(loc *time.Location) (starts, ends time.Time) {
	m, _ := time.Parse("2006-01", string(p))
	starts = time.Date(m.Year(), m.Month(), 1, 0, 0, 0, 0, loc)
	return starts, starts.AddDate(0, 1, 0)
}

// Previous returns the month before p.
func (p Period) Previous() Period {
	m, _ := time.Parse("2006-01", string(p))
	return Period(m.AddDate(0, -1, 0).Format("2006-01"))
}

// IssuedReport is a credit report as the deployment remembers issuing it:
// who it is about (masked), for what purpose, when and by whom, the
// SHA-256 of the document handed out, and the content it showed (JSON), so
// that a verifier can compare a paper with what was issued.
type IssuedReport struct {
	Code      string    `json:"code"`
	SubjectID int64     `json:"-"`
	Masked    string    `json:"subject"`
	Name      string    `json:"name"`
	Purpose   string    `json:"purpose"`
	Lang      string    `json:"lang"`
	IssuedAt  time.Time `json:"issued_at"`
	IssuedBy  string    `json:"issued_by"`
	Digest    string    `json:"digest"` // hex SHA-256 of the document without its signature line
	Content   []byte    `json:"-"`      // the report's data as JSON
	// Special is the scope of a special credit report, read back from
	// Content; nil for a full report.
	Special *ReportScope `json:"special,omitempty"`
}

// ReportScope is what a special credit report (专项信用报告, NDRC
// 发改财金〔2025〕565号) covers, as its subject chose: areas (schemes,
// a scheme's rule categories as "scheme/category", or "lists" for court
// lists; with their names) and a period of at most 5 years, and the
// authorisation the request rested on.
type ReportScope struct {
	Areas         []string  `json:"areas"`
	AreaNames     []Text    `json:"area_names"`
	From          time.Time `json:"from"`
	To            time.Time `json:"to"`
	Authorisation string    `json:"authorisation"`
}

// KioskCode is a one-time code a resident uses at the kiosk, as stored:
// only a keyed hash of the code, whom it is for, until when it works and,
// once used, when.
type KioskCode struct {
	ID        int64
	SubjectID int64
	Hash      []byte
	IssuedAt  time.Time
	IssuedBy  string
	Expires   time.Time
	UsedAt    time.Time // zero until used
}
