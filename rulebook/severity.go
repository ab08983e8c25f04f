package rulebook

import (
	"fmt"

	"github.com/tallycredit/tally"
	"go.yaml.in/yaml/v3"
)

// The severity classes bound how long negative information lasts (the
// national limits, tally.Severity.Lasting): a scheme's severity_periods
// block may shorten each class's maximum and lower the hard cap on keeping
// any negative item, never lengthen them. Every refusal here gives its
// reason in Chinese and English.
//
//	severity_periods:
//	  minor: 1m          # at most 3m
//	  general: 6m        # 3m to 1y
//	  serious: 2y        # 1y to 3y
//	  keep_at_most: 5y   # the hard cap, at most 5y (tally.MaxKeep)

var severityPeriodFields = []string{"minor", "general", "serious", "keep_at_most"}

// severityPeriods reads the severity_periods block of a rulebook.
func (l *loader) severityPeriods(e entry) tally.SeverityPeriods {
	var p tally.SeverityPeriods
	m, ok := l.mapping(e.val, "severity_periods", severityPeriodFields...)
	if !ok {
		return p
	}
	for _, c := range []struct {
		s   tally.Severity
		dst *tally.Span
	}{{tally.Minor, &p.Minor}, {tally.General, &p.General}, {tally.Serious, &p.Serious}} {
		ce, ok := m.get(string(c.s))
		if !ok {
			continue
		}
		span, ok := l.span(ce, "severity_periods."+string(c.s))
		if !ok {
			continue
		}
		min, max, _ := c.s.Lasting()
		switch {
		case longer(span, max):
			l.policyf(ce.key.Line, "severity_periods."+string(c.s), "%s：方案只能缩短、不能延长%s失信行为的公示期限（最长%s） / a scheme may shorten, never lengthen, how long a %s deduction lasts (at most %s)",
				span.Zh(), c.s.Zh(), max.Zh(), c.s, max)
		case longer(min, span):
			l.policyf(ce.key.Line, "severity_periods."+string(c.s), "%s：%s失信行为最短公示%s，上限不得短于此 / a scheme's limit for a %s deduction may not be shorter than its minimum (at least %s)",
				span.Zh(), c.s.Zh(), min.Zh(), c.s, min)
		default:
			*c.dst = span
		}
	}
	if ke, ok := m.get("keep_at_most"); ok {
		p.Keep = l.keepAtMost(ke, "severity_periods.keep_at_most")
	}
	return p
}

// keepAtMost reads a hard cap on keeping negative items: no more than
// tally.MaxKeep; zero (MaxKeep) when it is refused.
func (l *loader) keepAtMost(e entry, field string) tally.Span {
	span, ok := l.span(e, field)
	if ok && longer(span, tally.MaxKeep) {
		l.policyf(e.key.Line, field, "%s：失信信息最长保存%s / no negative item may be kept longer than %s", span.Zh(), tally.MaxKeep.Zh(), tally.MaxKeep)
		return tally.Span{}
	}
	return span
}

// span reads a duration such as 3m.
func (l *loader) span(e entry, field string) (tally.Span, bool) {
	s, ok := l.text(e, field)
	if !ok {
		return tally.Span{}, false
	}
	span, err := tally.ParseSpan(s)
	if err != nil {
		l.errorf(e.key.Line, field, "%v", err)
		return tally.Span{}, false
	}
	return span, true
}

// severityOf reads a severity class; "" after reporting an unknown one.
func (l *loader) severityOf(e entry, field, s string) tally.Severity {
	if _, _, ok := tally.Severity(s).Lasting(); !ok {
		l.errorf(e.key.Line, field, "%q：应为 minor、general 或 serious / want minor, general or serious", s)
		return ""
	}
	return tally.Severity(s)
}

// severityClass checks a rule against its class and the scheme's
// periods: its lasts within the class (and the scheme's shorter limit and
// hard cap), and publish: false only on a minor deduction.
func (l *loader) severityClass(m fields, r *Rule, p tally.SeverityPeriods) {
	if e, ok := m.get("publish"); ok {
		switch {
		case e.val.Kind != yaml.ScalarNode || e.val.ShortTag() != "!!bool":
			l.errorf(e.key.Line, "publish", "%s：应为 true 或 false / want true or false, got %s", e.val.Value, describe(e.val))
		case e.val.Value == "false" && (r.Effect != Deduction || r.Severity != tally.Minor):
			l.policyf(e.key.Line, "publish", "只有轻微失信行为可以不公示 / only a minor deduction may be kept unpublished")
		case e.val.Value == "false":
			r.Unpublished = true
		}
	}
	if r.Effect != Deduction || r.Severity == "" || r.Lasts.IsZero() {
		return
	}
	line := r.Line
	if e, ok := m.get("lasts"); ok {
		line = e.key.Line
	}
	if reason := lastsWithin(r.Lasts, r.Severity, p); reason != "" {
		l.policyf(line, "lasts", "%s", reason)
	}
}

// lastsWithin returns why a duration does not fit a class and a scheme's
// periods, or "" when it fits: at least the class's minimum, at most its
// national maximum, the scheme's shorter limit and the hard cap.
func lastsWithin(d tally.Span, s tally.Severity, p tally.SeverityPeriods) string {
	min, max, _ := s.Lasting()
	own, keep := p.Longest(s), p.KeepAtMost()
	switch {
	case longer(d, max):
		return fmt.Sprintf("%s：%s失信行为最长公示%s / %s is longer than a %s deduction may last (at most %s)", d.Zh(), s.Zh(), max.Zh(), d, s, max)
	case longer(min, d):
		return fmt.Sprintf("%s：%s失信行为最短公示%s / %s is shorter than a %s deduction may last (at least %s)", d.Zh(), s.Zh(), min.Zh(), d, s, min)
	case longer(d, own):
		return fmt.Sprintf("%s：本方案规定%s失信行为最长公示%s / %s is longer than this scheme lets a %s deduction last (at most %s)", d.Zh(), s.Zh(), own.Zh(), d, s, own)
	case longer(d, keep):
		return fmt.Sprintf("%s：本方案保存失信信息最长%s / %s is longer than this scheme keeps any negative item (at most %s)", d.Zh(), keep.Zh(), d, keep)
	}
	return ""
}

// listSeverity checks a list's term against its class (serious when it
// names none: a list is a serious-dishonesty list unless it says
// otherwise) and its term with the most aggravation against the
// catalogue's hard cap.
func (l *loader) listSeverity(m fields, path string, li *tally.List, keep tally.Span) {
	li.Severity = tally.Serious
	if e, ok := m.get("severity"); ok {
		if s, ok := l.text(e, join(path, "severity")); ok {
			li.Severity = l.severityOf(e, join(path, "severity"), s)
		}
	}
	te, ok := m.get("term")
	if !ok || li.Term.IsZero() || li.Severity == "" {
		return
	}
	if reason := lastsWithin(li.Term, li.Severity, tally.SeverityPeriods{Keep: keep}); reason != "" {
		l.policyf(te.key.Line, join(path, "term"), "%s", reason)
		return
	}
	if ae, ok := m.get("max_aggravation"); ok && li.MaxAggravation > 0 {
		if cap := (tally.SeverityPeriods{Keep: keep}).KeepAtMost(); longer(plusYears(li.Term, li.MaxAggravation), cap) {
			l.policyf(ae.key.Line, join(path, "max_aggravation"), "%s+%dy：失信信息最长保存%s / a term with the most aggravation may not keep an entry longer than %s",
				li.Term, li.MaxAggravation, cap.Zh(), cap)
		}
	}
}

// plusYears adds n years to a span, exactly for months and years and as
// 366 days a year for a span in days (as tally.Span.Days counts).
func plusYears(s tally.Span, n int) tally.Span {
	switch s.Unit {
	case tally.Year:
		return tally.Span{N: s.N + n, Unit: tally.Year}
	case tally.Month:
		return tally.Span{N: s.N + 12*n, Unit: tally.Month}
	}
	return tally.Span{N: s.N + 366*n, Unit: tally.Day}
}
