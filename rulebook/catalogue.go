package rulebook

import (
	"bytes"
	"cmp"
	"slices"
	"strconv"
	"time"

	"github.com/tallycredit/tally"
	"go.yaml.in/yaml/v3"
)

// Catalogue is a checked sanctions catalogue: the lists, the measures that
// ticketing systems and agencies ask about, and the joint-sanctions matrix
// that says which lists restrict which measures. Its zero value is empty.
// A Catalogue is not changed after LoadCatalogue and is safe for
// concurrent reads.
type Catalogue struct {
	Location *time.Location // days of check statistics are counted in it
	// Keep is the region's hard cap on keeping a list entry, aggravation
	// included (keep_at_most; zero: tally.MaxKeep).
	Keep tally.Span
	// DueProcess holds the clocks of objections to list entries, their
	// appeals and cascades (due_process; without it, the defaults), for
	// every list that sets none of its own.
	DueProcess tally.DueProcess
	Lists      []tally.List
	Measures   []tally.Measure
	Sanctions  []tally.Sanction
	Source     []byte

	listed    map[string]string           // measure id -> entry of the national basic list
	measureAt map[string]Problem          // measure id -> where it is defined
	listDue   map[string]tally.DueProcess // list id -> the clocks the list sets itself
}

// Due returns the due-process clocks of the entries of a list: the list's
// own, else the catalogue's; the defaults for a nil Catalogue (none is
// published) or one not made by LoadCatalogue.
func (c *Catalogue) Due(list string) tally.DueProcess {
	if c == nil || c.DueProcess == (tally.DueProcess{}) {
		return tally.DefaultDueProcess()
	}
	if dp, ok := c.listDue[list]; ok {
		return dp
	}
	return c.DueProcess
}

// List returns the list with the given id.
func (c *Catalogue) List(id string) (*tally.List, bool) {
	for i := range c.Lists {
		if c.Lists[i].ID == id {
			return &c.Lists[i], true
		}
	}
	return nil, false
}

// Measure returns the measure with the given id.
func (c *Catalogue) Measure(id string) (*tally.Measure, bool) {
	for i := range c.Measures {
		if c.Measures[i].ID == id {
			return &c.Measures[i], true
		}
	}
	return nil, false
}

// SanctionsOf returns the links of the matrix that restrict a measure.
func (c *Catalogue) SanctionsOf(measure string) []tally.Sanction {
	var out []tally.Sanction
	for _, s := range c.Sanctions {
		if s.Measure == measure {
			out = append(out, s)
		}
	}
	return out
}

// SharedDue returns the clocks every list's entries share, and false when
// a list sets its own (then Due says whose are whose).
func (c *Catalogue) SharedDue() (tally.DueProcess, bool) {
	if c == nil || len(c.listDue) == 0 {
		return c.Due(""), true
	}
	return tally.DueProcess{}, false
}

var (
	catalogueFields = []string{"catalogue", "timezone", "keep_at_most", "due_process", "lists", "measures", "sanctions"}
	listFields      = []string{"id", "name", "authority", "basis", "criteria", "removal", "term", "max_aggravation", "severity", "statement", "due_process"}
	measureFields   = []string{"id", "name", "kind", "gate", "listed"}
	gateFields      = []string{"scheme", "at_least", "basis"}
	sanctionFields  = []string{"list", "measure", "basis"}
)

// LoadCatalogue parses and checks a sanctions catalogue, reporting every
// problem with its line, as Load does for rulebooks. Every list needs an
// authority, a basis, entry criteria, removal conditions and a term; every
// link of the matrix names a known list and measure and cites its basis. A
// grade gate on a measure of kind right is a warning: a grade alone should
// not restrict a right (a low score alone should not punish). It returns a
// nil Catalogue when any problem is an error.
func LoadCatalogue(filename string, src []byte) (*Catalogue, Report) {
	return loadCatalogue(&loader{file: filename}, src)
}

// LoadPublishedCatalogue loads a catalogue published before, with policy
// breaches as warnings, as LoadPublished does for rulebooks.
func LoadPublishedCatalogue(filename string, src []byte) (*Catalogue, Report) {
	return loadCatalogue(&loader{file: filename, published: true}, src)
}

func loadCatalogue(l *loader, src []byte) (*Catalogue, Report) {
	c := l.catalogue(bytes.Clone(src))
	slices.SortStableFunc(l.rep, func(a, b Problem) int { return cmp.Compare(a.Line, b.Line) })
	if len(l.rep.Errors()) > 0 {
		return nil, l.rep
	}
	return c, l.rep
}

func (l *loader) catalogue(src []byte) *Catalogue {
	root := l.parse(src)
	if root == nil {
		return nil
	}
	m, ok := l.mapping(root, "", catalogueFields...)
	if !ok {
		return nil
	}
	c := &Catalogue{Source: src}
	if e, ok := l.need(m, "catalogue"); ok {
		l.code = ""
		if s, ok := l.text(e, "catalogue"); ok && !schemeFormat.MatchString(s) {
			l.errorf(e.key.Line, "catalogue", "%q: want lower-case letters, digits and hyphens", s)
		}
	}
	c.Location = l.location(m)
	if e, ok := m.get("keep_at_most"); ok {
		c.Keep = l.keepAtMost(e, "keep_at_most")
	}
	c.DueProcess = tally.DefaultDueProcess()
	if e, ok := m.get("due_process"); ok {
		l.listDueProcess(e, "", &c.DueProcess)
	}
	if e, ok := l.need(m, "lists"); ok {
		l.items(e, "lists", func(n *yaml.Node, path string) {
			if li, ok := l.catalogueList(n, path, c); ok {
				if _, dup := c.List(li.ID); dup {
					l.errorf(n.Line, join(path, "id"), "list %q is defined twice", li.ID)
				}
				c.Lists = append(c.Lists, li)
			}
		})
	}
	if e, ok := l.need(m, "measures"); ok {
		l.items(e, "measures", func(n *yaml.Node, path string) {
			if me, ok := l.measure(n, path); ok {
				if _, dup := c.Measure(me.ID); dup {
					l.errorf(n.Line, join(path, "id"), "measure %q is defined twice", me.ID)
				}
				c.Measures = append(c.Measures, me)
				l.listedEntry(c, me, n, path)
			}
		})
	}
	if e, ok := l.need(m, "sanctions"); ok {
		l.items(e, "sanctions", func(n *yaml.Node, path string) {
			if s, ok := l.sanction(n, path, c); ok {
				if slices.ContainsFunc(c.Sanctions, func(o tally.Sanction) bool { return o.List == s.List && o.Measure == s.Measure }) {
					l.errorf(n.Line, path, "list %s already restricts measure %s", s.List, s.Measure)
				}
				c.Sanctions = append(c.Sanctions, s)
			}
		})
	}
	l.appliedMeasuresListed(c)
	return c
}

// items calls fn for each element of a YAML sequence.
func (l *loader) items(e entry, path string, fn func(n *yaml.Node, path string)) {
	if e.val.Kind != yaml.SequenceNode {
		l.errorf(e.key.Line, path, "want a list, got %s", describe(e.val))
		return
	}
	for i, n := range e.val.Content {
		fn(n, path+"["+strconv.Itoa(i)+"]")
	}
}

// id reads a required code-like id.
func (l *loader) id(m fields, path string) (string, bool) {
	e, ok := l.need(m, "id")
	if !ok {
		return "", false
	}
	s, ok := l.text(e, join(path, "id"))
	if ok && (len(s) > maxCodeLength || !schemeFormat.MatchString(s)) {
		l.errorf(e.key.Line, join(path, "id"), "%q: want lower-case letters, digits and hyphens, at most %d characters", s, maxCodeLength)
		return s, false
	}
	return s, ok
}

// requiredText reads a field that must be present and non-empty.
func (l *loader) requiredText(m fields, path, name string) string {
	if e, ok := l.need(m, name); ok {
		s, _ := l.text(e, join(path, name))
		return s
	}
	return ""
}

// requiredBasis reads a bilingual text that must be present: a basis or
// how to be removed from a list.
func (l *loader) requiredBasis(m fields, path, name string) tally.Text {
	if e, ok := l.need(m, name); ok {
		t, _ := l.basisText(e, join(path, name))
		return t
	}
	return tally.Text{}
}

// catalogueList reads one list of catalogue c, noting in c the clocks the
// list sets itself (over c's).
func (l *loader) catalogueList(n *yaml.Node, path string, c *Catalogue) (tally.List, bool) {
	m, ok := l.mapping(n, path, listFields...)
	if !ok {
		return tally.List{}, false
	}
	var li tally.List
	li.ID, ok = l.id(m, path)
	if e, found := l.need(m, "name"); found {
		li.Name, _ = l.bilingual(e, join(path, "name"))
	}
	li.Authority = l.requiredText(m, path, "authority")
	li.Basis = l.requiredBasis(m, path, "basis")
	li.Criteria = l.requiredText(m, path, "criteria")
	li.Removal = l.requiredBasis(m, path, "removal")
	if e, found := l.need(m, "term"); found {
		if s, ok := l.text(e, join(path, "term")); ok {
			span, err := tally.ParseSpan(s)
			if err != nil {
				l.errorf(e.key.Line, join(path, "term"), "%v", err)
			}
			li.Term = span
		}
	}
	if e, found := m.get("max_aggravation"); found {
		if n, ok := l.integer(e, join(path, "max_aggravation")); ok {
			if n < 0 || n > 5 {
				l.errorf(e.key.Line, join(path, "max_aggravation"), "%d: want 0 to 5 years", n)
			}
			li.MaxAggravation = int(n)
		}
	}
	l.listSeverity(m, path, &li, c.Keep)
	li.Statement = l.statementPeriod(m, path)
	if e, found := m.get("due_process"); found {
		dp := c.DueProcess
		l.listDueProcess(e, path, &dp)
		if c.listDue == nil {
			c.listDue = map[string]tally.DueProcess{}
		}
		c.listDue[li.ID] = dp
	}
	return li, ok
}

func (l *loader) measure(n *yaml.Node, path string) (tally.Measure, bool) {
	m, ok := l.mapping(n, path, measureFields...)
	if !ok {
		return tally.Measure{}, false
	}
	var me tally.Measure
	me.ID, ok = l.id(m, path)
	if e, found := l.need(m, "name"); found {
		me.Name, _ = l.bilingual(e, join(path, "name"))
	}
	kindLine := n.Line
	if e, found := l.need(m, "kind"); found {
		kindLine = e.key.Line
		if s, ok := l.text(e, join(path, "kind")); ok {
			me.Kind = tally.MeasureKind(s)
			if me.Kind != tally.Right && me.Kind != tally.Benefit {
				l.errorf(e.key.Line, join(path, "kind"), "%q: want right or benefit", s)
			}
		}
	}
	if e, found := m.get("gate"); found {
		gm, ok := l.mapping(e.val, join(path, "gate"), gateFields...)
		if ok {
			g := &tally.GradeGate{}
			g.Scheme = l.requiredText(gm, join(path, "gate"), "scheme")
			g.AtLeast = l.requiredText(gm, join(path, "gate"), "at_least")
			g.Basis = l.requiredBasis(gm, join(path, "gate"), "basis")
			me.Gate = g
			if me.Kind == tally.Right {
				l.warnf(kindLine, join(path, "gate"), "measure %s is a right restricted by a grade alone: a low score alone should not punish; restrict rights through lists, and gate only benefits by grade", me.ID)
			}
		}
	}
	return me, ok
}

func (l *loader) sanction(n *yaml.Node, path string, c *Catalogue) (tally.Sanction, bool) {
	m, ok := l.mapping(n, path, sanctionFields...)
	if !ok {
		return tally.Sanction{}, false
	}
	var s tally.Sanction
	s.List = l.requiredText(m, path, "list")
	s.Measure = l.requiredText(m, path, "measure")
	s.Basis = l.requiredBasis(m, path, "basis")
	if s.List != "" {
		if _, found := c.List(s.List); !found {
			l.errorf(keyLine(n, "list", n.Line), join(path, "list"), "unknown list %q (define it under lists)", s.List)
			ok = false
		}
	}
	if s.Measure != "" {
		if _, found := c.Measure(s.Measure); !found {
			l.errorf(keyLine(n, "measure", n.Line), join(path, "measure"), "unknown measure %q (define it under measures)", s.Measure)
			ok = false
		}
	}
	return s, ok && s.List != "" && s.Measure != "" && s.Basis.Zh != ""
}

// statementPeriod reads a list's optional statement period: how long a
// subject may state its case before a listing takes effect.
func (l *loader) statementPeriod(m fields, path string) tally.Clock {
	e, found := m.get("statement")
	if !found {
		return tally.Clock{}
	}
	s, ok := l.text(e, join(path, "statement"))
	if !ok {
		return tally.Clock{}
	}
	c, err := tally.ParseClock(s, true)
	switch {
	case err != nil:
		l.errorf(e.key.Line, join(path, "statement"), "%v", err)
	case c.Days < 1:
		l.errorf(e.key.Line, join(path, "statement"), "%s: a statement period is at least one day", c)
	default:
		return c
	}
	return tally.Clock{}
}
