package rulebook

import (
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// points reads the points and effect of a rule. A YAML integer is a
// literal whose sign gives the effect; anything else is a CEL expression,
// compiled here so that a rulebook with a bad expression never loads, and
// the effect must then be given. It reports whether r.Effect is settled,
// so that the safeguards for awards or deductions can be checked even when
// the expression does not compile.
func (l *loader) points(m fields, r *Rule) bool {
	effectOK := true
	var effectLine int
	if e, ok := m.get("effect"); ok {
		effectLine = e.key.Line
		if s, ok := l.text(e, "effect"); ok {
			switch Effect(s) {
			case Award, Deduction:
				r.Effect = Effect(s)
			default:
				l.errorf(e.key.Line, "effect", "%q: want award or deduction", s)
				effectOK = false
			}
		} else {
			effectOK = false
		}
	}
	e, ok := l.need(m, "points")
	if !ok {
		return false
	}
	v := e.val
	if v.Kind != yaml.ScalarNode || v.ShortTag() == "!!null" {
		l.errorf(e.key.Line, "points", "want an integer or an expression, got %s", describe(v))
		return false
	}
	r.Points = v.Value
	if v.ShortTag() == "!!int" {
		n, ok := l.integer(e, "points")
		if !ok {
			return false
		}
		r.literal = n
		if n == 0 {
			l.errorf(e.key.Line, "points", "0 points does nothing; give the rule points or remove it")
			return false
		}
		sign := Award
		if n < 0 {
			sign = Deduction
		}
		if r.Effect != "" && r.Effect != sign {
			l.errorf(effectLine, "effect", "%s, but points %d make it %s", r.Effect, n, sign.withArticle())
			return false
		}
		r.Effect = sign
		return effectOK
	}
	if r.Effect == "" && effectOK {
		l.errorf(e.key.Line, "effect", "missing: a rule whose points are an expression must say award or deduction")
		effectOK = false
	}
	for _, f := range r.Facts {
		if f.Type == "" || !validFactName(f.Name) {
			return effectOK // reported with the fact; the expression cannot be checked
		}
	}
	prg, err := compilePoints(r.Facts, r.Points)
	if err != nil {
		what := "the expression"
		if !strings.Contains(r.Points, "\n") {
			what = strconv.Quote(r.Points)
		}
		l.errorf(e.key.Line, "points", "%s does not compile: %v", what, err)
		return effectOK
	}
	r.program = prg
	return effectOK
}

// withArticle returns "an award" or "a deduction", for messages.
func (e Effect) withArticle() string {
	if e == Award {
		return "an award"
	}
	return "a deduction"
}
