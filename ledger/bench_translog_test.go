package ledger_test

import (
	"testing"
	"time"

	"github.com/tallycredit/tally/ledger"
)

// logModes are the two ways the log benchmarks run: the log kept, as in
// production, and turned off (Options.NoLog), to show what it costs.
var logModes = []struct {
	name  string
	noLog bool
}{{"log=on", false}, {"log=off", true}}

// withLog returns f with a Service over its store that keeps the log or
// not.
func withLog(b *testing.B, f *fixture, noLog bool) *fixture {
	f.svc = ledger.New(f.db, f.vault, ledger.Options{Now: func() time.Time { return now }, NoLog: noLog})
	if err := f.svc.Check(f.ctx); err != nil {
		b.Fatal(err)
	}
	return f
}

// BenchmarkImportLog measures the batched import with the log on and off.
func BenchmarkImportLog(b *testing.B) {
	for _, m := range logModes {
		b.Run(m.name, func(b *testing.B) {
			f, ids := benchFixture(b)
			f = withLog(b, f, m.noLog)
			conducts := make([]ledger.Conduct, b.N)
			for i := range conducts {
				conducts[i] = benchConduct(ids, i)
			}
			b.ResetTimer()
			rep, err := f.svc.RecordAll(f.ctx, conducts, ledger.ImportOptions{})
			if err != nil || len(rep.Bad) > 0 {
				b.Fatal(err, rep.Bad)
			}
		})
	}
}

// BenchmarkRecordLog measures one Record call with the log on and off.
func BenchmarkRecordLog(b *testing.B) {
	for _, m := range logModes {
		b.Run(m.name, func(b *testing.B) {
			f, ids := benchFixture(b)
			f = withLog(b, f, m.noLog)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := f.svc.Record(f.ctx, benchConduct(ids, i)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
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
