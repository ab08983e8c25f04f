package synth_test

import (
	"bytes"
	"encoding/csv"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/rulebook"
	"github.com/tallycredit/tally/synth"
)

// NthPerson and NthShop make valid identifiers, never the same one twice.
func TestNthIdentifiersAreValidAndDistinct(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	seen := map[string]bool{}
	for _, n := range append(seq(0, 30_000), seq(24_000_000-1_000, 24_000_000+1_000)...) {
		p := synth.NthPerson(rng, n)
		if _, err := tally.ParseResidentID(p.ID); err != nil {
			t.Fatalf("person %d: %s: %v", n, p.ID, err)
		}
		if seen[p.ID] {
			t.Fatalf("person %d repeats %s", n, p.ID)
		}
		seen[p.ID] = true
		if p.Name == "" {
			t.Fatalf("person %d has no name", n)
		}
	}
	for n := 0; n < 5_000; n++ {
		s := synth.NthShop(rng, n)
		if _, err := tally.ParseUSCC(s.ID); err != nil {
			t.Fatalf("shop %d: %s: %v", n, s.ID, err)
		}
		if seen[s.ID] {
			t.Fatalf("shop %d repeats %s", n, s.ID)
		}
		seen[s.ID] = true
	}
}

func seq(from, to int) []int {
	var out []int
	for i := from; i < to; i++ {
		out = append(out, i)
	}
	return out
}

// The same spec gives byte-identical files; another seed other files. The
// files have the rows asked for, list entries name persons as the people
// file names them, and records use only the schemes' rules, in the year.
func TestGenerate(t *testing.T) {
	spec := testSpec(t)
	a, b := generate(t, spec), generate(t, spec)
	for i := range a {
		if !bytes.Equal(a[i], b[i]) {
			t.Errorf("file %d differs between two runs of one spec", i)
		}
	}
	spec.Seed = 8
	if c := generate(t, spec); bytes.Equal(a[1], c[1]) {
		t.Errorf("another seed gave the same records")
	}
	people, records, lists := rows(t, a[0]), rows(t, a[1]), rows(t, a[2])
	if len(people) != 1+300+20 || len(records) != 1+5_000 || len(lists) != 1+40 {
		t.Fatalf("rows: %d people, %d records, %d list entries (with headers), want 321, 5001, 41", len(people), len(records), len(lists))
	}
	names := map[string]string{}
	for _, p := range people[1:] {
		names[p[1]] = p[2]
	}
	for _, l := range lists[1:] {
		if names[l[1]] != l[2] {
			t.Errorf("list entry for %s names %q, the people file %q", l[1], l[2], names[l[1]])
		}
	}
	start := spec.End.AddDate(-1, 0, 0)
	perScheme := map[string]int{}
	for _, r := range records[1:] {
		book := spec.Residents
		if r[0] == spec.Shops.Scheme {
			book = spec.Shops
		}
		if _, ok := book.Rule(r[2]); !ok || r[0] != book.Scheme {
			t.Fatalf("record %v: no rule %s in scheme %s", r, r[2], r[0])
		}
		if _, ok := names[r[1]]; !ok {
			t.Fatalf("record %v: subject not in the people file", r)
		}
		at, err := time.Parse(time.RFC3339, r[3])
		if err != nil || at.Before(start) || !at.Before(spec.End) {
			t.Fatalf("record %v: time %v outside the year before %s", r, err, spec.End)
		}
		perScheme[r[0]]++
	}
	if perScheme[spec.Residents.Scheme] < 4*perScheme[spec.Shops.Scheme] {
		t.Errorf("records per scheme %v: 300 persons should get most of them", perScheme)
	}
}

func testSpec(t *testing.T) synth.Spec {
	load := func(name string) *rulebook.Book {
		src, err := os.ReadFile("../examples/" + name)
		if err != nil {
			t.Fatal(err)
		}
		b, rep := rulebook.Load(name, src)
		if err := rep.Err(); err != nil {
			t.Fatal(err)
		}
		return b
	}
	city := load("city.yaml")
	return synth.Spec{Persons: 300, ShopCount: 20, Records: 5_000, ListEntries: 40, Seed: 7,
		End: time.Date(2026, 11, 1, 0, 0, 0, 0, city.Location), Residents: city, Shops: load("market.yaml"),
		List: "judgment-defaulters", Units: []string{"一组", "二组"}}
}

func generate(t *testing.T, spec synth.Spec) [3][]byte {
	var p, r, l bytes.Buffer
	if err := synth.Generate(spec, synth.Output{People: &p, Records: &r, Lists: &l}, nil); err != nil {
		t.Fatal(err)
	}
	return [3][]byte{p.Bytes(), r.Bytes(), l.Bytes()}
}

func rows(t *testing.T, data []byte) [][]string {
	out, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return out
}
