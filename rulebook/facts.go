package rulebook

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"cel.dev/cel-go/common/types"
	"github.com/tallycredit/tally"
)

// Evaluate validates facts against the rule's declarations and returns the
// points before any cap, and the facts normalised: number as float64,
// integer as int64, bool as bool and text as string. A number fact accepts
// any Go integer or float type and json.Number; an integer fact also
// accepts a whole float64 (as JSON decoding gives) or json.Number.
//
// Errors are *tally.Error with code tally.EInvalid. Field "facts.NAME"
// names a fact that is missing, undeclared, of the wrong type or out of
// range; Field "points" means the result is not a finite number within
// int64, cannot be computed (such as division by zero), or has the wrong
// sign for the rule's effect: an award gives zero or more, a deduction zero
// or less. A fractional result is truncated toward zero, so 2.9 gives 2 and
// -2.5 gives -2. Evaluate is safe for concurrent use.
func (r *Rule) Evaluate(facts map[string]any) (points int64, normalised map[string]any, err error) {
	normalised, err = r.normalise(facts)
	if err != nil {
		return 0, nil, err
	}
	if r.program == nil {
		return r.literal, normalised, nil
	}
	val, _, err := r.program.Eval(normalised)
	if err != nil {
		return 0, nil, tally.FieldErrorf("points", "rule %s: cannot compute the points: %v", r.Code, err)
	}
	switch v := val.(type) {
	case types.Int:
		points = int64(v)
	case types.Double:
		f := math.Trunc(float64(v))
		if math.IsNaN(f) || f < -twoTo63 || f >= twoTo63 {
			return 0, nil, tally.FieldErrorf("points", "rule %s: the points come to %v, which is not a whole number of points within range", r.Code, float64(v))
		}
		points = int64(f)
	default:
		return 0, nil, tally.FieldErrorf("points", "rule %s: the points expression gave %v, not a number", r.Code, val)
	}
	if r.Effect == Award && points < 0 {
		return 0, nil, tally.FieldErrorf("points", "rule %s is an award but these facts give %d points", r.Code, points)
	}
	if r.Effect == Deduction && points > 0 {
		return 0, nil, tally.FieldErrorf("points", "rule %s is a deduction but these facts give +%d points", r.Code, points)
	}
	return points, normalised, nil
}

// normalise checks that facts holds every declared fact and nothing else,
// each of its declared type and within its bounds, and returns the facts
// converted to their canonical Go types. Declared facts are checked in file
// order, then undeclared ones by name, so the error is always the same.
func (r *Rule) normalise(facts map[string]any) (map[string]any, error) {
	out := make(map[string]any, len(r.Facts))
	for _, f := range r.Facts {
		raw, ok := facts[f.Name]
		if !ok {
			return nil, factErrorf(f.Name, "missing: rule %s needs a %s %s", r.Code, f.Type, f.Name)
		}
		v, err := f.convert(raw)
		if err != nil {
			return nil, err
		}
		out[f.Name] = v
	}
	if len(facts) > len(out) {
		var extra []string
		for name := range facts {
			if _, ok := out[name]; !ok {
				extra = append(extra, name)
			}
		}
		slices.Sort(extra)
		return nil, factErrorf(extra[0], "not a fact of rule %s (it takes %s)", r.Code, r.factNames())
	}
	return out, nil
}

// factNames lists the declared fact names for messages.
func (r *Rule) factNames() string {
	if len(r.Facts) == 0 {
		return "no facts"
	}
	names := make([]string, len(r.Facts))
	for i, f := range r.Facts {
		names[i] = f.Name
	}
	return strings.Join(names, ", ")
}

func factErrorf(name, format string, args ...any) *tally.Error {
	return tally.FieldErrorf("facts."+name, format, args...)
}

// convert turns a value into the fact's Go type and checks its bounds.
func (f Fact) convert(v any) (any, error) {
	switch f.Type {
	case Number:
		x, ok := toFloat(v)
		if !ok || math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, factErrorf(f.Name, "want a number, got %s", show(v))
		}
		return x, f.inRange(x)
	case Integer:
		n, ok := toInt(v)
		if !ok {
			return nil, factErrorf(f.Name, "want an integer, got %s", show(v))
		}
		return n, f.inRange(float64(n))
	case Bool:
		b, ok := v.(bool)
		if !ok {
			return nil, factErrorf(f.Name, "want true or false, got %s", show(v))
		}
		return b, nil
	case Text:
		s, ok := v.(string)
		if !ok {
			return nil, factErrorf(f.Name, "want text, got %s", show(v))
		}
		return s, nil
	}
	return nil, factErrorf(f.Name, "has unknown type %q", f.Type)
}

// inRange checks a numeric value against the fact's min and max.
func (f Fact) inRange(x float64) error {
	if f.Min != nil && x < *f.Min {
		return factErrorf(f.Name, "%v is below the minimum %v", x, *f.Min)
	}
	if f.Max != nil && x > *f.Max {
		return factErrorf(f.Name, "%v is above the maximum %v", x, *f.Max)
	}
	return nil
}

// show describes a value of the wrong type for messages.
func show(v any) string {
	switch v := v.(type) {
	case nil:
		return "nothing"
	case string:
		return strconv.Quote(v)
	case bool, json.Number, float64, float32, int, int64, int32, uint64:
		return fmt.Sprint(v)
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("a Go %T", v)
}

// toFloat converts any Go number or json.Number to float64.
func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case float32:
		return float64(x), true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	}
	if n, ok := toInt(v); ok {
		return float64(n), true
	}
	if u, ok := v.(uint64); ok {
		return float64(u), true
	}
	if u, ok := v.(uint); ok {
		return float64(u), true
	}
	return 0, false
}

// twoTo63 is 2^63, the first float64 above math.MaxInt64.
const twoTo63 = float64(1 << 63)

// toInt converts any Go integer that fits in int64, a whole float within
// range, or a json.Number holding either, to int64.
func toInt(v any) (int64, bool) {
	switch x := v.(type) {
	case int:
		return int64(x), true
	case int8:
		return int64(x), true
	case int16:
		return int64(x), true
	case int32:
		return int64(x), true
	case int64:
		return x, true
	case uint8:
		return int64(x), true
	case uint16:
		return int64(x), true
	case uint32:
		return int64(x), true
	case uint:
		return int64(x), uint64(x) <= math.MaxInt64
	case uint64:
		return int64(x), x <= math.MaxInt64
	case float64:
		return wholeFloat(x)
	case float32:
		return wholeFloat(float64(x))
	case json.Number:
		if n, err := x.Int64(); err == nil {
			return n, true
		}
		if f, err := x.Float64(); err == nil {
			return wholeFloat(f)
		}
	}
	return 0, false
}

func wholeFloat(f float64) (int64, bool) {
	if f != math.Trunc(f) || f < -twoTo63 || f >= twoTo63 {
		return 0, false
	}
	return int64(f), true
}

// ParseFacts turns "name=value" strings, as given on a command line, into
// typed facts for Evaluate: a number parses as a decimal, an integer as a
// base-10 integer, a bool as true or false, and text is taken as written.
// It checks the facts as Evaluate does (none missing, none undeclared,
// bounds) without computing the points. Errors are *tally.Error with code
// tally.EInvalid and Field "facts.NAME" naming the fact at fault, or
// "facts" for an argument without "=".
func (r *Rule) ParseFacts(kv []string) (map[string]any, error) {
	facts := make(map[string]any, len(kv))
	for _, arg := range kv {
		name, value, ok := strings.Cut(arg, "=")
		name = strings.TrimSpace(name)
		if !ok || name == "" {
			return nil, tally.FieldErrorf("facts", "%q: want name=value", arg)
		}
		if _, dup := facts[name]; dup {
			return nil, factErrorf(name, "given twice")
		}
		i := slices.IndexFunc(r.Facts, func(f Fact) bool { return f.Name == name })
		if i < 0 {
			return nil, factErrorf(name, "not a fact of rule %s (it takes %s)", r.Code, r.factNames())
		}
		v, err := r.Facts[i].parse(value)
		if err != nil {
			return nil, err
		}
		facts[name] = v
	}
	return r.normalise(facts)
}

// parse reads a command-line value of the fact's type.
func (f Fact) parse(s string) (any, error) {
	switch f.Type {
	case Number:
		x, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, factErrorf(f.Name, "%q is not a number", s)
		}
		return x, nil
	case Integer:
		n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if err != nil {
			return nil, factErrorf(f.Name, "%q is not an integer", s)
		}
		return n, nil
	case Bool:
		switch strings.ToLower(strings.TrimSpace(s)) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
		return nil, factErrorf(f.Name, "%q: want true or false", s)
	}
	return s, nil
}
