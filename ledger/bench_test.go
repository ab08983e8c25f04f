package ledger_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// benchResidents is how many residents the benchmarks spread records over,
// so that each one's records look like a real year's, not thousands a day.
const benchResidents = 500

// benchFixture is the city example with benchResidents enrolled residents.
func benchFixture(b *testing.B) (*fixture, []string) {
	f := newFixture(b)
	return f, benchResidentsOf(f)
}

// benchResidentsOf publishes the city example in f and enrols
// benchResidents residents, whose identifiers it returns.
func benchResidentsOf(f *fixture) []string {
	f.publishExample("city.yaml")
	ids := make([]string, benchResidents)
	for i := range ids {
		body := fmt.Sprintf("37108219800101%03d", i)
		ids[i] = body + string(tally.ResidentCheck(body))
		f.person("rongcheng-city", ids[i], fmt.Sprintf("居民%d", i))
	}
	return ids
}

// benchConduct is the i-th volunteering record: residents in turn, a few
// hours apart, spread over the year before the fixed clock.
func benchConduct(ids []string, i int) ledger.Conduct {
	start := now.AddDate(-1, 0, 0)
	return ledger.Conduct{Scheme: "rongcheng-city", Identifier: ids[i%len(ids)], Rule: "volunteering.hours",
		Facts: map[string]any{"hours": 4.0}, At: start.Add(time.Duration(i%8000) * time.Hour),
		Ref: fmt.Sprintf("bench/%d", i), By: "bench", Evidence: "volunteer log"}
}

// BenchmarkRecord measures one Record call: checks, the cap, one
// committed transaction on a SQLite file.
func BenchmarkRecord(b *testing.B) {
	f, ids := benchFixture(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := f.svc.Record(f.ctx, benchConduct(ids, i)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkImport measures recording through the batched import path.
func BenchmarkImport(b *testing.B) {
	f, ids := benchFixture(b)
	conducts := make([]ledger.Conduct, b.N)
	for i := range conducts {
		conducts[i] = benchConduct(ids, i)
	}
	b.ResetTimer()
	rep, err := f.svc.RecordAll(f.ctx, conducts, ledger.ImportOptions{})
	if err != nil || len(rep.Bad) > 0 {
		b.Fatal(err, rep.Bad)
	}
}

// BenchmarkScore measures a score with its key factors for residents with
// n records in effect.
func BenchmarkScore(b *testing.B) {
	for _, n := range []int{5, 50} {
		b.Run(fmt.Sprintf("records=%d", n), func(b *testing.B) {
			f, ids := benchFixture(b)
			conducts := make([]ledger.Conduct, n*len(ids))
			for i := range conducts {
				conducts[i] = benchConduct(ids, i)
				conducts[i].Facts["hours"] = 1.0 // keep under the monthly cap
			}
			if rep, err := f.svc.RecordAll(f.ctx, conducts, ledger.ImportOptions{}); err != nil || len(rep.Bad) > 0 {
				b.Fatal(err, rep.Bad)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				s, err := f.svc.Score(f.ctx, "rongcheng-city", ids[i%len(ids)], now)
				if err != nil || !s.Scored {
					b.Fatal(err)
				}
			}
		})
	}
}
