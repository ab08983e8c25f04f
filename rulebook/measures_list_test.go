package rulebook_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/tallycredit/tally/examples"
	"github.com/tallycredit/tally/rulebook"
)

// TestNationalMeasuresWellFormed: every entry of the embedded national
// basic list has an id, a name and a basis in both languages, a source and
// a status saying whether it is sourced or a placeholder; no id twice.
func TestNationalMeasuresWellFormed(t *testing.T) {
	list := rulebook.NationalMeasures()
	if len(list) == 0 {
		t.Fatal("the national basic list is empty")
	}
	id := regexp.MustCompile(`^[a-z][a-z0-9-]*$`)
	seen := map[string]bool{}
	for _, m := range list {
		if !id.MatchString(m.ID) || seen[m.ID] {
			t.Errorf("entry id %q: want a unique lower-case id", m.ID)
		}
		seen[m.ID] = true
		if m.Name.Zh == "" || m.Name.En == "" || m.Basis.Zh == "" || m.Basis.En == "" || m.Source == "" {
			t.Errorf("entry %s: %+v, want a name and a basis in both languages and a source", m.ID, m)
		}
		if m.Status != rulebook.Sourced && m.Status != rulebook.Placeholder {
			t.Errorf("entry %s: status %q, want sourced or placeholder", m.ID, m.Status)
		}
	}
	if m, ok := rulebook.NationalMeasure("restrict-air-travel"); !ok || m.Status != rulebook.Sourced {
		t.Errorf("restrict-air-travel: %+v, %v; want a sourced entry", m, ok)
	}
	if _, ok := rulebook.NationalMeasure("karaoke"); ok {
		t.Error("karaoke is on the list; want it not to be")
	}
}

// TestDefaultCatalogueMeasuresListed: every measure of the default
// catalogue that a list restricts maps to an entry of the national list.
func TestDefaultCatalogueMeasuresListed(t *testing.T) {
	c, rep := rulebook.LoadCatalogue("sanctions.yml", examples.Sanctions)
	if err := rep.Err(); err != nil {
		t.Fatal(err)
	}
	for _, s := range c.Sanctions {
		if e, ok := c.Listed(s.Measure); !ok || e.ID == "" {
			t.Errorf("measure %s, restricted by %s: no entry of the national list", s.Measure, s.List)
		}
	}
	if e, _ := c.Listed("air-travel"); e.ID != "restrict-air-travel" {
		t.Errorf("air-travel maps to %q, want restrict-air-travel", e.ID)
	}
	if _, ok := c.Listed("bus-ticket"); ok {
		t.Error("bus-ticket maps to an entry; no list restricts it and none should be claimed")
	}
}

// catalogueWith is a one-list catalogue whose measures and sanctions are
// the given YAML lines.
func catalogueWith(measures, sanctions string) string {
	return `catalogue: test
lists:
  - id: defaulters
    name: {zh: 失信, en: Defaulters}
    authority: courts
    basis: {zh: 规定, en: Provisions}
    criteria: unpaid judgment
    removal: {zh: 履行, en: pay}
    term: 2y
measures:
` + measures + `sanctions:
` + sanctions
}

// TestCatalogueMeasureNotListed: a measure a list restricts, or a right a
// grade gates, that maps to no entry of the national basic list is
// refused at its line with a reason in Chinese, then English, naming it;
// so is one that names an entry the list lacks. A measure nothing
// restricts, and a benefit granted by grade, need no entry.
func TestCatalogueMeasureNotListed(t *testing.T) {
	const link = "  - {list: defaulters, measure: karaoke, basis: {zh: 规定, en: Provisions}}\n"
	tests := []struct {
		name, measures, sanctions string
		want                      []string // parts of one error
	}{
		{"restricted, no entry", "  - {id: karaoke, name: {zh: 唱卡拉OK, en: Karaoke}, kind: right}\n", link,
			[]string{"t.yml:11: measures[0]: ", `措施"karaoke"（唱卡拉OK）不在全国失信惩戒措施基础清单上`, "失信（defaulters）",
				`measure "karaoke" (Karaoke) is not on the National Basic List of Penalty Measures for Untrustworthiness`, "listed:"}},
		{"unknown entry", "  - {id: karaoke, name: {zh: 唱卡拉OK, en: Karaoke}, kind: right, listed: restrict-karaoke}\n", link,
			[]string{"t.yml:11: measures[0].listed: ", `"restrict-karaoke"`, "不在全国失信惩戒措施基础清单上", "is not an entry of the National Basic List"}},
		{"gated right, no entry", "  - {id: karaoke, name: {zh: 唱卡拉OK, en: Karaoke}, kind: right, gate: {scheme: city, at_least: A, basis: {zh: 规定, en: a rule}}}\n", "  []\n",
			[]string{"t.yml:11: measures[0]: ", `措施"karaoke"`, "not on the National Basic List"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, rep := rulebook.LoadCatalogue("t.yml", []byte(catalogueWith(tt.measures, tt.sanctions)))
			if c != nil {
				t.Error("the catalogue loaded; want it refused")
			}
			var found bool
			for _, p := range rep.Errors() {
				ok := true
				for _, w := range tt.want {
					ok = ok && strings.Contains(p.String(), w)
				}
				found = found || ok
				if ok && strings.Index(p.Message, "清单") > strings.Index(p.Message, "National") {
					t.Errorf("got %q, want Chinese before English", p.Message)
				}
			}
			if !found {
				t.Errorf("no error with %q; got %v", tt.want, rep)
			}
		})
	}
	loads := map[string]string{
		"restricted and listed": catalogueWith("  - {id: karaoke, name: {zh: 星级酒店, en: Hotels}, kind: right, listed: restrict-luxury-venues}\n", link),
		"restricted by nothing": catalogueWith("  - {id: karaoke, name: {zh: 唱卡拉OK, en: Karaoke}, kind: right}\n", "  []\n"),
		"benefit by grade":      catalogueWith("  - {id: karaoke, name: {zh: 优惠, en: Discount}, kind: benefit, gate: {scheme: city, at_least: A, basis: {zh: 规定, en: a rule}}}\n", "  []\n"),
	}
	for name, src := range loads {
		t.Run(name, func(t *testing.T) {
			if _, rep := rulebook.LoadCatalogue("t.yml", []byte(src)); len(rep) > 0 {
				t.Errorf("got problems %v, want none", rep)
			}
		})
	}
}
