package rulebook_test

import (
	"io/fs"
	"slices"
	"strings"
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/examples"
	"github.com/tallycredit/tally/rulebook"
)

// goodAgreement is a valid agreement that tests break one line at a time.
const goodAgreement = `id: court-to-airline
issuer: court
receiver: airline
purpose: {zh: 拒售机票, en: Refusing air tickets}
basis:
  zh: 限制高消费规定
  en: The provisions restricting high consumption
lists: [judgment-defaulters, consumption-restricted]
rules: [rongcheng-city/tax.arrears]
`

func TestLoadAgreement(t *testing.T) {
	a, rep := rulebook.LoadAgreement("a.yaml", []byte(goodAgreement))
	if len(rep) != 0 || a == nil {
		t.Fatalf("got %v, %v; want an agreement and no problems", a, rep)
	}
	want := tally.Agreement{ID: "court-to-airline", Issuer: "court", Receiver: "airline",
		Lists: []string{"judgment-defaulters", "consumption-restricted"}, Rules: []string{"rongcheng-city/tax.arrears"},
		Purpose: tally.Text{Zh: "拒售机票", En: "Refusing air tickets"},
		Basis:   tally.Text{Zh: "限制高消费规定", En: "The provisions restricting high consumption"}}
	if a.ID != want.ID || a.Issuer != want.Issuer || a.Receiver != want.Receiver || !slices.Equal(a.Lists, want.Lists) ||
		!slices.Equal(a.Rules, want.Rules) || a.Purpose != want.Purpose || a.Basis != want.Basis {
		t.Errorf("got %+v, want %+v", *a, want)
	}
	if string(a.Source) != goodAgreement {
		t.Errorf("source %q, want the file as given", a.Source)
	}
}

// TestLoadAgreementRefuses breaks the good agreement one way at a time:
// each refusal names its line and field.
func TestLoadAgreementRefuses(t *testing.T) {
	// replace returns goodAgreement with its lines first to last (from 1)
	// replaced by lines.
	replace := func(first, last int, lines ...string) string {
		ls := strings.Split(goodAgreement, "\n")
		return strings.Join(slices.Concat(ls[:first-1], lines, ls[last:]), "\n")
	}
	tests := []struct {
		name, src, want string
	}{
		{"no id", replace(1, 1), "a.yaml:1: id: missing"},
		{"a bad id", replace(1, 1, "id: Court_Airline"), `a.yaml:1: id: "Court_Airline": want lower-case letters, digits and hyphens`},
		{"a long id", replace(1, 1, "id: "+strings.Repeat("a", 65)), "at most 64 characters"},
		{"no issuer", replace(2, 2), "a.yaml:1: issuer: missing"},
		{"a bad issuer", replace(2, 2, "issuer: the court"), `a.yaml:2: issuer: "the court": want lower-case letters`},
		{"no receiver", replace(3, 3), "a.yaml:1: receiver: missing"},
		{"a receiver that is a list", replace(3, 3, "receiver: [airline]"), "a.yaml:3: receiver: want text, got a list"},
		{"the issuer as receiver", replace(3, 3, "receiver: court"), `a.yaml:3: receiver: "court" is the issuer too`},
		{"no purpose", replace(4, 4), "a.yaml:1: purpose: missing"},
		{"a purpose without English", replace(4, 4, "purpose: {zh: 拒售机票}"), "a.yaml:4: purpose.en: missing"},
		{"an empty purpose", replace(4, 4, `purpose: {zh: "", en: x}`), "a.yaml:4: purpose.zh: is empty"},
		{"no basis", replace(5, 7), "a.yaml:1: basis: missing"},
		{"a basis in Chinese only", replace(7, 7), "a.yaml:6: basis.en: missing"},
		{"an unknown field", replace(8, 8, "lists: [judgment-defaulters]", "kinds: [list.entry]"), "a.yaml:9: kinds: unknown field"},
		{"a field twice", replace(8, 8, "lists: [judgment-defaulters]", "issuer: court"), "a.yaml:9: issuer: given twice (first at line 2)"},
		{"a list twice", replace(8, 8, "lists:", "  - judgment-defaulters", "  - judgment-defaulters"), "a.yaml:10: lists[1]: given twice (first at line 9)"},
		{"a bad list id", replace(8, 8, "lists: [Judgment-Defaulters]"), `a.yaml:8: lists[0]: "Judgment-Defaulters": want lower-case letters`},
		{"lists not a list", replace(8, 8, "lists: judgment-defaulters"), "a.yaml:8: lists: want a list, got"},
		{"a rule twice", replace(9, 9, "rules:", "  - city/tax.arrears", "  - city/tax.arrears"), "a.yaml:11: rules[1]: given twice (first at line 10)"},
		{"a rule without its scheme", replace(9, 9, "rules: [tax.arrears]"), `a.yaml:9: rules[0]: "tax.arrears": want a scheme and a rule code as scheme/rule`},
		{"a rule with a bad code", replace(9, 9, "rules: [city/Tax Arrears]"), `a.yaml:9: rules[0]: "city/Tax Arrears": want a scheme and a rule code`},
		{"a rule as a mapping", replace(9, 9, "rules: [{city: tax.arrears}]"), "a.yaml:9: rules[0]: want text, got a mapping"},
		{"nothing shared", replace(8, 9, "lists: []", "rules: []"), "a.yaml:1: shares nothing"},
		{"nothing named", replace(8, 9), "a.yaml:1: shares nothing"},
		{"two documents", goodAgreement + "---\nid: x\n", "a.yaml:10: "},
		{"not a mapping", "- id: x\n", "a.yaml:1: want a mapping"},
		{"an empty file", "", "a.yaml: the file is empty"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, rep := rulebook.LoadAgreement("a.yaml", []byte(tc.src))
			if a != nil {
				t.Errorf("got an agreement, want none")
			}
			if err := rep.Err(); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got problems:\n%v\nwant one containing %q", err, tc.want)
			}
		})
	}
}

// A purpose or basis written as one line loads as the Chinese text, with a
// warning that the English one is missing, as in a catalogue.
func TestLoadAgreementOneLanguage(t *testing.T) {
	src := strings.Replace(goodAgreement, "purpose: {zh: 拒售机票, en: Refusing air tickets}", "purpose: 拒售机票", 1)
	a, rep := rulebook.LoadAgreement("a.yaml", []byte(src))
	if err := rep.Err(); err != nil || a == nil {
		t.Fatalf("LoadAgreement: %v", err)
	}
	if a.Purpose != (tally.Text{Zh: "拒售机票"}) {
		t.Errorf("purpose %+v, want the line as Chinese", a.Purpose)
	}
	if w := rep.Warnings(); len(w) != 1 || !strings.HasPrefix(w[0].String(), "warning: a.yaml:4: purpose: only one language") {
		t.Errorf("warnings %v, want one on line 4", w)
	}
}

// TestExampleAgreements loads the sample agreements without any problem,
// warnings included, and checks that what they share exists: the court's
// list in the default catalogue, the agency's rules in the city rulebook.
func TestExampleAgreements(t *testing.T) {
	cat, rep := rulebook.LoadCatalogue("sanctions.yml", examples.Sanctions)
	if err := rep.Err(); err != nil {
		t.Fatal(err)
	}
	city := loadExample(t, "city.yaml")
	want := map[string][2]string{"court-to-airline.yaml": {"court", "airline"}, "agency-to-city.yaml": {"heating-authority", "city"}}
	names, err := fs.Glob(examples.Agreements, "agreements/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(names) != len(want) {
		t.Errorf("got agreements %v, want %d", names, len(want))
	}
	for _, name := range names {
		src, err := fs.ReadFile(examples.Agreements, name)
		if err != nil {
			t.Fatal(err)
		}
		a, rep := rulebook.LoadAgreement(name, src)
		for _, p := range rep {
			t.Errorf("%s", p)
		}
		if a == nil {
			t.Fatalf("%s did not load", name)
		}
		w := want[strings.TrimPrefix(name, "agreements/")]
		if a.Issuer != w[0] || a.Receiver != w[1] || a.ID+".yaml" != strings.TrimPrefix(name, "agreements/") {
			t.Errorf("%s: %s from %s to %s, want %s from %s to %s", name, a.ID, a.Issuer, a.Receiver, name, w[0], w[1])
		}
		for _, l := range a.Lists {
			if _, ok := cat.List(l); !ok {
				t.Errorf("%s: list %s is not in examples/sanctions.yml", name, l)
			}
		}
		for _, r := range a.Rules {
			scheme, code, _ := strings.Cut(r, "/")
			if _, ok := city.Rule(code); scheme != city.Scheme || !ok {
				t.Errorf("%s: rule %s is not in examples/city.yaml", name, r)
			}
		}
	}
}
