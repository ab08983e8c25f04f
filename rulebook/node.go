package rulebook

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/tallycredit/tally"
	"go.yaml.in/yaml/v3"
)

// loader collects the problems of one rulebook while it is read. code is
// the rule being read, so that every problem names it.
type loader struct {
	file      string
	code      string
	rep       Report
	catLines  map[string]int // the line of each category, by code
	published bool           // loading a version already published: see policyf
}

func (l *loader) add(warning bool, line int, field, format string, args ...any) {
	l.rep = append(l.rep, Problem{
		File:    l.file,
		Line:    line,
		Rule:    l.code,
		Field:   field,
		Message: fmt.Sprintf(format, args...),
		said:    &said{format, args},
		Warning: warning,
	})
}

func (l *loader) errorf(line int, field, format string, args ...any) {
	l.add(false, line, field, format, args...)
}

func (l *loader) warnf(line int, field, format string, args ...any) {
	l.add(true, line, field, format, args...)
}

// policyf reports a breach of the rules on what a scheme may punish or
// collect (protected activities, minors, forbidden data, listed measures):
// an error that stops publishing, and a warning when a version published
// before the check existed is loaded again, so that a stricter tally never
// stops a running scheme; its administrators see the warning and publish a
// corrected version.
func (l *loader) policyf(line int, field, format string, args ...any) {
	l.add(l.published, line, field, format, args...)
}

// entry is one key and its value in a YAML mapping.
type entry struct {
	key, val *yaml.Node
}

// fields is a YAML mapping read by mapping: its entries by key, and the
// mapping node itself for the line of a missing field.
type fields struct {
	node    *yaml.Node
	path    string
	entries map[string]entry
	order   []string
}

// join returns the field path of name inside path, such as "cap.points".
func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// mapping reads n as a mapping whose keys are among known (any key when
// known is empty). It reports a value that is not a mapping, keys that are
// not text, unknown keys and duplicate keys; ok is false only when n is not
// a mapping.
func (l *loader) mapping(n *yaml.Node, path string, known ...string) (fields, bool) {
	m := fields{node: n, path: path, entries: map[string]entry{}}
	if n.Kind != yaml.MappingNode {
		l.errorf(n.Line, path, "want a mapping (name: value pairs), got %s", describe(n))
		return m, false
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode || k.ShortTag() == "!!null" {
			l.errorf(k.Line, path, "a field name must be plain text, got %s", describe(k))
			continue
		}
		name := k.Value
		if len(known) > 0 && !slices.Contains(known, name) {
			l.errorf(k.Line, join(path, name), "unknown field (want %s)", strings.Join(known, ", "))
			continue
		}
		if prev, dup := m.entries[name]; dup {
			l.errorf(k.Line, join(path, name), "given twice (first at line %d)", prev.key.Line)
			continue
		}
		m.entries[name] = entry{key: k, val: v}
		m.order = append(m.order, name)
	}
	return m, true
}

// get returns the entry for name, if present.
func (m fields) get(name string) (entry, bool) {
	e, ok := m.entries[name]
	return e, ok
}

// need returns the entry for name, reporting it missing when absent.
func (l *loader) need(m fields, name string) (entry, bool) {
	e, ok := m.entries[name]
	if !ok {
		l.errorf(m.node.Line, join(m.path, name), "missing (this field is required)")
	}
	return e, ok
}

// describe names the kind of a YAML value for messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	switch n.ShortTag() {
	case "!!null":
		return "nothing"
	case "!!int":
		return "the integer " + n.Value
	case "!!float":
		return "the number " + n.Value
	case "!!bool":
		return "the boolean " + n.Value
	}
	return fmt.Sprintf("%q", n.Value)
}

// text reads a non-empty scalar as text, as written.
func (l *loader) text(e entry, field string) (string, bool) {
	v := e.val
	if v.Kind != yaml.ScalarNode || v.ShortTag() == "!!null" {
		l.errorf(e.key.Line, field, "want text, got %s", describe(v))
		return "", false
	}
	s := strings.TrimSpace(v.Value)
	if s == "" {
		l.errorf(e.key.Line, field, "is empty")
		return "", false
	}
	return s, true
}

// integer reads an integer scalar.
func (l *loader) integer(e entry, field string) (int64, bool) {
	v := e.val
	var n int64
	if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!int" {
		l.errorf(e.key.Line, field, "want an integer, got %s", describe(v))
		return 0, false
	}
	if err := v.Decode(&n); err != nil {
		l.errorf(e.key.Line, field, "%s is not a 64-bit integer", v.Value)
		return 0, false
	}
	return n, true
}

// number reads an integer or decimal scalar as a finite float64.
func (l *loader) number(e entry, field string) (float64, bool) {
	v := e.val
	var f float64
	if v.Kind != yaml.ScalarNode || (v.ShortTag() != "!!int" && v.ShortTag() != "!!float") {
		l.errorf(e.key.Line, field, "want a number, got %s", describe(v))
		return 0, false
	}
	if err := v.Decode(&f); err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		l.errorf(e.key.Line, field, "%s is not a finite number", v.Value)
		return 0, false
	}
	return f, true
}

// bilingual reads {zh: ..., en: ...}; both languages are required, since
// every name a person reads is published in both.
func (l *loader) bilingual(e entry, field string) (tally.Text, bool) {
	m, ok := l.mapping(e.val, field, "zh", "en")
	if !ok {
		return tally.Text{}, false
	}
	var t tally.Text
	okZh, okEn := false, false
	if z, ok := l.need(m, "zh"); ok {
		t.Zh, okZh = l.text(z, join(field, "zh"))
	}
	if n, ok := l.need(m, "en"); ok {
		t.En, okEn = l.text(n, join(field, "en"))
	}
	return t, okZh && okEn
}

// basisText reads a basis: {zh: ..., en: ...}, or one line of text, which
// older books and catalogues wrote and which is read as the Chinese text
// with a warning that the English one is missing.
func (l *loader) basisText(e entry, field string) (tally.Text, bool) {
	if e.val.Kind == yaml.MappingNode {
		return l.bilingual(e, field)
	}
	s, ok := l.text(e, field)
	if ok {
		l.warnf(e.key.Line, field, "only one language; write {zh: ..., en: ...} so that English readers see the basis in English")
	}
	return tally.Text{Zh: s}, ok
}

// findAlias returns the first alias node in the tree under n, if any.
func findAlias(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.AliasNode {
		return n
	}
	for _, c := range n.Content {
		if a := findAlias(c); a != nil {
			return a
		}
	}
	return nil
}

// keyLine returns the line of key in mapping n, or def when it is absent.
func keyLine(n *yaml.Node, key string, def int) int {
	if n.Kind != yaml.MappingNode {
		return def
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i].Line
		}
	}
	return def
}
