package ledger_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tallycredit/tally/examples"
)

// TestCloseTotalsFollowEachRecordsVersion: a rulebook version that takes
// effect in the middle of a closed month moves a rule to another
// category; the month's totals count each record under the category of
// the version that scored it, and a rule whose category stays counts its
// records of both versions together. Both stores.
func TestCloseTotalsFollowEachRecordsVersion(t *testing.T) {
	for name, open := range bothStores {
		t.Run(name, func(t *testing.T) {
			const village = "jiakuang-majia"
			clock := time.Date(2026, 10, 10, 12, 0, 0, 0, shanghai)
			f := closeStoreFixture(t, open, &clock)
			src, err := examples.Rulebooks.ReadFile("village.yaml")
			if err != nil {
				t.Fatal(err)
			}
			f.publish("village.yaml", string(src))
			f.person(village, zhang, "张三")
			f.person(village, li, "李四")
			f.record(village, zhang, "neighbours.help", "2026-10-03", "z/1")    // version 1: volunteering, 2 points
			f.record(village, li, "environment.courtyard", "2026-10-04", "l/1") // version 1
			v2 := strings.Replace(string(src), "effective: 2025-01-01", "effective: 2026-10-15", 1)
			v2 = strings.Replace(v2, "Helping a neighbour in need}\n    category: volunteering", "Helping a neighbour in need}\n    category: family", 1)
			if !strings.Contains(v2, "in need}\n    category: family") {
				t.Fatal("the example rulebook changed: neighbours.help's category not found")
			}
			f.publish("village.yaml", v2)
			clock = time.Date(2026, 10, 25, 12, 0, 0, 0, shanghai)
			f.record(village, zhang, "neighbours.help", "2026-10-20", "z/2")    // version 2: family
			f.record(village, li, "environment.courtyard", "2026-10-21", "l/2") // version 2, same category
			clock = time.Date(2026, 11, 2, 12, 0, 0, 0, shanghai)
			if _, made, err := f.svc.Close(f.ctx, village, "2026-10", nil); err != nil || !made {
				t.Fatalf("close: made %v, %v", made, err)
			}
			s, err := f.svc.Sheet(f.ctx, village, "2026-10")
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]int64{}
			for _, c := range s.Totals {
				got[c.Category] += c.Records
			}
			courtyard, _ := s.Book.Rule("environment.courtyard")
			want := map[string]int64{"volunteering": 1, "family": 1, courtyard.Category: 2}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("records by category %v, want %v (totals %+v)", got, want, s.Totals)
			}
		})
	}
}
