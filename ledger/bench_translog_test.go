package ledger_test

import (
	"path/filepath"
	"testing"

	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/postgres"
	"github.com/tallycredit/tally/postgres/pgtest"
	"github.com/tallycredit/tally/sqlite"
)

// logModes are the two ways the log benchmarks run: the log kept, as in
// production, and turned off (Options.NoLog), to show what it costs.
var logModes = []struct {
	name  string
	noLog bool
}{{"log=on", false}, {"log=off", true}}

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

// eachLogMode runs bench on each engine with the log on and off, over
// the city example with benchResidents residents. Besides the time it
// reports the process's CPU time an operation (cpu-µs/op), which on a
// shared machine varies less than the time: on SQLite it is the whole
// cost, on PostgreSQL the client's part.
func eachLogMode(b *testing.B, bench func(b *testing.B, f *fixture, ids []string)) {
	for _, e := range benchEngines {
		for _, m := range logModes {
			b.Run(e.name+"/"+m.name, func(b *testing.B) {
				f := fixtureOn(b, e.open(b), ledger.Options{NoLog: m.noLog})
				ids := benchResidentsOf(f)
				b.ResetTimer()
				cpu := cpuTime(b)
				bench(b, f, ids)
				b.ReportMetric(float64((cpuTime(b)-cpu).Microseconds())/float64(b.N), "cpu-µs/op")
			})
		}
	}
}

// BenchmarkImportLog measures the batched import with the log on and off.
func BenchmarkImportLog(b *testing.B) {
	eachLogMode(b, func(b *testing.B, f *fixture, ids []string) {
		conducts := make([]ledger.Conduct, b.N)
		for i := range conducts {
			conducts[i] = benchConduct(ids, i)
		}
		rep, err := f.svc.RecordAll(f.ctx, conducts, ledger.ImportOptions{})
		if err != nil || len(rep.Bad) > 0 {
			b.Fatal(err, rep.Bad)
		}
	})
}

// BenchmarkRecordLog measures one Record call with the log on and off.
func BenchmarkRecordLog(b *testing.B) {
	eachLogMode(b, func(b *testing.B, f *fixture, ids []string) {
		for i := 0; i < b.N; i++ {
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
