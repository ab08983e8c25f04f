package rulebook_test

import (
	"strings"
	"testing"

	"github.com/tallycredit/tally/rulebook"
)

// A version published before a policy check existed still loads when read
// back (a stricter tally never stops a running scheme), with the breach
// as a warning for its administrators; publishing it again is refused.
func TestPublishedVersionsLoadWithPolicyWarnings(t *testing.T) {
	src := doc(deduction, "title: {zh: 越级上访, en: Misconduct}")
	if b, _ := rulebook.Load("v.yaml", []byte(src)); b != nil {
		t.Fatal("a rule punishing petitions was accepted for publishing")
	}
	b, rep := rulebook.LoadPublished("v.yaml", []byte(src))
	if b == nil {
		t.Fatalf("the published version no longer loads: %v", rep)
	}
	if !hasWarning(rep, "上访") {
		t.Errorf("no warning of the petition rule: %v", rep)
	}

	cat := catalogueWith("  - {id: karaoke, name: {zh: 唱卡拉OK, en: Karaoke}, kind: right}\n",
		"  - {list: defaulters, measure: karaoke, basis: {zh: 规定, en: Provisions}}\n")
	if c, _ := rulebook.LoadCatalogue("c.yml", []byte(cat)); c != nil {
		t.Fatal("a measure off the national list was accepted for publishing")
	}
	c, rep := rulebook.LoadPublishedCatalogue("c.yml", []byte(cat))
	if c == nil {
		t.Fatalf("the published catalogue no longer loads: %v", rep)
	}
	if !hasWarning(rep, "National Basic List") {
		t.Errorf("no warning of the unlisted measure: %v", rep)
	}

	if _, rep := rulebook.LoadPublished("v.yaml", []byte("scheme: [")); rep.Err() == nil {
		t.Error("a published version that does not parse loaded: only policy checks become warnings")
	}
}

func hasWarning(rep rulebook.Report, part string) bool {
	for _, p := range rep {
		if p.Warning && strings.Contains(p.String(), part) {
			return true
		}
	}
	return false
}
