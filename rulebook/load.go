package rulebook

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tallycredit/tally"
	"go.yaml.in/yaml/v3"
)

// The formats of identifiers in a rulebook.
var (
	schemeFormat = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	codeFormat   = regexp.MustCompile(`^[a-z0-9]+([._-][a-z0-9]+)*$`)
)

// maxCodeLength bounds scheme ids and rule and category codes, which appear
// in URLs, file names and printed reports.
const maxCodeLength = 64

// dateLayout is the layout of the effective date.
const dateLayout = "2006-01-02"

var bookFields = []string{"scheme", "name", "subjects", "base", "effective", "timezone",
	"grades", "board", "rewards", "categories", "rules", "due_process", "severity_periods"}

// Load parses, checks and compiles a rulebook. It returns every problem it
// finds, not just the first, in file order, and a nil Book when any problem
// is an error. filename is used only in messages. The Book keeps a copy of
// src as its Source.
func Load(filename string, src []byte) (*Book, Report) {
	return load(&loader{file: filename}, src)
}

// LoadPublished loads a version that was published before: as Load, except
// that a breach of the policy checks (see policyf) is a warning, so that a
// version that was lawful when published still compiles under a stricter
// tally.
func LoadPublished(filename string, src []byte) (*Book, Report) {
	return load(&loader{file: filename, published: true}, src)
}

func load(l *loader, src []byte) (*Book, Report) {
	b := l.book(bytes.Clone(src))
	slices.SortStableFunc(l.rep, func(a, b Problem) int { return cmp.Compare(a.Line, b.Line) })
	if len(l.rep.Errors()) > 0 {
		return nil, l.rep
	}
	return b, l.rep
}

// yamlLine finds "line N: " in a yaml.v3 error message.
var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parse reads src as exactly one YAML document and returns its root node,
// or nil after reporting why it cannot.
func (l *loader) parse(src []byte) *yaml.Node {
	dec := yaml.NewDecoder(bytes.NewReader(src))
	var doc yaml.Node
	err := dec.Decode(&doc)
	if errors.Is(err, io.EOF) {
		l.errorf(0, "", "the file is empty")
		return nil
	}
	if err != nil {
		l.syntax(err)
		return nil
	}
	var more yaml.Node
	switch err := dec.Decode(&more); {
	case err == nil:
		l.errorf(more.Line, "", "a rulebook is one YAML document; remove the second")
		return nil
	case !errors.Is(err, io.EOF):
		l.syntax(err)
		return nil
	}
	if a := findAlias(&doc); a != nil {
		l.errorf(a.Line, "", "YAML aliases (*%s) are not allowed in a rulebook; write the value out", a.Value)
		return nil
	}
	if len(doc.Content) == 0 {
		l.errorf(0, "", "the file is empty")
		return nil
	}
	return doc.Content[0]
}

// syntax reports a YAML syntax error at the line yaml.v3 gives.
func (l *loader) syntax(err error) {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		l.errorf(line, "", "YAML syntax: %s", m[2])
		return
	}
	l.errorf(0, "", "YAML syntax: %s", strings.TrimPrefix(msg, "yaml: "))
}

// book reads the whole rulebook. It returns a Book even when it reported
// errors; Load discards it then.
func (l *loader) book(src []byte) *Book {
	root := l.parse(src)
	if root == nil {
		return nil
	}
	m, ok := l.mapping(root, "", bookFields...)
	if !ok {
		return nil
	}
	b := &Book{Source: src}
	if e, ok := l.need(m, "scheme"); ok {
		if s, ok := l.text(e, "scheme"); ok {
			if len(s) > maxCodeLength || !schemeFormat.MatchString(s) {
				l.errorf(e.key.Line, "scheme", "%q: want lower-case letters, digits and hyphens, starting with a letter or digit, at most %d characters", s, maxCodeLength)
			}
			b.Scheme = s
		}
	}
	if e, ok := l.need(m, "name"); ok {
		b.Name, _ = l.bilingual(e, "name")
	}
	if e, ok := l.need(m, "subjects"); ok {
		b.Subjects = l.subjects(e)
	}
	if e, ok := l.need(m, "base"); ok {
		b.Base, _ = l.integer(e, "base")
	}
	b.Location = l.location(m)
	if e, ok := l.need(m, "effective"); ok {
		b.Effective = l.date(e, "effective", b.Location)
	}
	if e, ok := m.get("grades"); ok {
		b.Grades = l.grades(e)
	}
	if e, ok := m.get("board"); ok {
		b.Board = l.board(e)
	}
	b.DueProcess = tally.DefaultDueProcess()
	if e, ok := m.get("due_process"); ok {
		l.dueProcess(e, &b.DueProcess)
	}
	if e, ok := m.get("severity_periods"); ok {
		b.Periods = l.severityPeriods(e)
	}
	if e, ok := m.get("rewards"); ok {
		b.Rewards = l.rewards(e)
	}
	if e, ok := l.need(m, "categories"); ok {
		b.Categories = l.categories(e)
	}
	if e, ok := l.need(m, "rules"); ok {
		b.Rules = l.rules(e, b)
	}
	l.unusedCategories(b)
	return b
}

// subjects reads the non-empty list of subject kinds a scheme scores.
func (l *loader) subjects(e entry) []tally.SubjectKind {
	if e.val.Kind != yaml.SequenceNode || len(e.val.Content) == 0 {
		l.errorf(e.key.Line, "subjects", "want a non-empty list of person and/or organisation, got %s", describe(e.val))
		return nil
	}
	var kinds []tally.SubjectKind
	for i, n := range e.val.Content {
		field := fmt.Sprintf("subjects[%d]", i)
		s, ok := l.text(entry{key: n, val: n}, field)
		if !ok {
			continue
		}
		if s != string(tally.Person) && s != string(tally.Organisation) {
			l.errorf(n.Line, field, "%q: want person or organisation", s)
			continue
		}
		k := tally.SubjectKind(s)
		if slices.Contains(kinds, k) {
			l.errorf(n.Line, field, "%s is listed twice", s)
			continue
		}
		kinds = append(kinds, k)
	}
	return kinds
}

// location loads the rulebook's time zone, or DefaultTimezone. On error it
// reports the problem and returns the default, so that dates can still be
// checked.
func (l *loader) location(m fields) *time.Location {
	name := DefaultTimezone
	line := m.node.Line
	if e, ok := m.get("timezone"); ok {
		s, ok := l.text(e, "timezone")
		if !ok {
			return time.UTC
		}
		name, line = s, e.key.Line
	}
	if name == "Local" {
		l.errorf(line, "timezone", "name a time zone such as %s; Local depends on the machine", DefaultTimezone)
		return time.UTC
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		l.errorf(line, "timezone", "unknown time zone %q (want an IANA name such as %s)", name, DefaultTimezone)
		return time.UTC
	}
	return loc
}

// date reads a YYYY-MM-DD date as midnight in loc.
func (l *loader) date(e entry, field string, loc *time.Location) time.Time {
	s, ok := l.text(e, field)
	if !ok {
		return time.Time{}
	}
	t, err := time.ParseInLocation(dateLayout, s, loc)
	if err != nil || t.Format(dateLayout) != s {
		l.errorf(e.key.Line, field, "%q: want a date as YYYY-MM-DD, such as 2025-01-01", s)
		return time.Time{}
	}
	return t
}

// grades reads the grade bands, highest first. Minimums must strictly
// decrease, names must be unique, and only the last band may omit its
// minimum (it then catches every lower score).
func (l *loader) grades(e entry) []tally.GradeBand {
	if e.val.Kind != yaml.SequenceNode {
		l.errorf(e.key.Line, "grades", "want a list of {grade, min}, highest first, got %s", describe(e.val))
		return nil
	}
	var bands []tally.GradeBand
	for i, n := range e.val.Content {
		path := fmt.Sprintf("grades[%d]", i)
		m, ok := l.mapping(n, path, "grade", "min")
		if !ok {
			continue
		}
		var band tally.GradeBand
		if g, ok := l.need(m, "grade"); ok {
			if s, ok := l.text(g, path+".grade"); ok {
				band.Grade = s
				if slices.ContainsFunc(bands, func(b tally.GradeBand) bool { return b.Grade == s }) {
					l.errorf(g.key.Line, path+".grade", "grade %q is defined twice", s)
				}
			}
		}
		last := i == len(e.val.Content)-1
		if me, ok := m.get("min"); ok {
			band.Min, band.HasMin = l.integer(me, path+".min")
			if band.HasMin && len(bands) > 0 {
				prev := bands[len(bands)-1]
				if prev.HasMin && band.Min >= prev.Min {
					l.errorf(me.key.Line, path+".min", "%d is not below the previous grade's minimum %d; list grades highest first", band.Min, prev.Min)
				}
			}
		} else if !last {
			l.errorf(n.Line, path+".min", "missing; only the last grade may omit min")
		}
		bands = append(bands, band)
	}
	return bands
}

// board reads how a score is drawn on an honour board.
func (l *loader) board(e entry) *tally.Board {
	m, ok := l.mapping(e.val, "board", "star", "flag")
	if !ok {
		return nil
	}
	var b tally.Board
	for _, f := range []struct {
		name string
		dst  *int64
	}{{"star", &b.Star}, {"flag", &b.Flag}} {
		fe, ok := l.need(m, f.name)
		if !ok {
			continue
		}
		if n, ok := l.integer(fe, "board."+f.name); ok {
			if n <= 0 {
				l.errorf(fe.key.Line, "board."+f.name, "%d: want a positive integer", n)
			}
			*f.dst = n
		}
	}
	return &b
}

// categories reads the declared categories, in file order.
func (l *loader) categories(e entry) []Category {
	m, ok := l.mapping(e.val, "categories")
	if !ok {
		return nil
	}
	var cats []Category
	l.catLines = map[string]int{}
	for _, code := range m.order {
		ce := m.entries[code]
		field := "categories." + code
		if len(code) > maxCodeLength || !codeFormat.MatchString(code) {
			l.errorf(ce.key.Line, field, "%q: want lower-case letters and digits, joined by single '.', '-' or '_', at most %d characters", code, maxCodeLength)
		}
		title, _ := l.bilingual(ce, field)
		l.catLines[code] = ce.key.Line
		cats = append(cats, Category{Code: code, Title: title})
	}
	return cats
}

// unusedCategories warns about categories no rule uses.
func (l *loader) unusedCategories(b *Book) {
	l.code = ""
	for _, c := range b.Categories {
		used := slices.ContainsFunc(b.Rules, func(r *Rule) bool { return r.Category == c.Code })
		if !used && len(b.Rules) > 0 {
			l.warnf(l.catLines[c.Code], "categories."+c.Code, "no rule uses this category")
		}
	}
}
