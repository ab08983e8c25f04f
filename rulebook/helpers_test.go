package rulebook_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	_ "time/tzdata" // rulebooks name time zones; tests must not depend on the host's zone files

	"github.com/tallycredit/tally/rulebook"
)

// header is the top of every test rulebook; line 1 is "scheme".
const header = `scheme: test
name: {zh: 测试积分, en: Test points}
subjects: [person]
base: 0
effective: 2025-01-01
categories:
  good: {zh: 好事, en: Good deeds}
  bad: {zh: 违约, en: Misconduct}
rules:
`

// award and deduction are valid rules that tests break one field at a time.
const award = `  - code: tidy
    title: {zh: 庭院整洁, en: Tidy courtyard}
    category: good
    points: 1
    cap: {points: 1, per: month}
    lasts: 1y
`

const deduction = `  - code: littering
    title: {zh: 乱扔垃圾, en: Littering}
    category: bad
    points: -10
    severity: minor
    lasts: 3m
    cap: {points: 20, per: month}
    basis: {zh: 村规民约, en: Village covenant}
    evidence: required
`

// marker marks the line where a test expects a problem.
const marker = "#<"

// doc returns header followed by rules, changed by edits. An edit
// "field: value" replaces the rule field of that name (the first one) or
// appends it to the last rule; "-field" removes it. A leading "^" makes the
// edit apply to a top-level field instead, which is inserted at the top when
// absent. Unless an edit carries its own marker, the changed line is marked
// (for a removal, the rule's code line, or line 1 for a top-level field).
func doc(rules string, edits ...string) string {
	lines := strings.Split(strings.TrimSuffix(header+rules, "\n"), "\n")
	explicit := strings.Contains(strings.Join(edits, "\n"), marker)
	mark := -1
	for _, e := range edits {
		top := strings.HasPrefix(strings.TrimPrefix(e, "-"), "^")
		remove := strings.HasPrefix(e, "-")
		body := strings.TrimPrefix(strings.TrimPrefix(e, "-"), "^")
		name, _, _ := strings.Cut(body, ":")
		var pattern *regexp.Regexp
		if top {
			pattern = regexp.MustCompile(`^` + regexp.QuoteMeta(name) + `:`)
		} else {
			pattern = regexp.MustCompile(`^(    |  - )` + regexp.QuoteMeta(name) + `:`)
		}
		at := -1
		for i, l := range lines {
			if pattern.MatchString(l) {
				at = i
				break
			}
		}
		switch {
		case remove && at >= 0:
			lines = append(lines[:at], lines[at+1:]...)
			mark = 0
			if !top {
				mark = codeLine(lines)
			}
		case at >= 0:
			prefix := ""
			if !top {
				prefix = pattern.FindString(lines[at])
				prefix = prefix[:len(prefix)-len(name)-1]
			}
			lines[at] = prefix + body
			mark = at
		case top:
			lines = append([]string{body}, lines...)
			mark = 0
		default:
			lines = append(lines, "    "+body)
			mark = len(lines) - 1
		}
	}
	if !explicit && mark >= 0 {
		lines[mark] += " " + marker
	}
	return strings.Join(lines, "\n") + "\n"
}

// codeLine returns the index of the last rule's code line.
func codeLine(lines []string) int {
	at := 0
	for i, l := range lines {
		if strings.HasPrefix(l, "  - code:") {
			at = i
		}
	}
	return at
}

// markedLine returns the 1-based line that carries the marker, or 0.
func markedLine(src string) int {
	for i, l := range strings.Split(src, "\n") {
		if strings.Contains(l, marker) {
			return i + 1
		}
	}
	return 0
}

// mustLoad loads src and fails the test on any error.
func mustLoad(tb testing.TB, src string) *rulebook.Book {
	tb.Helper()
	b, rep := rulebook.Load("test.yaml", []byte(src))
	if err := rep.Err(); err != nil {
		tb.Fatalf("Load: %v\nsource:\n%s", err, numbered(src))
	}
	if b == nil {
		tb.Fatal("Load returned a nil Book and no errors")
	}
	return b
}

// mustRule returns the rule with the given code.
func mustRule(tb testing.TB, b *rulebook.Book, code string) *rulebook.Rule {
	tb.Helper()
	r, ok := b.Rule(code)
	if !ok {
		tb.Fatalf("rule %s not found", code)
	}
	return r
}

// numbered prefixes each line of src with its number, for failure messages.
func numbered(src string) string {
	var b strings.Builder
	for i, l := range strings.Split(src, "\n") {
		fmt.Fprintf(&b, "%3d| %s\n", i+1, l)
	}
	return b.String()
}

// problemCase is a rulebook and the one problem Load must report for it at
// the marked line.
type problemCase struct {
	name    string
	src     string
	rule    string // the rule code the problem names
	field   string
	msg     string // a part of the message
	warning bool
}

// check loads c.src and fails unless the report holds the expected
// problem, with file name and marked line, and unless an error makes Load
// return a nil Book.
func (c problemCase) check(t *testing.T) {
	t.Helper()
	line := markedLine(c.src)
	if line == 0 {
		t.Fatalf("test source has no %s marker:\n%s", marker, numbered(c.src))
	}
	b, rep := rulebook.Load("test.yaml", []byte(c.src))
	found := false
	for _, p := range rep {
		if p.File == "test.yaml" && p.Line == line && p.Rule == c.rule && p.Field == c.field &&
			p.Warning == c.warning && strings.Contains(p.Message, c.msg) {
			found = true
			prefix := fmt.Sprintf("test.yaml:%d: ", line)
			if c.warning {
				prefix = "warning: " + prefix
			}
			if c.rule != "" {
				prefix += "rule " + c.rule + ": "
			}
			if got := p.String(); !strings.HasPrefix(got, prefix) {
				t.Errorf("got String() %q, want it to start with %q", got, prefix)
			}
		}
	}
	if !found {
		var got strings.Builder
		for _, p := range rep {
			fmt.Fprintf(&got, "  %s  (Line %d, Rule %q, Field %q, Warning %v)\n", p, p.Line, p.Rule, p.Field, p.Warning)
		}
		t.Errorf("got problems:\n%swant at line %d rule %q field %q warning %v with %q\nsource:\n%s",
			got.String(), line, c.rule, c.field, c.warning, c.msg, numbered(c.src))
	}
	if gotNil, wantNil := b == nil, !c.warning; gotNil != wantNil {
		t.Errorf("got nil Book %v, want %v", gotNil, wantNil)
	}
}
