package rulebook

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"

	"github.com/tallycredit/tally"
	"go.yaml.in/yaml/v3"
)

// Only measures on the National Basic List of Penalty Measures for
// Untrustworthiness (2021, updated 2022 and 2024) may be applied, each on
// the legal basis the list gives; a local measure outside it is not
// allowed. The sanctions catalogue maps each measure it applies to an entry
// of the list (national_measures.yaml) with `listed:`, and LoadCatalogue
// refuses a measure that a list restricts, or a right that a grade gates,
// when it maps to none. A measure nothing restricts (a question a
// ticketing system may ask, always answered "allowed") and a benefit
// granted by grade (an incentive) apply no penalty and need no entry.

// nationalMeasuresYAML is the list as tally keeps it; the file says which
// entries are sourced and which are placeholders.
//
//go:embed national_measures.yaml
var nationalMeasuresYAML []byte

// nationalMeasures is the parsed list; a fault in it is a fault of the
// build, which the tests catch.
var nationalMeasures = mustParseNationalMeasures(nationalMeasuresYAML)

// ListedMeasure is one entry of the national basic list of penalty
// measures: a measure and the law or central policy it rests on.
type ListedMeasure struct {
	ID     string
	Name   tally.Text
	Basis  tally.Text
	Source string     // where tally took the entry from
	Status ListStatus // how far the entry is confirmed
}

// ListStatus says how far an entry of the national list is confirmed.
type ListStatus string

// The statuses of an entry. No entry is yet compared with the official
// text; national_measures.yaml says what remains to check.
const (
	// Sourced: the measure and its basis come from our domain sources.
	Sourced ListStatus = "sourced"
	// Placeholder: the basis is the default catalogue's citation only.
	Placeholder ListStatus = "placeholder"
)

// NationalMeasures returns the entries of the national basic list, in
// file order. The caller may not change them.
func NationalMeasures() []ListedMeasure { return nationalMeasures }

// NationalMeasure returns the entry with the given id.
func NationalMeasure(id string) (ListedMeasure, bool) {
	i := slices.IndexFunc(nationalMeasures, func(m ListedMeasure) bool { return m.ID == id })
	if i < 0 {
		return ListedMeasure{}, false
	}
	return nationalMeasures[i], true
}

func parseNationalMeasures(src []byte) ([]ListedMeasure, error) {
	var file struct {
		Edition  string
		Measures []ListedMeasure
	}
	if err := decodeStrict(src, &file); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, m := range file.Measures {
		switch {
		case !schemeFormat.MatchString(m.ID) || seen[m.ID]:
			return nil, fmt.Errorf("entry %q: want a unique id of lower-case letters, digits and hyphens", m.ID)
		case m.Name.Zh == "" || m.Name.En == "" || m.Basis.Zh == "" || m.Basis.En == "" || m.Source == "":
			return nil, fmt.Errorf("entry %s: want a name and a basis in Chinese and English, and a source", m.ID)
		case m.Status != Sourced && m.Status != Placeholder:
			return nil, fmt.Errorf("entry %s: status %q: want sourced or placeholder", m.ID, m.Status)
		}
		seen[m.ID] = true
	}
	return file.Measures, nil
}

func mustParseNationalMeasures(src []byte) []ListedMeasure {
	m, err := parseNationalMeasures(src)
	if err != nil {
		panic("rulebook: national_measures.yaml: " + err.Error())
	}
	return m
}

// Listed returns the entry of the national list that a measure of the
// catalogue maps to.
func (c *Catalogue) Listed(measure string) (ListedMeasure, bool) {
	id, ok := c.listed[measure]
	if !ok {
		return ListedMeasure{}, false
	}
	return NationalMeasure(id)
}

// listedEntry reads the optional `listed:` of the measure at n and
// records it in c; an id the national list lacks is an error.
func (l *loader) listedEntry(c *Catalogue, me tally.Measure, n *yaml.Node, path string) {
	if c.listed == nil {
		c.listed, c.measureAt = map[string]string{}, map[string]Problem{}
	}
	c.measureAt[me.ID] = Problem{Line: n.Line, Field: path}
	i := slices.IndexFunc(n.Content, func(k *yaml.Node) bool { return k.Value == "listed" })
	if i < 0 || i%2 == 1 || i+1 >= len(n.Content) {
		return
	}
	e := entry{key: n.Content[i], val: n.Content[i+1]}
	id, ok := l.text(e, join(path, "listed"))
	if !ok {
		return
	}
	if _, found := NationalMeasure(id); !found {
		l.policyf(e.key.Line, join(path, "listed"), "%q不在全国失信惩戒措施基础清单上（措施%q只能对应清单中的一项） / %q is not an entry of the National Basic List of Penalty Measures for Untrustworthiness (measure %q must map to one)", id, me.ID, id, me.ID)
		return
	}
	c.listed[me.ID] = id
}

// appliedMeasuresListed refuses each measure that a list restricts, or
// that a grade gates as a right, when it maps to no entry of the national
// list: the refusal names the measure and the lists that apply it.
func (l *loader) appliedMeasuresListed(c *Catalogue) {
	for _, me := range c.Measures {
		if _, ok := c.listed[me.ID]; ok {
			continue
		}
		at := c.measureAt[me.ID]
		var zh, en []string
		for _, s := range c.SanctionsOf(me.ID) {
			if li, ok := c.List(s.List); ok {
				zh = append(zh, li.Name.Zh+"（"+li.ID+"）")
				en = append(en, li.Name.En+" ("+li.ID+")")
			}
		}
		switch {
		case len(zh) > 0:
			l.policyf(at.Line, at.Field,
				"措施%q（%s）不在全国失信惩戒措施基础清单上，%s不得限制它：请用 listed: 注明它对应的清单条目，或不再适用它 / "+
					"measure %q (%s) is not on the National Basic List of Penalty Measures for Untrustworthiness, so %s may not restrict it: name its entry with listed:, or stop applying it",
				me.ID, me.Name.Zh, strings.Join(zh, "、"), me.ID, me.Name.En, strings.Join(en, ", "))
		case me.Gate != nil && me.Kind == tally.Right:
			l.policyf(at.Line, at.Field,
				"措施%q（%s）不在全国失信惩戒措施基础清单上，不得按等级限制：请用 listed: 注明它对应的清单条目，或不再适用它 / "+
					"measure %q (%s) is not on the National Basic List of Penalty Measures for Untrustworthiness, so no grade may restrict it: name its entry with listed:, or stop applying it",
				me.ID, me.Name.Zh, me.ID, me.Name.En)
		}
	}
}
