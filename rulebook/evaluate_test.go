package rulebook_test

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"sync"
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/rulebook"
)

// factsBook has one rule of each kind that Evaluate must handle.
const factsBook = header + `  - code: hours
    title: {zh: 义务劳动, en: Volunteer labour}
    category: good
    facts:
      hours: {type: number, min: 0, max: 24}
    points: hours / 4
    effect: award
    cap: {points: 20, per: month}
  - code: gain
    title: {zh: 加分, en: Gain}
    category: good
    facts: {x: number}
    points: x
    effect: award
    cap: {points: 100, per: day}
  - code: loss
    title: {zh: 扣分, en: Loss}
    category: bad
    facts: {x: number}
    points: x
    effect: deduction
    severity: minor
    lasts: 3m
    cap: {points: 100, per: day}
    basis: {zh: 测试公约, en: Test covenant}
    evidence: required
  - code: mixed
    title: {zh: 组合, en: Mixed}
    category: good
    facts:
      n: {type: integer, min: 1}
      done: bool
      who: text
    points: "done && who != '' ? n * 2 : 0"
    effect: award
    cap: {points: 100, per: day}
  - code: divide
    title: {zh: 除法, en: Divide}
    category: good
    facts: {n: integer, d: integer, x: number}
    points: "n / d + x / 0.5"
    effect: award
    cap: {points: 100, per: day}
  - code: big
    title: {zh: 大数, en: Big}
    category: good
    facts: {n: integer, x: number}
    points: "n * 9223372036854775807 + int(x)"
    effect: award
    cap: {points: 100, per: day}
  - code: plain
    title: {zh: 固定, en: Plain}
    category: good
    points: 3
    cap: {points: 3, per: day}
`

func TestEvaluate(t *testing.T) {
	b := mustLoad(t, factsBook)
	tests := []struct {
		rule  string
		facts map[string]any
		want  int64
		norm  map[string]any
	}{
		{"hours", map[string]any{"hours": 8.0}, 2, map[string]any{"hours": 8.0}},
		{"hours", map[string]any{"hours": 2}, 0, map[string]any{"hours": 2.0}},
		{"hours", map[string]any{"hours": 7.9}, 1, map[string]any{"hours": 7.9}},
		{"hours", map[string]any{"hours": json.Number("12")}, 3, map[string]any{"hours": 12.0}},
		{"hours", map[string]any{"hours": int64(24)}, 6, map[string]any{"hours": 24.0}},
		// Rounding is toward zero, for gains and losses alike.
		{"gain", map[string]any{"x": 2.9}, 2, map[string]any{"x": 2.9}},
		{"gain", map[string]any{"x": 0.4}, 0, map[string]any{"x": 0.4}},
		{"loss", map[string]any{"x": -2.5}, -2, map[string]any{"x": -2.5}},
		{"loss", map[string]any{"x": -2.9}, -2, map[string]any{"x": -2.9}},
		{"loss", map[string]any{"x": -0.5}, 0, map[string]any{"x": -0.5}},
		{"mixed", map[string]any{"n": 3, "done": true, "who": "li"}, 6, map[string]any{"n": int64(3), "done": true, "who": "li"}},
		{"mixed", map[string]any{"n": 3.0, "done": false, "who": "li"}, 0, map[string]any{"n": int64(3), "done": false, "who": "li"}},
		{"mixed", map[string]any{"n": json.Number("4"), "done": true, "who": "li"}, 8, map[string]any{"n": int64(4), "done": true, "who": "li"}},
		{"divide", map[string]any{"n": 7, "d": 2, "x": 1.0}, 5, map[string]any{"n": int64(7), "d": int64(2), "x": 1.0}},
		{"plain", map[string]any{}, 3, map[string]any{}},
		{"plain", nil, 3, map[string]any{}},
	}
	for _, tt := range tests {
		r := mustRule(t, b, tt.rule)
		got, norm, err := r.Evaluate(tt.facts)
		if err != nil {
			t.Errorf("%s %v: got error %v", tt.rule, tt.facts, err)
			continue
		}
		if got != tt.want {
			t.Errorf("%s %v: got %d points, want %d", tt.rule, tt.facts, got, tt.want)
		}
		if !equalFacts(norm, tt.norm) {
			t.Errorf("%s %v: got normalised %#v, want %#v", tt.rule, tt.facts, norm, tt.norm)
		}
	}
}

func equalFacts(a, b map[string]any) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func TestEvaluateErrors(t *testing.T) {
	b := mustLoad(t, factsBook)
	tests := []struct {
		name  string
		rule  string
		facts map[string]any
		field string
		msg   string
	}{
		{"missing fact", "hours", map[string]any{}, "facts.hours", "missing"},
		{"undeclared fact", "hours", map[string]any{"hours": 1.0, "minutes": 5.0}, "facts.minutes", "not a fact of rule hours (it takes hours)"},
		{"fact of a rule without facts", "plain", map[string]any{"x": 1}, "facts.x", "it takes no facts"},
		{"string for number", "hours", map[string]any{"hours": "8"}, "facts.hours", `want a number, got "8"`},
		{"nil for number", "hours", map[string]any{"hours": nil}, "facts.hours", "got nothing"},
		{"NaN", "hours", map[string]any{"hours": math.NaN()}, "facts.hours", "want a number"},
		{"infinity", "gain", map[string]any{"x": math.Inf(1)}, "facts.x", "want a number"},
		{"below min", "hours", map[string]any{"hours": -1.0}, "facts.hours", "below the minimum 0"},
		{"above max", "hours", map[string]any{"hours": 25}, "facts.hours", "above the maximum 24"},
		{"fraction for integer", "mixed", map[string]any{"n": 2.5, "done": true, "who": "li"}, "facts.n", "want an integer, got 2.5"},
		{"integer below min", "mixed", map[string]any{"n": 0, "done": true, "who": "li"}, "facts.n", "below the minimum 1"},
		{"string for bool", "mixed", map[string]any{"n": 1, "done": "true", "who": "li"}, "facts.done", "want true or false"},
		{"number for text", "mixed", map[string]any{"n": 1, "done": true, "who": 3}, "facts.who", "want text, got 3"},
		{"list for text", "mixed", map[string]any{"n": 1, "done": true, "who": []any{"a"}}, "facts.who", "got a list"},
		{"huge uint", "mixed", map[string]any{"n": uint64(math.MaxUint64), "done": true, "who": "li"}, "facts.n", "want an integer"},
		{"award gives a negative", "gain", map[string]any{"x": -3.0}, "points", "is an award but these facts give -3 points"},
		{"deduction gives a positive", "loss", map[string]any{"x": 3.0}, "points", "is a deduction but these facts give +3 points"},
		{"integer division by zero", "divide", map[string]any{"n": 1, "d": 0, "x": 1.0}, "points", "division by zero"},
		{"result out of int64 range", "gain", map[string]any{"x": 1e300}, "points", "not a whole number of points within range"},
		{"integer overflow", "big", map[string]any{"n": 2, "x": 0.0}, "points", "overflow"},
		{"double out of range", "big", map[string]any{"n": 0, "x": 1e19}, "points", "cannot compute"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mustRule(t, b, tt.rule)
			got, norm, err := r.Evaluate(tt.facts)
			var te *tally.Error
			if !errors.As(err, &te) {
				t.Fatalf("got %d, %v, error %v; want a *tally.Error", got, norm, err)
			}
			if te.Code != tally.EInvalid || te.Field != tt.field || !strings.Contains(te.Message, tt.msg) {
				t.Errorf("got code %s field %q message %q, want %s %q containing %q", te.Code, te.Field, te.Message, tally.EInvalid, tt.field, tt.msg)
			}
			if got != 0 || norm != nil {
				t.Errorf("got %d points and facts %v with an error, want 0 and nil", got, norm)
			}
		})
	}
}

// TestEvaluateCostLimit shows that an expensive expression stops with an
// error instead of running away.
func TestEvaluateCostLimit(t *testing.T) {
	b := mustLoad(t, doc(award, "facts: {s: text}", "effect: award", `points: "s.matches('(a|b)*c') ? 1 : 0"`))
	r := mustRule(t, b, "tidy")
	if got, _, err := r.Evaluate(map[string]any{"s": "abab"}); err != nil || got != 0 {
		t.Fatalf("short text: got %d, %v; want 0, nil", got, err)
	}
	_, _, err := r.Evaluate(map[string]any{"s": strings.Repeat("ab", 100_000)})
	var te *tally.Error
	if !errors.As(err, &te) || te.Field != "points" || !strings.Contains(te.Message, "cost limit") {
		t.Errorf("long text: got error %v, want a points error about the cost limit", err)
	}
}

// TestEvaluateConcurrent runs one rule from many goroutines; run with -race.
func TestEvaluateConcurrent(t *testing.T) {
	r := mustRule(t, mustLoad(t, factsBook), "hours")
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			for j := range 50 {
				hours := float64((i + j) % 25)
				got, _, err := r.Evaluate(map[string]any{"hours": hours})
				if want := int64(hours / 4); err != nil || got != want {
					t.Errorf("hours %v: got %d, %v; want %d", hours, got, err, want)
				}
			}
		})
	}
	wg.Wait()
}

func TestParseFacts(t *testing.T) {
	b := mustLoad(t, factsBook)
	tests := []struct {
		rule string
		kv   []string
		want map[string]any
	}{
		{"hours", []string{"hours=8"}, map[string]any{"hours": 8.0}},
		{"hours", []string{" hours = 2.5 "}, map[string]any{"hours": 2.5}},
		{"mixed", []string{"n=3", "done=true", "who=Li Wei"}, map[string]any{"n": int64(3), "done": true, "who": "Li Wei"}},
		{"mixed", []string{"who=a=b", "n=1", "done=FALSE"}, map[string]any{"n": int64(1), "done": false, "who": "a=b"}},
		{"plain", nil, map[string]any{}},
	}
	for _, tt := range tests {
		r := mustRule(t, b, tt.rule)
		got, err := r.ParseFacts(tt.kv)
		if err != nil {
			t.Errorf("%s %q: got error %v", tt.rule, tt.kv, err)
			continue
		}
		if !equalFacts(got, tt.want) {
			t.Errorf("%s %q: got %#v, want %#v", tt.rule, tt.kv, got, tt.want)
		}
		if _, _, err := r.Evaluate(got); err != nil {
			t.Errorf("%s %q: Evaluate of the parsed facts: %v", tt.rule, tt.kv, err)
		}
	}
	// The seed fact through the command-line path.
	facts, err := mustRule(t, b, "hours").ParseFacts([]string{"hours=8"})
	if err != nil {
		t.Fatal(err)
	}
	if got, _, err := mustRule(t, b, "hours").Evaluate(facts); err != nil || got != 2 {
		t.Errorf("hours=8: got %d, %v; want 2", got, err)
	}
}

func TestParseFactsErrors(t *testing.T) {
	b := mustLoad(t, factsBook)
	tests := []struct {
		name  string
		rule  string
		kv    []string
		field string
		msg   string
	}{
		{"not a number", "hours", []string{"hours=eight"}, "facts.hours", `"eight" is not a number`},
		{"NaN", "hours", []string{"hours=NaN"}, "facts.hours", "not a number"},
		{"not an integer", "mixed", []string{"n=2.5", "done=true", "who=x"}, "facts.n", `"2.5" is not an integer`},
		{"not a bool", "mixed", []string{"n=2", "done=yes", "who=x"}, "facts.done", "want true or false"},
		{"no equals sign", "hours", []string{"hours"}, "facts", `"hours": want name=value`},
		{"no name", "hours", []string{"=8"}, "facts", "want name=value"},
		{"undeclared", "hours", []string{"hours=8", "minutes=5"}, "facts.minutes", "not a fact of rule hours"},
		{"twice", "hours", []string{"hours=8", "hours=9"}, "facts.hours", "given twice"},
		{"missing", "mixed", []string{"n=2", "who=x"}, "facts.done", "missing"},
		{"above max", "hours", []string{"hours=30"}, "facts.hours", "above the maximum"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := mustRule(t, b, tt.rule).ParseFacts(tt.kv)
			var te *tally.Error
			if !errors.As(err, &te) {
				t.Fatalf("got %v, error %v; want a *tally.Error", got, err)
			}
			if te.Code != tally.EInvalid || te.Field != tt.field || !strings.Contains(te.Message, tt.msg) {
				t.Errorf("got code %s field %q message %q, want %s %q containing %q", te.Code, te.Field, te.Message, tally.EInvalid, tt.field, tt.msg)
			}
		})
	}
}

// TestRuleFields shows the declared facts of a rule as loaded.
func TestRuleFields(t *testing.T) {
	r := mustRule(t, mustLoad(t, factsBook), "mixed")
	var got []string
	for _, f := range r.Facts {
		got = append(got, f.Name+":"+string(f.Type))
	}
	if want := "n:integer done:bool who:text"; strings.Join(got, " ") != want {
		t.Errorf("got facts %v, want %s", got, want)
	}
	if r.Facts[0].Min == nil || *r.Facts[0].Min != 1 || r.Facts[0].Max != nil {
		t.Errorf("got n min %v max %v, want 1 and none", r.Facts[0].Min, r.Facts[0].Max)
	}
	if r.Effect != rulebook.Award || r.Points != "done && who != '' ? n * 2 : 0" {
		t.Errorf("got effect %s points %q", r.Effect, r.Points)
	}
}
