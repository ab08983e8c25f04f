package rulebook_test

import (
	"strings"
	"testing"

	"github.com/tallycredit/tally/examples"
	"github.com/tallycredit/tally/rulebook"
)

func TestDefaultCatalogue(t *testing.T) {
	c, rep := rulebook.LoadCatalogue("sanctions.yml", examples.Sanctions)
	if err := rep.Err(); err != nil {
		t.Fatal(err)
	}
	if len(rep.Warnings()) != 0 {
		t.Errorf("warnings %v, want none: the default gates only a benefit", rep.Warnings())
	}
	if _, ok := c.List("judgment-defaulters"); !ok {
		t.Error("no judgment-defaulters list")
	}
	if got := len(c.SanctionsOf("air-travel")); got != 2 {
		t.Errorf("air-travel restricted by %d lists, want 2", got)
	}
	if got := c.SanctionsOf("bus-ticket"); len(got) != 0 {
		t.Errorf("bus tickets restricted by %v, want nothing", got)
	}
	if m, _ := c.Measure("heating-discount"); m.Gate == nil || m.Gate.AtLeast != "AAA" {
		t.Errorf("heating-discount gate %+v, want AAA", m.Gate)
	}
}

func TestCatalogueProblems(t *testing.T) {
	src := `catalogue: test
lists:
  - id: defaulters
    name: {zh: 失信, en: Defaulters}
    authority: courts
    criteria: unpaid judgment
    removal: pay
    term: 2y
measures:
  - {id: air, name: {zh: 飞机, en: Air}, kind: right, gate: {scheme: city, at_least: A, basis: "a rule"}}
  - {id: odd, name: {zh: 怪, en: Odd}, kind: maybe}
sanctions:
  - {list: defaulters, measure: air}
  - {list: nobody, measure: air, basis: x}
`
	c, rep := rulebook.LoadCatalogue("t.yml", []byte(src))
	if c != nil {
		t.Fatal("a catalogue with errors loaded")
	}
	want := []string{
		"t.yml:3: lists[0].basis: missing",
		"t.yml:10: measures[0].gate: measure air is a right restricted by a grade alone",
		"t.yml:11: measures[1].kind: \"maybe\": want right or benefit",
		"t.yml:13: sanctions[0].basis: missing",
		"t.yml:14: sanctions[1].list: unknown list \"nobody\"",
	}
	var got []string
	for _, p := range rep {
		got = append(got, p.String())
	}
	all := strings.Join(got, "\n")
	for _, w := range want {
		if !strings.Contains(all, w) {
			t.Errorf("report lacks %q; got:\n%s", w, all)
		}
	}
	if len(rep.Warnings()) != 1 {
		t.Errorf("warnings %v, want the one about a grade restricting a right", rep.Warnings())
	}
}
