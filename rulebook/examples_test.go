package rulebook_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/rulebook"
)

// loadExample loads examples/name and fails on any problem, warnings
// included: the examples are what people copy.
func loadExample(tb testing.TB, name string) *rulebook.Book {
	tb.Helper()
	src, err := os.ReadFile(filepath.Join("..", "examples", name))
	if err != nil {
		tb.Fatal(err)
	}
	b, rep := rulebook.Load(name, src)
	for _, p := range rep {
		tb.Errorf("%s", p)
	}
	if b == nil {
		tb.Fatalf("%s did not load", name)
	}
	return b
}

// TestExamplesLoad loads every examples/*.yaml.
func TestExamplesLoad(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "examples", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 3 {
		t.Fatalf("got %d example rulebooks, want at least 3", len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			loadExample(t, filepath.Base(f))
		})
	}
}

// TestExampleSeedFacts checks the examples against the facts reported from
// the schemes they model.
func TestExampleSeedFacts(t *testing.T) {
	tests := []struct {
		file, rule string
		facts      map[string]any
		want       int64
	}{
		// Jiakuang Majia: 8 hours installing a basketball hoop, 2 points.
		{"village.yaml", "labour.volunteer", map[string]any{"hours": 8.0}, 2},
		// A 3,000-yuan television, 30 points.
		{"village.yaml", "donation", map[string]any{"value": 3000.0}, 30},
		// Parents of a soldier, 10 points.
		{"village.yaml", "family.military", nil, 10},
		// One man fined for littering lost 10 points.
		{"village.yaml", "conduct.littering", nil, -10},
		{"city.yaml", "finance.loan-default", nil, -20},
		{"city.yaml", "contract.breach-judgment", nil, -50},
		{"city.yaml", "finance.card-arrears", map[string]any{"cycles": 1}, -10},
		{"city.yaml", "finance.card-arrears", map[string]any{"cycles": 3}, -30},
		{"city.yaml", "utilities.late-fees", nil, -20},
		{"city.yaml", "utilities.arrears-judgment", nil, -50},
		{"city.yaml", "utilities.illegal-heating-tap", nil, -50},
		{"city.yaml", "utilities.theft", nil, -60},
		{"city.yaml", "utilities.equipment-damage", nil, -100},
		{"city.yaml", "public-good.heroic-act", nil, 30},
		{"city.yaml", "volunteering.hours", map[string]any{"hours": 10.0}, 2},
		{"market.yaml", "food-safety.inspection-failed", map[string]any{"samples": 1}, -10},
		{"market.yaml", "food-safety.inspection-failed", map[string]any{"samples": 2}, -15},
	}
	books := map[string]*rulebook.Book{}
	for _, tt := range tests {
		b, ok := books[tt.file]
		if !ok {
			b = loadExample(t, tt.file)
			books[tt.file] = b
		}
		got, _, err := mustRule(t, b, tt.rule).Evaluate(tt.facts)
		if err != nil || got != tt.want {
			t.Errorf("%s %s %v: got %d, %v; want %d", tt.file, tt.rule, tt.facts, got, err, tt.want)
		}
	}
}

// TestExampleSchemes checks each example's scheme-level settings.
func TestExampleSchemes(t *testing.T) {
	village := loadExample(t, "village.yaml")
	if village.Scheme != "jiakuang-majia" || village.Base != 0 || !village.Accepts(tally.Person) ||
		village.Board == nil || *village.Board != (tally.Board{Star: 1, Flag: 6}) {
		t.Errorf("village: got scheme %q base %d board %v", village.Scheme, village.Base, village.Board)
	}

	city := loadExample(t, "city.yaml")
	if city.Scheme != "rongcheng-city" || city.Base != 1000 {
		t.Errorf("city: got scheme %q base %d, want rongcheng-city 1000", city.Scheme, city.Base)
	}
	for _, tt := range []struct {
		score int64
		want  string
	}{{1050, "AAA"}, {1049, "AA"}, {1030, "AA"}, {1029, "A"}, {1000, "A"}, {960, "A"}, {959, "B"}, {850, "B"}, {849, "C"}, {600, "C"}, {599, "D"}, {0, "D"}} {
		if got := city.Grade(tt.score); got != tt.want {
			t.Errorf("city Grade(%d): got %q, want %q", tt.score, got, tt.want)
		}
	}
	for _, r := range city.Rules {
		if r.Effect == rulebook.Deduction && (!r.EvidenceRequired || r.Basis.Zh == "" || r.Basis.En == "" || r.Cap == nil || r.Lasts.IsZero()) {
			t.Errorf("city %s: a deduction without evidence, basis, cap or expiry", r.Code)
		}
	}

	market := loadExample(t, "market.yaml")
	if market.Base != 60 || !market.Accepts(tally.Organisation) || market.Accepts(tally.Person) {
		t.Errorf("market: got base %d subjects %v, want 60 and organisations only", market.Base, market.Subjects)
	}
	for _, tt := range []struct {
		score int64
		want  string
	}{{100, "5-star"}, {99, "4-star"}, {90, "4-star"}, {75, "3-star"}, {60, "2-star"}, {59, "1-star"}} {
		if got := market.Grade(tt.score); got != tt.want {
			t.Errorf("market Grade(%d): got %q, want %q", tt.score, got, tt.want)
		}
	}
	if got := market.Location.String(); got != rulebook.DefaultTimezone {
		t.Errorf("market: got time zone %s, want the default %s", got, rulebook.DefaultTimezone)
	}
}

// Every number a recorder types is asked for by a title in both
// languages, so that a form never shows a bare fact name.
func TestExampleFactsHaveTitles(t *testing.T) {
	for _, name := range []string{"village.yaml", "city.yaml", "market.yaml"} {
		b := loadExample(t, name)
		for _, r := range b.Rules {
			for _, f := range r.Facts {
				if f.Title.Zh == "" || f.Title.En == "" {
					t.Errorf("%s rule %s fact %s: title %+v, want both languages", name, r.Code, f.Name, f.Title)
				}
			}
		}
	}
	bad := `scheme: s
name: {zh: 测试, en: Test}
subjects: [person]
effective: 2025-01-01
categories:
  - {code: good, title: {zh: 好, en: Good}}
rules:
  - code: tidy
    title: {zh: 整洁, en: Tidy}
    category: good
    facts:
      hours: {type: number, title: 时长}
    points: hours
    effect: award
    cap: {points: 1, per: month}
`
	_, rep := rulebook.Load("bad.yaml", []byte(bad))
	found := false
	for _, p := range rep.Errors() {
		found = found || (p.Field == "facts.hours.title" && p.Rule == "tidy" && p.Line == 12)
	}
	if !found {
		t.Errorf("a fact title that is not bilingual: %v, want an error at line 12, facts.hours.title", rep)
	}
}
