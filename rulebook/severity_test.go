package rulebook_test

import (
	"strings"
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/rulebook"
)

// TestSeverityClassRefusals shows that a deduction lasts within its
// severity class (minor at most 3 months, general 3 months to 1 year,
// serious 1 to 3 years), within the scheme's shorter limits and within the
// hard cap on keeping a negative item; each refusal gives its reason in
// Chinese and English, naming the rule and the field.
func TestSeverityClassRefusals(t *testing.T) {
	tests := []problemCase{
		{name: "serious lasting 4 years", src: doc(deduction, "severity: serious", "lasts: 4y #<"), rule: "littering", field: "lasts",
			msg: "4年：严重失信行为最长公示3年 / 4y is longer than a serious deduction may last (at most 3y)"},
		{name: "general lasting 2 weeks", src: doc(deduction, "severity: general", "lasts: 14d #<"), rule: "littering", field: "lasts",
			msg: "14日：一般失信行为最短公示3个月 / 14d is shorter than a general deduction may last (at least 3m)"},
		{name: "serious lasting 6 months", src: doc(deduction, "severity: serious", "lasts: 6m #<"), rule: "littering", field: "lasts", msg: "(at least 1y)"},
		{name: "scheme's shorter limit", src: doc(deduction, "^severity_periods: {general: 6m}", "severity: general", "lasts: 1y #<"), rule: "littering", field: "lasts",
			msg: "1年：本方案规定一般失信行为最长公示6个月 / 1y is longer than this scheme lets a general deduction last (at most 6m)"},
		{name: "scheme may not lengthen", src: doc(deduction, "^severity_periods: {serious: 4y}"), field: "severity_periods.serious",
			msg: "4年：方案只能缩短、不能延长严重失信行为的公示期限（最长3年） / a scheme may shorten, never lengthen, how long a serious deduction lasts (at most 3y)"},
		{name: "scheme limit below the class minimum", src: doc(deduction, "^severity_periods: {general: 2m}"), field: "severity_periods.general",
			msg: "(at least 3m)"},
		{name: "hard cap above 5 years", src: doc(deduction, "^severity_periods: {keep_at_most: 6y}"), field: "severity_periods.keep_at_most",
			msg: "6年：失信信息最长保存5年 / no negative item may be kept longer than 5y"},
		{name: "lasting past the scheme's hard cap", src: doc(deduction, "^severity_periods: {keep_at_most: 2y}", "severity: serious", "lasts: 3y #<"), rule: "littering", field: "lasts",
			msg: "longer than this scheme keeps any negative item (at most 2y)"},
		{name: "unknown class", src: doc(deduction, "^severity_periods: {grave: 1y}"), field: "severity_periods.grave",
			msg: "unknown field"},
		{name: "general not published", src: doc(deduction, "severity: general", "lasts: 6m", "publish: false"), rule: "littering", field: "publish",
			msg: "只有轻微失信行为可以不公示 / only a minor deduction may be kept unpublished"},
		{name: "award not published", src: doc(award, "publish: false"), rule: "tidy", field: "publish", msg: "only a minor deduction"},
		{name: "publish not a boolean", src: doc(deduction, "publish: sometimes"), rule: "littering", field: "publish", msg: "want true or false"},
	}
	for _, tt := range tests {
		t.Run(tt.name, tt.check)
	}
}

// TestSeverityClassAllows shows what the classes allow: a minor deduction
// kept unpublished, and a scheme's shorter limits read into the Book.
func TestSeverityClassAllows(t *testing.T) {
	b := mustLoad(t, doc(deduction, "publish: false"))
	if r := mustRule(t, b, "littering"); !r.Unpublished {
		t.Error("publish: false on a minor deduction: got Unpublished false, want true")
	}
	if got, want := b.Periods.KeepAtMost(), tally.MaxKeep; got != want {
		t.Errorf("default hard cap: got %s, want %s", got, want)
	}
	b = mustLoad(t, doc(deduction, "^severity_periods: {minor: 1m, general: 6m, serious: 2y, keep_at_most: 3y}", "lasts: 30d"))
	for _, tt := range []struct {
		s    tally.Severity
		want string
	}{{tally.Minor, "1m"}, {tally.General, "6m"}, {tally.Serious, "2y"}} {
		if got := b.Periods.Longest(tt.s).String(); got != tt.want {
			t.Errorf("%s: got longest %s, want %s", tt.s, got, tt.want)
		}
	}
	if got := b.Periods.KeepAtMost().String(); got != "3y" {
		t.Errorf("keep_at_most: got %s, want 3y", got)
	}
	if r := mustRule(t, b, "littering"); r.Unpublished {
		t.Error("a rule without publish: got Unpublished true, want false")
	}
}

// TestListSeverity shows that a list's class bounds its term, and that its
// term with the most aggravation stays within the catalogue's hard cap.
func TestListSeverity(t *testing.T) {
	list := func(extra string) string {
		return `catalogue: test
lists:
  - id: defaulters
    name: {zh: 失信, en: Defaulters}
    authority: courts
    basis: {zh: 规定, en: a rule}
    criteria: unpaid judgment
    removal: {zh: 履行, en: pay}
` + extra + `
measures:
  - {id: air, name: {zh: 飞机, en: Air}, kind: right, listed: restrict-air-travel}
sanctions:
  - {list: defaulters, measure: air, basis: {zh: 规定, en: a rule}}
`
	}
	tests := []struct {
		name, extra, want string
	}{
		{"serious term of 4 years", "    term: 4y", "t.yml:9: lists[0].term: 4年：严重失信行为最长公示3年 / 4y is longer than a serious deduction may last (at most 3y)"},
		{"general term of 2 weeks", "    severity: general\n    term: 14d", "t.yml:10: lists[0].term: 14日：一般失信行为最短公示3个月"},
		{"aggravation past the hard cap", "    term: 3y\n    max_aggravation: 3", "t.yml:10: lists[0].max_aggravation: 3y+3y：失信信息最长保存5年 / a term with the most aggravation may not keep an entry longer than 5y"},
		{"catalogue's lower hard cap", "    term: 2y\n    max_aggravation: 2", "lists[0].max_aggravation: 2y+2y：失信信息最长保存3年"},
		{"unknown class", "    severity: grave\n    term: 2y", "lists[0].severity: \"grave\"：应为 minor、general 或 serious / want minor, general or serious"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := list(tt.extra)
			if strings.Contains(tt.name, "lower hard cap") {
				src = strings.Replace(src, "lists:\n", "keep_at_most: 3y\nlists:\n", 1)
			}
			c, rep := rulebook.LoadCatalogue("t.yml", []byte(src))
			if c != nil {
				t.Errorf("catalogue loaded, want it refused")
			}
			var got []string
			for _, p := range rep {
				got = append(got, p.String())
			}
			if all := strings.Join(got, "\n"); !strings.Contains(all, tt.want) {
				t.Errorf("report lacks %q; got:\n%s", tt.want, all)
			}
		})
	}
	c, rep := rulebook.LoadCatalogue("t.yml", []byte(list("    term: 2y\n    max_aggravation: 3")))
	if err := rep.Err(); err != nil {
		t.Fatalf("a 2y serious list with 3 years of aggravation: %v", err)
	}
	if l, _ := c.List("defaulters"); l.Severity != tally.Serious {
		t.Errorf("a list naming no class: got %q, want serious", l.Severity)
	}
}

// TestDiffShowsPublish shows a rule that stops being published as a
// change of its publish field.
func TestDiffShowsPublish(t *testing.T) {
	old, new := mustLoad(t, doc(deduction)), mustLoad(t, doc(deduction, "publish: false"))
	changes := rulebook.Diff(old, new)
	if len(changes) != 1 || len(changes[0].Fields) != 1 {
		t.Fatalf("got %+v, want one change of one field", changes)
	}
	if got, want := changes[0].Fields[0], (rulebook.FieldChange{Field: rulebook.FieldPublish, Old: "true", New: "false"}); got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
}
