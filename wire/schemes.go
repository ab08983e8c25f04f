package wire

import (
	"time"

	"github.com/tallycredit/tally"
)

// SchemeSummary is one scheme in the list of schemes (GET /schemes).
type SchemeSummary struct {
	Scheme    string              `json:"scheme"`
	Name      tally.Text          `json:"name"`
	Version   int                 `json:"version"`
	Effective time.Time           `json:"effective"`
	Subjects  []tally.SubjectKind `json:"subjects"`
	Rules     int                 `json:"rules"`
}

// Scheme is a scheme's rulebook in force now, with its version history
// (GET /schemes/{scheme}).
type Scheme struct {
	Scheme     string              `json:"scheme"`
	Name       tally.Text          `json:"name"`
	Subjects   []tally.SubjectKind `json:"subjects"`
	Base       int64               `json:"base"`
	Timezone   string              `json:"timezone"`
	Grades     []Grade             `json:"grades"`
	Board      *tally.Board        `json:"board,omitempty"`
	Categories []Category          `json:"categories"`
	Rules      []Rule              `json:"rules"`
	Versions   []Version           `json:"versions"`
}

// Grade is one grade band of a scheme; Min is absent for the lowest.
type Grade struct {
	Grade string `json:"grade"`
	Min   *int64 `json:"min,omitempty"`
}

// Category is one category of a scheme's rules.
type Category struct {
	Code  string     `json:"code"`
	Title tally.Text `json:"title"`
}

// Rule is a rule as the API shows it: everything a person needs to know
// what it rewards or punishes, on what basis, and for how long. Effect is
// "award" or "deduction"; Lasts is a duration as the rulebook writes it.
type Rule struct {
	Code     string         `json:"code"`
	Title    tally.Text     `json:"title"`
	Category string         `json:"category"`
	Facts    []Fact         `json:"facts"`
	Points   string         `json:"points"`
	Effect   string         `json:"effect"`
	Cap      *Cap           `json:"cap,omitempty"`
	Lasts    string         `json:"lasts"`
	Severity tally.Severity `json:"severity,omitempty"`
	Basis    tally.Text     `json:"basis,omitzero"`
	Evidence bool           `json:"evidence_required"`
}

// Fact is an input a rule declares: its name, type (number, integer,
// bool or text), unit and bounds.
type Fact struct {
	Name string     `json:"name"`
	Type string     `json:"type"`
	Unit tally.Text `json:"unit"`
	Min  *float64   `json:"min,omitempty"`
	Max  *float64   `json:"max,omitempty"`
}

// Cap bounds the points a rule may give a subject per period.
type Cap struct {
	Points int64  `json:"points"`
	Per    string `json:"per"`
}

// Version is one published version of a scheme's rulebook.
type Version struct {
	Version     int       `json:"version"`
	Effective   time.Time `json:"effective"`
	PublishedAt time.Time `json:"published_at"`
	PublishedBy string    `json:"published_by"`
	Digest      string    `json:"digest"`
}

// VersionSource is a published version with the rulebook's text as
// published (GET /schemes/{scheme}/versions/{version}).
type VersionSource struct {
	Version
	Source string `json:"source"`
}

// Lint is the outcome of checking a rulebook (POST /rulebooks/lint): OK
// when it would publish, and every problem with its line.
type Lint struct {
	OK       bool    `json:"ok"`
	Scheme   string  `json:"scheme,omitempty"`
	Problems []Fault `json:"problems"`
}

// Published is the outcome of publishing a rulebook (POST /rulebooks).
// Unchanged says the same text was published before; Warnings are the
// problems that did not stop it.
type Published struct {
	Scheme    string    `json:"scheme"`
	Version   int       `json:"version"`
	Effective time.Time `json:"effective"`
	Unchanged bool      `json:"unchanged"`
	Warnings  []Fault   `json:"warnings"`
}
