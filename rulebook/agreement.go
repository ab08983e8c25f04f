package rulebook

import (
	"bytes"
	"cmp"
	"slices"
	"strings"

	"github.com/tallycredit/tally"
	"go.yaml.in/yaml/v3"
)

var agreementFields = []string{"id", "issuer", "receiver", "purpose", "basis", "lists", "rules"}

// LoadAgreement parses and checks a data-sharing agreement, reporting every
// problem with its line, as Load does for rulebooks. The agreement names
// itself, its issuer and receiver instances (two different ones), its
// purpose and legal basis in Chinese and English, and what it shares: list
// ids, scheme/rule ids or both, each once. It returns a nil Agreement when
// any problem is an error; the Agreement it returns has no version,
// digest or publisher yet (publishing sets them) and keeps a copy of src
// as its Source.
func LoadAgreement(filename string, src []byte) (*tally.Agreement, Report) {
	l := &loader{file: filename}
	a := l.agreement(bytes.Clone(src))
	slices.SortStableFunc(l.rep, func(a, b Problem) int { return cmp.Compare(a.Line, b.Line) })
	if len(l.rep.Errors()) > 0 {
		return nil, l.rep
	}
	return a, l.rep
}

func (l *loader) agreement(src []byte) *tally.Agreement {
	root := l.parse(src)
	if root == nil {
		return nil
	}
	m, ok := l.mapping(root, "", agreementFields...)
	if !ok {
		return nil
	}
	a := &tally.Agreement{Source: src}
	a.ID, _ = l.id(m, "")
	a.Issuer = l.instance(m, "issuer")
	a.Receiver = l.instance(m, "receiver")
	if a.Issuer != "" && a.Issuer == a.Receiver {
		l.errorf(keyLine(root, "receiver", root.Line), "receiver", "%q is the issuer too: an agreement is between two instances", a.Receiver)
	}
	a.Purpose = l.requiredBasis(m, "", "purpose")
	a.Basis = l.requiredBasis(m, "", "basis")
	if e, ok := m.get("lists"); ok {
		a.Lists = l.names(e, "lists", l.idSyntax)
	}
	if e, ok := m.get("rules"); ok {
		a.Rules = l.names(e, "rules", l.ruleName)
	}
	if len(a.Lists) == 0 && len(a.Rules) == 0 {
		l.errorf(root.Line, "", "shares nothing: name the lists, the rules (as scheme/rule) or both")
	}
	return a
}

// instance reads the required name of an instance, which has the syntax
// of an id.
func (l *loader) instance(m fields, name string) string {
	e, ok := l.need(m, name)
	if !ok {
		return ""
	}
	s, ok := l.text(e, name)
	if ok && !l.idSyntax(e, name, s) {
		return ""
	}
	return s
}

// idSyntax reports whether s is a well-formed id, reporting it if not.
func (l *loader) idSyntax(e entry, field, s string) bool {
	if len(s) > maxCodeLength || !schemeFormat.MatchString(s) {
		l.errorf(e.key.Line, field, "%q: want lower-case letters, digits and hyphens, at most %d characters", s, maxCodeLength)
		return false
	}
	return true
}

// names reads a list of names, each checked by valid and named once.
func (l *loader) names(e entry, path string, valid func(e entry, field, s string) bool) []string {
	var out []string
	lines := map[string]int{}
	l.items(e, path, func(n *yaml.Node, field string) {
		item := entry{key: n, val: n}
		s, ok := l.text(item, field)
		if !ok || !valid(item, field, s) {
			return
		}
		if first, dup := lines[s]; dup {
			l.errorf(n.Line, field, "given twice (first at line %d)", first)
			return
		}
		lines[s] = n.Line
		out = append(out, s)
	})
	return out
}

// ruleName checks a scheme/rule id.
func (l *loader) ruleName(e entry, field, s string) bool {
	scheme, rule, ok := strings.Cut(s, "/")
	if !ok || len(scheme) > maxCodeLength || !schemeFormat.MatchString(scheme) || len(rule) > maxCodeLength || !codeFormat.MatchString(rule) {
		l.errorf(e.key.Line, field, "%q: want a scheme and a rule code as scheme/rule, such as rongcheng-city/tax.arrears", s)
		return false
	}
	return true
}
