package rulebook

import (
	"strconv"
	"strings"

	"github.com/tallycredit/tally"
)

// ChangeKind says how a rule changed between two versions of a rulebook.
// Its values are plain words, so that a page template can use them as CSS
// classes or as keys of its own translated labels.
type ChangeKind string

// The kinds of change.
const (
	Added   ChangeKind = "added"   // the rule is only in the new book
	Removed ChangeKind = "removed" // the rule is only in the old book
	Changed ChangeKind = "changed" // the rule, or the book itself, is in both and differs
)

func (k ChangeKind) String() string { return string(k) }

// Change is one difference between two versions of a rulebook. Code is the
// rule's code, or "" for a change to the book itself (its base score or its
// grades). Fields lists what changed, for Kind Changed only; an added or
// removed rule is described by the book that has it.
type Change struct {
	Kind   ChangeKind
	Code   string
	Fields []FieldChange
}

// FieldChange is one changed field, with its old and new values rendered as
// short human-readable strings. "" means the field is not set (no cap, no
// severity, no basis, no facts, no grades).
type FieldChange struct {
	Field    string
	Old, New string
}

// The names of the fields Diff compares, in the order it reports them.
// Rule fields follow the rulebook's own field names; a title is split by
// language so that a page can show just the language it is in.
const (
	FieldBase     = "base"
	FieldGrades   = "grades"
	FieldTitleZh  = "title.zh"
	FieldTitleEn  = "title.en"
	FieldCategory = "category"
	FieldFacts    = "facts"
	FieldPoints   = "points"
	FieldEffect   = "effect"
	FieldCap      = "cap"
	FieldLasts    = "lasts"
	FieldSeverity = "severity"
	FieldBasisZh  = "basis.zh"
	FieldBasisEn  = "basis.en"
	FieldEvidence = "evidence"
	FieldPublish  = "publish"
)

// Diff describes what changed from old to new, two versions of a scheme's
// rulebook, for a public "what changed between versions" page. It returns
// nil when nothing it compares changed.
//
// The order is fixed so that the page reads the same every time: first
// one Change with Code "" when the base score or the grade bands changed,
// then the rules of the new book in its order (Added or Changed), then the
// rules only the old book has, in the old book's order (Removed). Rules are
// matched by code, so a renamed code shows as one removal and one addition.
//
// It compares the base score, the grade bands and every published field of
// each rule (not its line in the file). The scheme's name, effective date,
// time zone, honour board and category titles are not compared (the
// effective date changes with every version), nor is the layout of the
// file: comments, field order, "+1" for 1, or how a points expression is
// wrapped. A nil book counts as one with no rules, and then the book's own
// fields are not compared.
func Diff(old, new *Book) []Change {
	var changes []Change
	if old != nil && new != nil {
		var fields []FieldChange
		fields = field(fields, FieldBase, strconv.FormatInt(old.Base, 10), strconv.FormatInt(new.Base, 10))
		fields = field(fields, FieldGrades, gradesString(old.Grades), gradesString(new.Grades))
		if len(fields) > 0 {
			changes = append(changes, Change{Kind: Changed, Fields: fields})
		}
	}
	var oldRules, newRules []*Rule
	if old != nil {
		oldRules = old.Rules
	}
	if new != nil {
		newRules = new.Rules
	}
	for _, n := range newRules {
		o := findRule(oldRules, n.Code)
		if o == nil {
			changes = append(changes, Change{Kind: Added, Code: n.Code})
			continue
		}
		if fields := diffRule(o, n); len(fields) > 0 {
			changes = append(changes, Change{Kind: Changed, Code: n.Code, Fields: fields})
		}
	}
	for _, o := range oldRules {
		if findRule(newRules, o.Code) == nil {
			changes = append(changes, Change{Kind: Removed, Code: o.Code})
		}
	}
	return changes
}

// findRule returns the rule with the given code, or nil. A linear search
// keeps Diff free of map iteration; rulebooks hold tens of rules.
func findRule(rules []*Rule, code string) *Rule {
	for _, r := range rules {
		if r.Code == code {
			return r
		}
	}
	return nil
}

// diffRule lists the fields that differ between two versions of a rule.
func diffRule(o, n *Rule) []FieldChange {
	var fields []FieldChange
	fields = field(fields, FieldTitleZh, o.Title.Zh, n.Title.Zh)
	fields = field(fields, FieldTitleEn, o.Title.En, n.Title.En)
	fields = field(fields, FieldCategory, o.Category, n.Category)
	if !sameFacts(o.Facts, n.Facts) {
		fields = append(fields, FieldChange{FieldFacts, factsString(o.Facts), factsString(n.Facts)})
	}
	if !samePoints(o, n) {
		fields = append(fields, FieldChange{FieldPoints, pointsString(o.Points), pointsString(n.Points)})
	}
	fields = field(fields, FieldEffect, o.Effect.String(), n.Effect.String())
	fields = field(fields, FieldCap, capString(o.Cap), capString(n.Cap))
	fields = field(fields, FieldLasts, o.Lasts.String(), n.Lasts.String())
	fields = field(fields, FieldSeverity, string(o.Severity), string(n.Severity))
	fields = field(fields, FieldBasisZh, o.Basis.Zh, n.Basis.Zh)
	fields = field(fields, FieldBasisEn, o.Basis.En, n.Basis.En)
	fields = field(fields, FieldEvidence, evidenceString(o.EvidenceRequired), evidenceString(n.EvidenceRequired))
	fields = field(fields, FieldPublish, strconv.FormatBool(!o.Unpublished), strconv.FormatBool(!n.Unpublished))
	return fields
}

// field appends a FieldChange when the rendered values differ. Comparing
// the rendered strings is exact for these fields: each rendering is
// one-to-one.
func field(fields []FieldChange, name, old, new string) []FieldChange {
	if old == new {
		return fields
	}
	return append(fields, FieldChange{Field: name, Old: old, New: new})
}

// samePoints reports whether two rules give the same points: equal
// literals (so "+10" and "10" are the same), or expressions that differ at
// most in white space.
func samePoints(o, n *Rule) bool {
	if o.program == nil && n.program == nil {
		return o.literal == n.literal
	}
	return pointsString(o.Points) == pointsString(n.Points)
}

// pointsString returns a points expression on one line, with runs of white
// space (such as the line breaks of a folded YAML block) as single spaces.
func pointsString(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// capString renders a cap as "20 per month", or "" for no cap.
// tally.Cap has no String method of its own.
func capString(c *tally.Cap) string {
	if c == nil {
		return ""
	}
	return strconv.FormatInt(c.Points, 10) + " per " + c.Per.String()
}

// evidenceString renders EvidenceRequired in the rulebook's own words.
func evidenceString(required bool) string {
	if required {
		return "required"
	}
	return "optional"
}

// gradesString renders grade bands, highest first, as
// "A ≥ 1000, B ≥ 800, C < 800"; a last band without a minimum catches
// every lower score.
func gradesString(bands []tally.GradeBand) string {
	var b strings.Builder
	for i, g := range bands {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(g.Grade)
		switch {
		case g.HasMin:
			b.WriteString(" ≥ ")
			b.WriteString(strconv.FormatInt(g.Min, 10))
		case i > 0 && bands[i-1].HasMin:
			b.WriteString(" < ")
			b.WriteString(strconv.FormatInt(bands[i-1].Min, 10))
		default:
			b.WriteString(" (any score)")
		}
	}
	return b.String()
}

// sameFacts reports whether two lists of facts declare the same inputs in
// the same order.
func sameFacts(a, b []Fact) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.Name != y.Name || x.Type != y.Type || x.Title != y.Title || x.Unit != y.Unit ||
			!sameBound(x.Min, y.Min) || !sameBound(x.Max, y.Max) || x.RequiresConsent != y.RequiresConsent {
			return false
		}
	}
	return true
}

// sameBound reports whether two optional bounds are equal.
func sameBound(a, b *float64) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// factsString renders facts as
// "hours: number, title 劳动时长 / Hours worked, unit 小时 / hours, min 0,
// max 24; helped: bool".
func factsString(facts []Fact) string {
	var b strings.Builder
	for i, f := range facts {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(f.Name)
		b.WriteString(": ")
		b.WriteString(f.Type.String())
		if t := f.Title.String(); t != "" {
			b.WriteString(", title ")
			b.WriteString(t)
		}
		if u := f.Unit.String(); u != "" {
			b.WriteString(", unit ")
			b.WriteString(u)
		}
		if f.Min != nil {
			b.WriteString(", min ")
			b.WriteString(strconv.FormatFloat(*f.Min, 'g', -1, 64))
		}
		if f.Max != nil {
			b.WriteString(", max ")
			b.WriteString(strconv.FormatFloat(*f.Max, 'g', -1, 64))
		}
		if f.RequiresConsent {
			b.WriteString(", requires consent")
		}
	}
	return b.String()
}
