package rulebook_test

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/tallycredit/tally/rulebook"
)

// diffOld and diffNew are two versions of one scheme. Between them the base
// and grades change; tidy only changes its layout (comments, "+1" for 1);
// help only rewraps its expression; littering, labour and noise change
// fields; elderly is added; gone and stale are removed; the rules are
// reordered.
const diffOld = `scheme: test
name: {zh: 测试积分, en: Test points}
subjects: [person]
base: 0
effective: 2025-01-01
grades:
  - {grade: A, min: 100}
  - {grade: B}
categories:
  good: {zh: 好事, en: Good deeds}
  bad: {zh: 违约, en: Misconduct}
  care: {zh: 关爱, en: Care}
rules:
  - code: labour
    title: {zh: 义务劳动, en: Volunteer labour}
    category: good
    facts:
      hours: {type: number, unit: {zh: 小时, en: hours}, min: 0, max: 24}
    points: hours / 4
    effect: award
    cap: {points: 20, per: month}
    lasts: 1y
  - code: gone
    title: {zh: 旧规则, en: Old rule}
    category: good
    points: 2
    cap: {points: 2, per: year}
  - code: tidy
    title: {zh: 庭院整洁, en: Tidy courtyard}
    category: good
    points: 1
    cap: {points: 1, per: month}
    lasts: 1y
  - code: littering
    title: {zh: 乱扔垃圾, en: Littering}
    category: bad
    points: -10
    severity: minor
    lasts: 3m
    cap: {points: 20, per: month}
    basis: Village covenant
    evidence: required
  - code: noise
    title: {zh: 噪音, en: Noise}
    category: bad
    points: 2
    cap: {points: 2, per: month}
    lasts: 1y
  - code: stale
    title: {zh: 过时, en: Stale}
    category: care
    points: 3
    cap: {points: 3, per: year}
  - code: help
    title: {zh: 助人, en: Help}
    category: care
    facts: {n: integer}
    points: n * 2
    effect: award
    cap: {points: 10, per: month}
`

const diffNew = `# Version 2: stricter deductions.
scheme: test
name: {zh: 测试积分, en: Test points}
subjects: [person]
base: 100
effective: 2026-01-01
grades:
  - {grade: A, min: 150}
  - {grade: B, min: 100}
  - {grade: C}
categories:
  good: {zh: 好事, en: Good deeds}
  bad: {zh: 违约, en: Misconduct}
  care: {zh: 关爱, en: Care}
rules:
  - code: tidy
    # Same rule, written differently.
    category: good
    title: {zh: 庭院整洁, en: Tidy courtyard}
    points: +1
    lasts: 1y
    cap: {per: month, points: 1}
  - code: elderly
    title: {zh: 孝老爱亲, en: Caring for elderly relatives}
    category: care
    points: 5
    cap: {points: 10, per: year}
  - code: littering
    title: {zh: 乱扔垃圾, en: "Littering <in public> & \"elsewhere\""}
    category: bad
    points: -20
    severity: general
    lasts: 6m
    cap: {points: 40, per: year}
    basis: {zh: 村规民约（2026年）, en: "Village covenant, 2026"}
    evidence: required
  - code: help
    title: {zh: 助人, en: Help}
    category: care
    facts: {n: integer}
    points: |-
      n *
        2
    effect: award
    cap: {points: 10, per: month}
  - code: labour
    title: {zh: 志愿劳动, en: Volunteer labour}
    category: care
    facts:
      hours: {type: number, unit: {zh: 小时, en: hours}, min: 0, max: 12}
      skilled: bool
    points: hours / 2
    effect: award
    evidence: required
  - code: noise
    title: {zh: 噪音, en: Noise}
    category: bad
    points: -2
    cap: {points: 2, per: month}
    lasts: 3m
    severity: minor
    basis: Village covenant
    evidence: required
`

// loadDiffBook loads a rulebook and fails the test on any error; warnings
// (such as an award without a cap) are allowed.
func loadDiffBook(tb testing.TB, src string) *rulebook.Book {
	tb.Helper()
	b, rep := rulebook.Load("diff.yaml", []byte(src))
	if err := rep.Err(); err != nil || b == nil {
		tb.Fatalf("Load: %v", err)
	}
	return b
}

// formatChanges renders changes one field per line, for failure messages.
func formatChanges(changes []rulebook.Change) string {
	var b strings.Builder
	for _, c := range changes {
		fmt.Fprintf(&b, "  %s %q\n", c.Kind, c.Code)
		for _, f := range c.Fields {
			fmt.Fprintf(&b, "      %s: %q -> %q\n", f.Field, f.Old, f.New)
		}
	}
	return b.String()
}

func checkChanges(t *testing.T, got, want []rulebook.Change) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got changes:\n%swant:\n%s", formatChanges(got), formatChanges(want))
	}
}

// TestDiff checks every kind of change, the order they are reported in and
// the rendering of each field.
func TestDiff(t *testing.T) {
	old, new := loadDiffBook(t, diffOld), loadDiffBook(t, diffNew)
	want := []rulebook.Change{
		{Kind: rulebook.Changed, Code: "", Fields: []rulebook.FieldChange{
			{Field: "base", Old: "0", New: "100"},
			{Field: "grades", Old: "A ≥ 100, B < 100", New: "A ≥ 150, B ≥ 100, C < 100"},
		}},
		// tidy and help: no change.
		{Kind: rulebook.Added, Code: "elderly"},
		{Kind: rulebook.Changed, Code: "littering", Fields: []rulebook.FieldChange{
			{Field: "title.en", Old: "Littering", New: `Littering <in public> & "elsewhere"`},
			{Field: "points", Old: "-10", New: "-20"},
			{Field: "cap", Old: "20 per month", New: "40 per year"},
			{Field: "lasts", Old: "3m", New: "6m"},
			{Field: "severity", Old: "minor", New: "general"},
			{Field: "basis.zh", Old: "Village covenant", New: "村规民约（2026年）"},
			{Field: "basis.en", Old: "", New: "Village covenant, 2026"},
		}},
		{Kind: rulebook.Changed, Code: "labour", Fields: []rulebook.FieldChange{
			{Field: "title.zh", Old: "义务劳动", New: "志愿劳动"},
			{Field: "category", Old: "good", New: "care"},
			{Field: "facts",
				Old: "hours: number, unit 小时 / hours, min 0, max 24",
				New: "hours: number, unit 小时 / hours, min 0, max 12; skilled: bool"},
			{Field: "points", Old: "hours / 4", New: "hours / 2"},
			{Field: "cap", Old: "20 per month", New: ""},
			{Field: "lasts", Old: "1y", New: "forever"},
			{Field: "evidence", Old: "optional", New: "required"},
		}},
		{Kind: rulebook.Changed, Code: "noise", Fields: []rulebook.FieldChange{
			{Field: "points", Old: "2", New: "-2"},
			{Field: "effect", Old: "award", New: "deduction"},
			{Field: "lasts", Old: "1y", New: "3m"},
			{Field: "severity", Old: "", New: "minor"},
			{Field: "basis.zh", Old: "", New: "Village covenant"},
			{Field: "evidence", Old: "optional", New: "required"},
		}},
		{Kind: rulebook.Removed, Code: "gone"},
		{Kind: rulebook.Removed, Code: "stale"},
	}
	checkChanges(t, rulebook.Diff(old, new), want)
}

// TestDiffBackwards swaps the versions: additions become removals (in the
// other book's order) and every field change is reversed.
func TestDiffBackwards(t *testing.T) {
	old, new := loadDiffBook(t, diffOld), loadDiffBook(t, diffNew)
	forward := rulebook.Diff(old, new)
	back := rulebook.Diff(new, old)
	var codes []string
	for _, c := range back {
		codes = append(codes, string(c.Kind)+" "+c.Code)
	}
	wantCodes := []string{"changed ", "changed labour", "added gone", "changed littering", "changed noise",
		"added stale", "removed elderly"}
	if !reflect.DeepEqual(codes, wantCodes) {
		t.Errorf("got %q, want %q", codes, wantCodes)
	}
	for _, b := range back {
		if b.Kind != rulebook.Changed {
			continue
		}
		var f *rulebook.Change
		for i := range forward {
			if forward[i].Kind == rulebook.Changed && forward[i].Code == b.Code {
				f = &forward[i]
			}
		}
		if f == nil || len(f.Fields) != len(b.Fields) {
			t.Fatalf("%q: backwards %v, forwards %v", b.Code, b.Fields, f)
		}
		for i, bf := range b.Fields {
			if ff := f.Fields[i]; bf.Field != ff.Field || bf.Old != ff.New || bf.New != ff.Old {
				t.Errorf("%q: backwards %+v is not forwards %+v reversed", b.Code, bf, ff)
			}
		}
	}
}

// TestDiffIdentical shows that a book compared with itself, or with a fresh
// load of the same file, has no changes, for the test books and every
// example.
func TestDiffIdentical(t *testing.T) {
	srcs := map[string]string{"old": diffOld, "new": diffNew}
	files, err := filepath.Glob(filepath.Join("..", "examples", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		srcs[filepath.Base(f)] = string(src)
	}
	if len(srcs) < 3 {
		t.Fatalf("got %d books, want the examples too", len(srcs))
	}
	for name, src := range srcs {
		t.Run(name, func(t *testing.T) {
			a, b := loadDiffBook(t, src), loadDiffBook(t, src)
			if got := rulebook.Diff(a, a); got != nil {
				t.Errorf("Diff(a, a):\n%s", formatChanges(got))
			}
			if got := rulebook.Diff(a, b); got != nil {
				t.Errorf("Diff(a, reloaded a):\n%s", formatChanges(got))
			}
		})
	}
}

// TestDiffBookOnly shows a change to the grades alone, including a last band
// that gains a minimum and a scheme that gains its first grades, and that
// unscored fields (name, effective date) are ignored.
func TestDiffBookOnly(t *testing.T) {
	base := strings.Replace(diffOld, "name: {zh: 测试积分, en: Test points}", "name: {zh: 新名字, en: New name}", 1)
	base = strings.Replace(base, "effective: 2025-01-01", "effective: 2027-06-01", 1)
	tests := []struct {
		name, from, to string
		want           []rulebook.Change
	}{
		{"unscored fields only", diffOld, base, nil},
		{"last band gains a min",
			diffOld, strings.Replace(diffOld, "{grade: B}", "{grade: B, min: 0}", 1),
			[]rulebook.Change{{Kind: rulebook.Changed, Fields: []rulebook.FieldChange{
				{Field: "grades", Old: "A ≥ 100, B < 100", New: "A ≥ 100, B ≥ 0"}}}}},
		{"grades added",
			strings.Replace(diffOld, "grades:\n  - {grade: A, min: 100}\n  - {grade: B}\n", "", 1),
			strings.Replace(diffOld, "grades:\n  - {grade: A, min: 100}\n  - {grade: B}\n", "grades:\n  - {grade: Pass}\n", 1),
			[]rulebook.Change{{Kind: rulebook.Changed, Fields: []rulebook.FieldChange{
				{Field: "grades", Old: "", New: "Pass (any score)"}}}}},
		{"negative base",
			diffOld, strings.Replace(diffOld, "base: 0", "base: -5", 1),
			[]rulebook.Change{{Kind: rulebook.Changed, Fields: []rulebook.FieldChange{
				{Field: "base", Old: "0", New: "-5"}}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkChanges(t, rulebook.Diff(loadDiffBook(t, tt.from), loadDiffBook(t, tt.to)), tt.want)
		})
	}
}

// TestDiffNil shows that a missing book counts as one without rules: every
// rule is added, or removed, in its book's order, and the book's own fields
// are not compared.
func TestDiffNil(t *testing.T) {
	old := loadDiffBook(t, diffOld)
	var added, removed []rulebook.Change
	for _, r := range old.Rules {
		added = append(added, rulebook.Change{Kind: rulebook.Added, Code: r.Code})
		removed = append(removed, rulebook.Change{Kind: rulebook.Removed, Code: r.Code})
	}
	checkChanges(t, rulebook.Diff(nil, old), added)
	checkChanges(t, rulebook.Diff(old, nil), removed)
	if got := rulebook.Diff(nil, nil); got != nil {
		t.Errorf("Diff(nil, nil) = %v, want nil", got)
	}
}
