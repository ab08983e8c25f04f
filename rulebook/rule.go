package rulebook

import (
	"fmt"
	"regexp"
	"slices"

	"github.com/tallycredit/tally"
	"go.yaml.in/yaml/v3"
)

var ruleFields = []string{"code", "title", "category", "facts", "points", "effect",
	"cap", "lasts", "severity", "basis", "evidence", "publish"}

// factFormat is the format of a fact name: a CEL identifier in snake case.
var factFormat = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// reservedFacts are names a fact may not take: CEL's reserved words and the
// names of its types and conversion functions, which a variable would hide.
var reservedFacts = []string{
	"as", "break", "const", "continue", "else", "false", "for", "function", "if",
	"import", "in", "let", "loop", "namespace", "null", "package", "return", "true",
	"var", "void", "while",
	"bool", "bytes", "double", "duration", "dyn", "int", "list", "map", "null_type",
	"string", "timestamp", "type", "uint",
}

// validFactName reports whether name can be a variable of the points
// language.
func validFactName(name string) bool {
	return factFormat.MatchString(name) && !slices.Contains(reservedFacts, name)
}

// rules reads the list of rules. Codes must be unique.
func (l *loader) rules(e entry, b *Book) []*Rule {
	if e.val.Kind != yaml.SequenceNode || len(e.val.Content) == 0 {
		l.errorf(e.key.Line, "rules", "want a non-empty list of rules, got %s", describe(e.val))
		return nil
	}
	var rules []*Rule
	seen := map[string]int{}
	for i, n := range e.val.Content {
		l.code = fmt.Sprintf("#%d", i+1)
		r := l.rule(n, b, seen)
		if r != nil {
			rules = append(rules, r)
		}
	}
	l.code = ""
	return rules
}

// rule reads one rule, compiles its points and checks its safeguards.
func (l *loader) rule(n *yaml.Node, b *Book, seen map[string]int) *Rule {
	// Problems found before the code is read (such as unknown fields) name
	// the rule too.
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if k, v := n.Content[i], n.Content[i+1]; k.Value == "code" && v.Kind == yaml.ScalarNode && v.Value != "" {
				l.code = v.Value
			}
		}
	}
	m, ok := l.mapping(n, "", ruleFields...)
	if !ok {
		return nil
	}
	r := &Rule{Line: n.Line}
	if e, ok := l.need(m, "code"); ok {
		if s, ok := l.text(e, "code"); ok {
			l.code = s
			r.Code = s
			if len(s) > maxCodeLength || !codeFormat.MatchString(s) {
				l.errorf(e.key.Line, "code", "%q: want lower-case letters and digits, joined by single '.', '-' or '_', at most %d characters", s, maxCodeLength)
			}
			if first, dup := seen[s]; dup {
				l.errorf(e.key.Line, "code", "duplicate rule code (first used at line %d)", first)
			} else {
				seen[s] = e.key.Line
			}
		}
	}
	if e, ok := l.need(m, "title"); ok {
		r.Title, _ = l.bilingual(e, "title")
	}
	if e, ok := l.need(m, "category"); ok {
		if s, ok := l.text(e, "category"); ok {
			r.Category = s
			// With no categories read (reported already), every name would be unknown.
			if _, ok := b.Category(s); !ok && l.catLines != nil {
				l.errorf(e.key.Line, "category", "unknown category %q (declare it under categories)", s)
			}
		}
	}
	if e, ok := m.get("facts"); ok {
		r.Facts = l.facts(e)
	}
	l.optional(m, "severity", func(e entry, s string) {
		r.Severity = l.severityOf(e, "severity", s)
	})
	if e, ok := m.get("basis"); ok {
		r.Basis, _ = l.basisText(e, "basis")
	}
	l.optional(m, "evidence", func(e entry, s string) {
		switch s {
		case "required":
			r.EvidenceRequired = true
		case "optional":
		default:
			l.errorf(e.key.Line, "evidence", "%q: want required or optional", s)
		}
	})
	l.optional(m, "lasts", func(e entry, s string) {
		span, err := tally.ParseSpan(s)
		if err != nil {
			l.errorf(e.key.Line, "lasts", "%v", err)
			return
		}
		r.Lasts = span
	})
	if e, ok := m.get("cap"); ok {
		r.Cap = l.ruleCap(e)
	}
	effectKnown := l.points(m, r)
	l.protected(m, r, b)
	l.forbiddenFacts(m, r)
	l.minors(m, r, b)
	l.safeguards(m, r, effectKnown)
	if effectKnown {
		l.severityClass(m, r, b.Periods)
	}
	return r
}

// optional calls fn with the text of an optional field when it is present
// and well formed.
func (l *loader) optional(m fields, name string, fn func(entry, string)) {
	if e, ok := m.get(name); ok {
		if s, ok := l.text(e, name); ok {
			fn(e, s)
		}
	}
}

// facts reads the declared facts of a rule in file order: the short form
// "name: type" or the long form "name: {type, unit, min, max}".
func (l *loader) facts(e entry) []Fact {
	m, ok := l.mapping(e.val, "facts")
	if !ok {
		return nil
	}
	var facts []Fact
	for _, name := range m.order {
		fe := m.entries[name]
		path := "facts." + name
		f := Fact{Name: name}
		if !validFactName(name) {
			l.errorf(fe.key.Line, path, "%q is not a usable fact name: want lower-case letters, digits and '_', starting with a letter, and not a word of the points language", name)
		}
		if fe.val.Kind == yaml.MappingNode {
			fm, _ := l.mapping(fe.val, path, "type", "title", "unit", "min", "max", "requires_consent")
			l.requiresConsent(fm, path, &f)
			if te, ok := l.need(fm, "type"); ok {
				f.Type = l.factType(te, path+".type")
			}
			if te, ok := fm.get("title"); ok {
				f.Title, _ = l.bilingual(te, path+".title")
			}
			if ue, ok := fm.get("unit"); ok {
				f.Unit, _ = l.bilingual(ue, path+".unit")
			}
			for _, b := range []struct {
				name string
				dst  **float64
			}{{"min", &f.Min}, {"max", &f.Max}} {
				be, ok := fm.get(b.name)
				if !ok {
					continue
				}
				if f.Type != Number && f.Type != Integer && f.Type != "" {
					l.errorf(be.key.Line, path+"."+b.name, "only a number or integer fact can have a %s", b.name)
					continue
				}
				if v, ok := l.number(be, path+"."+b.name); ok {
					*b.dst = &v
				}
			}
			if f.Min != nil && f.Max != nil && *f.Min > *f.Max {
				l.errorf(fe.key.Line, path, "min %g is above max %g", *f.Min, *f.Max)
			}
		} else {
			f.Type = l.factType(fe, path)
		}
		facts = append(facts, f)
	}
	return facts
}

// factType reads number, integer, bool or text.
func (l *loader) factType(e entry, field string) FactType {
	s, ok := l.text(e, field)
	if !ok {
		return ""
	}
	switch t := FactType(s); t {
	case Number, Integer, Bool, Text:
		return t
	}
	l.errorf(e.key.Line, field, "unknown fact type %q (want number, integer, bool or text)", s)
	return ""
}

// ruleCap reads {points, per}: the most a subject can gain or lose from
// the rule per calendar day, month or year. A malformed cap is reported
// and returned as a zero Cap, so that "a deduction needs a cap" is not
// reported as well; Load returns no Book then.
func (l *loader) ruleCap(e entry) *tally.Cap {
	c := &tally.Cap{}
	m, ok := l.mapping(e.val, "cap", "points", "per")
	if !ok {
		return c
	}
	if pe, ok := l.need(m, "points"); ok {
		if n, ok := l.integer(pe, "cap.points"); ok {
			if n <= 0 {
				l.errorf(pe.key.Line, "cap.points", "%d: want a positive number of points (the cap bounds gains and losses alike)", n)
			}
			c.Points = n
		}
	}
	if ue, ok := l.need(m, "per"); ok {
		if s, ok := l.text(ue, "cap.per"); ok {
			u, err := tally.ParseUnit(s)
			if err != nil {
				l.errorf(ue.key.Line, "cap.per", "%v", err)
			}
			c.Per = u
		}
	}
	return c
}
