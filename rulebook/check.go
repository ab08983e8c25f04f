package rulebook

import (
	"github.com/tallycredit/tally"
)

// safeguards checks what a rule-of-law scheme requires of a rule beyond its
// format. Errors: a deduction needs a basis, a severity, an expiry and a
// cap; no rule may target a protected activity. Warnings: an award without
// a cap, a deduction without required evidence, and literal points larger
// than the cap. The expiry's fit to the severity is checked by
// severityClass. effectKnown says whether r.Effect can be trusted. Protected
// activities are checked separately, by protected.
func (l *loader) safeguards(m fields, r *Rule, effectKnown bool) {
	if !effectKnown {
		return
	}
	line := func(name string) int {
		if e, ok := m.get(name); ok {
			return e.key.Line
		}
		return r.Line
	}
	if r.Cap != nil && r.Cap.Points > 0 && r.program == nil && abs(r.literal) > r.Cap.Points {
		l.warnf(line("cap"), "cap.points", "one use of the rule gives %d points, more than the cap of %d per %s", r.literal, r.Cap.Points, r.Cap.Per)
	}
	if r.Effect == Award {
		if r.Cap == nil {
			l.warnf(r.Line, "cap", "an award without a cap lets one subject gain points without limit")
		}
		return
	}
	if _, ok := m.get("basis"); !ok {
		l.errorf(r.Line, "basis", "a deduction needs a legal or policy basis (the law, regulation or covenant it enforces)")
	}
	if _, ok := m.get("severity"); !ok {
		l.errorf(r.Line, "severity", "扣分须注明失信程度（轻微、一般或严重），它决定公示期限 / a deduction needs a severity (minor, general or serious), which bounds how long it lasts")
	}
	if _, ok := m.get("lasts"); !ok {
		l.errorf(r.Line, "lasts", "a deduction must expire: give lasts%s", maxHint(r.Severity))
	}
	if _, ok := m.get("cap"); !ok {
		l.errorf(r.Line, "cap", "a deduction needs a cap, so that repeated deductions for one kind of conduct stay bounded")
	}
	if !r.EvidenceRequired {
		l.warnf(line("evidence"), "evidence", "a deduction should require evidence (evidence: required)")
	}
}

// maxHint names the longest expiry a severity allows, or gives an example
// when the severity is unknown, for messages.
func maxHint(s tally.Severity) string {
	if _, max, ok := s.Lasting(); ok {
		return " (at most " + max.String() + " for a " + string(s) + " deduction)"
	}
	return ", such as 3m"
}

// longer reports whether span a is longer than span b. Months and years
// compare exactly (1y equals 12m); spans in days compare by
// tally.Span.Days, which counts a month as 31 days and a year as 366.
func longer(a, b tally.Span) bool {
	if a.Unit != tally.Day && b.Unit != tally.Day {
		return months(a) > months(b)
	}
	return a.Days() > b.Days()
}

// months returns the length of a span in months or years, in months.
func months(s tally.Span) int {
	if s.Unit == tally.Year {
		return s.N * 12
	}
	return s.N
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}
