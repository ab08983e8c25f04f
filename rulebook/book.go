package rulebook

import (
	"slices"
	"time"

	"cel.dev/cel-go/cel"
	"github.com/tallycredit/tally"
)

// DefaultTimezone is used when a rulebook names none. Calendar days, months
// and years (for caps, dates and expiries) are counted in the rulebook's
// time zone.
const DefaultTimezone = "Asia/Shanghai"

// Effect says whether a rule gives points or takes them away.
type Effect string

// The effects of a rule.
const (
	Award     Effect = "award"
	Deduction Effect = "deduction"
)

func (e Effect) String() string { return string(e) }

// FactType is the type of a fact, an input a rule declares.
type FactType string

// The fact types and the Go values Evaluate gives them.
const (
	Number  FactType = "number"  // float64
	Integer FactType = "integer" // int64
	Bool    FactType = "bool"    // bool
	Text    FactType = "text"    // string
)

func (t FactType) String() string { return string(t) }

// Fact is one typed input of a rule, such as the hours of volunteer labour.
// Title is what a form asks for (the name when absent); Min and Max, when
// set, bound a number or integer fact (inclusive).
type Fact struct {
	Name     string
	Type     FactType
	Title    tally.Text
	Unit     tally.Text
	Min, Max *float64
	// RequiresConsent declares data the law allows only with the
	// subject's written consent (income, deposits, property and the like).
	RequiresConsent bool
}

// Category groups rules, such as volunteering or utilities.
type Category struct {
	Code  string
	Title tally.Text
}

// Rule is one way to gain or lose points. A usable Rule comes only from
// Load; it is safe for concurrent use as long as no one changes its fields.
type Rule struct {
	Code             string
	Title            tally.Text
	Category         string
	Facts            []Fact // in file order
	Points           string // the expression or literal as written
	Effect           Effect
	Cap              *tally.Cap     // nil: no cap
	Lasts            tally.Span     // zero: forever
	Severity         tally.Severity // "" for awards without one
	Basis            tally.Text     // the legal or policy basis
	EvidenceRequired bool           // a record must cite evidence
	// Unpublished marks a minor deduction kept in the office (publish:
	// false): left out of reports, public pages, boards and what verifiers
	// receive.
	Unpublished bool
	Line        int // line of the rule in the file

	literal int64       // the points when program is nil
	program cel.Program // the compiled points expression, nil for a literal
}

// Book is a checked and compiled rulebook: one version of a scheme's rules.
// A Book comes only from Load; it is safe for concurrent use as long as no
// one changes its fields.
type Book struct {
	Scheme     string
	Name       tally.Text
	Subjects   []tally.SubjectKind
	Base       int64          // the score every enrolled subject starts with
	Effective  time.Time      // midnight at the start of the effective date, in Location
	Location   *time.Location // the time zone of calendar days, months and years
	Grades     []tally.GradeBand
	Board      *tally.Board // nil when absent
	Rewards    []Reward     // what a period's close hands out; none when absent
	Categories []Category
	Rules      []*Rule
	// DueProcess holds the objection deadlines and the second-review
	// threshold: the rulebook's due_process block over the defaults.
	DueProcess tally.DueProcess
	// Periods are the scheme's limits on how long each severity class
	// lasts and its hard cap on keeping negative items (severity_periods).
	Periods tally.SeverityPeriods
	Source  []byte // the file as given
}

// Rule returns the rule with the given code.
func (b *Book) Rule(code string) (*Rule, bool) {
	for _, r := range b.Rules {
		if r.Code == code {
			return r, true
		}
	}
	return nil, false
}

// Category returns the category with the given code.
func (b *Book) Category(code string) (Category, bool) {
	for _, c := range b.Categories {
		if c.Code == code {
			return c, true
		}
	}
	return Category{}, false
}

// Accepts reports whether the scheme scores subjects of the given kind.
func (b *Book) Accepts(kind tally.SubjectKind) bool {
	return slices.Contains(b.Subjects, kind)
}

// Grade returns the grade a score earns, or "" when the scheme has no grades
// or the score is below every band.
func (b *Book) Grade(score int64) string {
	return tally.GradeFor(b.Grades, score)
}
