package ledger_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/postgres"
	"github.com/tallycredit/tally/postgres/pgtest"
	"github.com/tallycredit/tally/sqlite"
)

// benchEngines open a fresh store of each engine for a benchmark: a
// SQLite file and a PostgreSQL database.
var benchEngines = []struct {
	name string
	open func(b *testing.B) ledger.Store
}{
	{"sqlite", func(b *testing.B) ledger.Store {
		db, err := sqlite.Open(b.Context(), filepath.Join(b.TempDir(), "tally.db"))
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
		return db
	}},
	{"postgres", func(b *testing.B) ledger.Store {
		db, err := postgres.Open(b.Context(), pgtest.Fresh(b))
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
		return db
	}},
}

// logCost runs the same operations on two fixtures of each engine, one
// keeping the log, as in production, and one with it turned off
// (Options.NoLog), in alternating blocks of block operations, the first
// of each pair taking turns, so that the machine's load, which moves
// both alike, drops out of their ratio. It reports the process's CPU
// time and the time an operation each way and the log's share of each
// (log-cpu-%, log-time-%); on PostgreSQL the CPU is only the client's.
// run does operations [from, from+n) on a fixture.
func logCost(b *testing.B, block int, run func(b *testing.B, f *fixture, ids []string, from, n int)) {
	for _, e := range benchEngines {
		b.Run(e.name, func(b *testing.B) {
			on := fixtureOn(b, e.open(b), ledger.Options{})
			off := fixtureOn(b, e.open(b), ledger.Options{NoLog: true})
			sides := []struct {
				f         *fixture
				ids       []string
				cpu, wall time.Duration
			}{{f: on, ids: benchResidentsOf(on)}, {f: off, ids: benchResidentsOf(off)}}
			b.ResetTimer()
			for from, turn := 0, 0; from < b.N; from, turn = from+block, turn+1 {
				n := min(block, b.N-from)
				for k := range 2 {
					s := &sides[(turn+k)%2]
					cpu, began := cpuTime(b), time.Now()
					run(b, s.f, s.ids, from, n)
					s.cpu += cpuTime(b) - cpu
					s.wall += time.Since(began)
				}
			}
			perOp := func(d time.Duration) float64 { return float64(d.Microseconds()) / float64(b.N) }
			b.ReportMetric(perOp(sides[0].cpu), "on-cpu-µs/op")
			b.ReportMetric(perOp(sides[1].cpu), "off-cpu-µs/op")
			b.ReportMetric(100*(float64(sides[0].cpu)/float64(sides[1].cpu)-1), "log-cpu-%")
			b.ReportMetric(100*(float64(sides[0].wall)/float64(sides[1].wall)-1), "log-time-%")
		})
	}
}

// BenchmarkImportLog measures the batched import with the log on and
// off: blocks of 500 records, an import's transaction.
func BenchmarkImportLog(b *testing.B) {
	logCost(b, 500, func(b *testing.B, f *fixture, ids []string, from, n int) {
		conducts := make([]ledger.Conduct, n)
		for i := range conducts {
			conducts[i] = benchConduct(ids, from+i)
		}
		rep, err := f.svc.RecordAll(f.ctx, conducts, ledger.ImportOptions{})
		if err != nil || len(rep.Bad) > 0 {
			b.Fatal(err, rep.Bad)
		}
	})
}

// BenchmarkRecordLog measures one Record call with the log on and off,
// in blocks of 25.
func BenchmarkRecordLog(b *testing.B) {
	logCost(b, 25, func(b *testing.B, f *fixture, ids []string, from, n int) {
		for i := from; i < from+n; i++ {
			if _, err := f.svc.Record(f.ctx, benchConduct(ids, i)); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkLogInclusion measures LogInclusion, a proof read from the
// store, in a log of 20,000 records on a SQLite file (translog's
// BenchmarkProveInclusion gives the tree's own cost at larger sizes).
func BenchmarkLogInclusion(b *testing.B) {
	f, ids := benchFixture(b)
	f.withLogSigner()
	const n = 20000
	conducts := make([]ledger.Conduct, n)
	for i := range conducts {
		conducts[i] = benchConduct(ids, i)
		conducts[i].Facts["hours"] = 0.5
	}
	rep, err := f.svc.RecordAll(f.ctx, conducts, ledger.ImportOptions{})
	if err != nil || len(rep.Bad) > 0 {
		b.Fatal(err, len(rep.Bad))
	}
	if _, err := f.svc.SignLogCheckpoint(f.ctx); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := f.svc.LogInclusion(f.ctx, ledger.LogRecord, itoa(int64(1+(i*7919)%n)), 0); err != nil {
			b.Fatal(err)
		}
	}
}
