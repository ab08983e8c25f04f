package rulebook_test

import (
	"strings"
	"testing"

	"github.com/tallycredit/tally"
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
	texts := map[string]tally.Text{}
	for _, l := range c.Lists {
		texts["list "+l.ID+" basis"], texts["list "+l.ID+" removal"] = l.Basis, l.Removal
	}
	for _, m := range c.Measures {
		if m.Gate != nil {
			texts["gate of "+m.ID] = m.Gate.Basis
		}
	}
	for _, s := range c.Sanctions {
		texts["sanction "+s.List+"/"+s.Measure] = s.Basis
	}
	for what, tx := range texts {
		if tx.Zh == "" || tx.En == "" {
			t.Errorf("%s: %+v, want Chinese and English", what, tx)
		}
	}
}

// A catalogue written before bases were bilingual still loads: each
// one-language basis or removal text is read as Chinese, with a warning.
func TestCatalogueOneLanguageBases(t *testing.T) {
	src := `catalogue: test
lists:
  - id: defaulters
    name: {zh: 失信, en: Defaulters}
    authority: courts
    basis: 最高人民法院规定
    criteria: unpaid judgment
    removal: {zh: 履行完毕后删除, en: Removed once the judgment is performed}
    term: 2y
measures:
  - {id: air, name: {zh: 飞机, en: Air}, kind: right, listed: restrict-air-travel}
  - {id: heat, name: {zh: 供暖优惠, en: Heating discount}, kind: benefit, gate: {scheme: city, at_least: A, basis: 守信激励措施}}
sanctions:
  - {list: defaulters, measure: air, basis: 联合惩戒备忘录}
`
	c, rep := rulebook.LoadCatalogue("t.yml", []byte(src))
	if err := rep.Err(); err != nil || c == nil {
		t.Fatalf("LoadCatalogue: %v", err)
	}
	var got []string
	for _, p := range rep.Warnings() {
		got = append(got, p.String())
	}
	all := strings.Join(got, "\n")
	for _, w := range []string{"t.yml:6: lists[0].basis: only one language", "t.yml:12: measures[1].gate.basis: only one language", "t.yml:14: sanctions[0].basis: only one language"} {
		if !strings.Contains(all, w) {
			t.Errorf("warnings lack %q; got:\n%s", w, all)
		}
	}
	if len(got) != 3 {
		t.Errorf("got %d warnings, want 3 (the removal is in both languages):\n%s", len(got), all)
	}
	l, _ := c.List("defaulters")
	m, _ := c.Measure("heat")
	for _, tt := range []struct {
		name      string
		got, want tally.Text
	}{
		{"list basis", l.Basis, tally.Text{Zh: "最高人民法院规定"}},
		{"removal", l.Removal, tally.Text{Zh: "履行完毕后删除", En: "Removed once the judgment is performed"}},
		{"gate basis", m.Gate.Basis, tally.Text{Zh: "守信激励措施"}},
		{"sanction basis", c.SanctionsOf("air")[0].Basis, tally.Text{Zh: "联合惩戒备忘录"}},
	} {
		if tt.got != tt.want {
			t.Errorf("%s: got %+v, want %+v", tt.name, tt.got, tt.want)
		}
	}
}

func TestCatalogueProblems(t *testing.T) {
	src := `catalogue: test
lists:
  - id: defaulters
    name: {zh: 失信, en: Defaulters}
    authority: courts
    criteria: unpaid judgment
    removal: {zh: 履行, en: pay}
    term: 2y
measures:
  - {id: air, name: {zh: 飞机, en: Air}, kind: right, gate: {scheme: city, at_least: A, basis: {zh: 规定, en: a rule}}}
  - {id: odd, name: {zh: 怪, en: Odd}, kind: maybe}
sanctions:
  - {list: defaulters, measure: air}
  - {list: nobody, measure: air, basis: {zh: 某规定, en: x}}
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
