package postgres_test

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/examples"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/postgres"
	"github.com/tallycredit/tally/postgres/pgtest"
)

// benchSubjects stores n subjects, each enrolled and with perSubject
// records spread over two years, and returns their IDs.
func benchSubjects(b *testing.B, db *postgres.DB, n, perSubject int) []int64 {
	b.Helper()
	start := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	ids := make([]int64, n)
	err := db.Update(b.Context(), func(tx ledger.Tx) error {
		var rs []*tally.Record
		for i := range ids {
			s := &tally.Subject{Kind: tally.Person, Name: fmt.Sprintf("subject %d", i),
				Lookup: fmt.Appendf(nil, "lookup %d", i), Sealed: []byte("sealed"), Created: start}
			if err := tx.InsertSubject(b.Context(), s); err != nil {
				return err
			}
			ids[i] = s.ID
			if err := tx.InsertEnrolment(b.Context(), &tally.Enrolment{Scheme: "city", SubjectID: s.ID, Enrolled: start}); err != nil {
				return err
			}
			for j := range perSubject {
				rs = append(rs, benchRecord(s.ID, fmt.Sprintf("%d/%d", i, j), start.Add(time.Duration(j)*84*time.Hour)))
			}
		}
		return tx.InsertRecords(b.Context(), rs)
	})
	if err != nil {
		b.Fatal(err)
	}
	return ids
}

// benchRecord is a typical city record: a few facts, a one-year expiry.
func benchRecord(subject int64, ref string, happened time.Time) *tally.Record {
	return &tally.Record{
		Scheme: "city", Version: 1, SubjectID: subject, Rule: "volunteer",
		Facts:      map[string]any{"hours": 4, "place": "east gate", "verified": true},
		HappenedAt: happened, RecordedAt: happened.Add(time.Hour), RecordedBy: "clerk",
		Ref: ref, Evidence: "form " + ref, Requested: 1, Awarded: 1,
		ExpiresAt: happened.AddDate(1, 0, 0), Digest: "sha256:0123456789abcdef0123456789abcdef",
	}
}

// analyze has the server gather statistics, as autovacuum would have in a
// database in use: with none, prepared statements can settle on plans made
// for empty tables.
func analyze(b *testing.B, addr string) {
	b.Helper()
	if _, err := rawConn(b, addr).Exec(b.Context(), "ANALYZE"); err != nil {
		b.Fatal(err)
	}
}

// reportRate reports records written per second of timed work.
func reportRate(b *testing.B, records int) {
	b.ReportMetric(float64(records)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkInsertRecord measures one Update per record, as the ledger
// records one command: lock the subject, check the cap, insert, commit.
func BenchmarkInsertRecord(b *testing.B) {
	addr := pgtest.Fresh(b)
	db := mustOpen(b, addr)
	ids := benchSubjects(b, db, 100, 10)
	analyze(b, addr)
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	i := 0
	for b.Loop() {
		subject := ids[i%len(ids)]
		happened := start.Add(time.Duration(i) * 24 * time.Hour / time.Duration(len(ids)))
		err := db.Update(b.Context(), func(tx ledger.Tx) error {
			if err := tx.LockSubject(b.Context(), "city", subject); err != nil {
				return err
			}
			if _, err := tx.SumAwarded(b.Context(), "city", subject, "volunteer", happened.AddDate(0, -1, 0), happened); err != nil {
				return err
			}
			return tx.InsertRecord(b.Context(), benchRecord(subject, fmt.Sprintf("bench/%d", i), happened))
		})
		if err != nil {
			b.Fatal(err)
		}
		i++
	}
	reportRate(b, i)
}

// BenchmarkInsertRecords measures one Update writing a batch of 500
// records with InsertRecords, as an import writes a batch.
func BenchmarkInsertRecords(b *testing.B) {
	const batch = 500
	addr := pgtest.Fresh(b)
	db := mustOpen(b, addr)
	ids := benchSubjects(b, db, 1000, 10)
	analyze(b, addr)
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	n := 0
	for b.Loop() {
		rs := make([]*tally.Record, batch)
		for j := range rs {
			rs[j] = benchRecord(ids[n%len(ids)], fmt.Sprintf("bench/%d", n), start.Add(time.Duration(n)*time.Minute))
			n++
		}
		err := db.Update(b.Context(), func(tx ledger.Tx) error { return tx.InsertRecords(b.Context(), rs) })
		if err != nil {
			b.Fatal(err)
		}
	}
	reportRate(b, n)
}

// benchCity opens servers stores on one new database, each with a ledger,
// publishes the city example, enrols subjects residents through them
// (several at a time, as setup is not what is measured) and gives each a
// year of history before the year the benchmarks record in.
func benchCity(b *testing.B, servers, subjects int) ([]*ledger.Service, []string) {
	b.Helper()
	addr := pgtest.Fresh(b)
	dbs := make([]*postgres.DB, servers)
	svcs := make([]*ledger.Service, servers)
	for i := range svcs {
		dbs[i] = mustOpen(b, addr)
		svcs[i] = newService(b, dbs[i])
	}
	src, err := examples.Rulebooks.ReadFile("city.yaml")
	if err != nil {
		b.Fatal(err)
	}
	ctx := adminCtx(b)
	if _, err := svcs[0].Publish(ctx, "city.yaml", src); err != nil {
		b.Fatal(err)
	}
	ids := make([]string, subjects)
	subjectIDs := make([]int64, subjects)
	var wg sync.WaitGroup
	errs := make(chan error, subjects)
	const workers = 16
	for w := range workers {
		wg.Go(func() {
			for i := w; i < subjects; i += workers {
				body := fmt.Sprintf("3710821980%02d01%03d", 1+i/1000, i%1000)
				ids[i] = body + string(tally.ResidentCheck(body))
				svc := svcs[i%servers]
				v, err := svc.AddSubject(ctx, ledger.NewSubject{Kind: tally.Person, Identifier: ids[i], Name: fmt.Sprintf("居民%d", i)})
				if err != nil {
					errs <- err
					return
				}
				subjectIDs[i] = v.ID
				if _, err := svc.Enrol(ctx, ledger.Enrolment{Scheme: "rongcheng-city", Identifier: ids[i], Consent: true}); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}

	const history = 20 // records a subject, in the year before the benchmark's
	err = dbs[0].Update(b.Context(), func(tx ledger.Tx) error {
		var rs []*tally.Record
		start := now.AddDate(-2, 0, 0)
		for i, id := range subjectIDs {
			for j := range history {
				happened := start.Add(time.Duration(j*18+i%18) * 24 * time.Hour)
				rs = append(rs, &tally.Record{Scheme: "rongcheng-city", Version: 1, SubjectID: id, Rule: "volunteering.hours",
					Facts: map[string]any{"hours": 4.0}, HappenedAt: happened, RecordedAt: happened, RecordedBy: "history",
					Ref: fmt.Sprintf("history/%d/%d", i, j), Evidence: "volunteer log", Requested: 1, Awarded: 1,
					Reason: "+1 as the rule gives", ExpiresAt: happened.AddDate(1, 0, 0), Digest: "history"})
			}
		}
		return tx.InsertRecords(b.Context(), rs)
	})
	if err != nil {
		b.Fatal(err)
	}
	analyze(b, addr)
	return svcs, ids
}

// cityConduct is the i-th volunteering record: residents in turn, a few
// hours apart, spread over the year before the clock.
func cityConduct(ids []string, i int) ledger.Conduct {
	start := now.AddDate(-1, 0, 0)
	return ledger.Conduct{Scheme: "rongcheng-city", Identifier: ids[i%len(ids)], Rule: "volunteering.hours",
		Facts: map[string]any{"hours": 4.0}, At: start.Add(time.Duration(i%8000) * time.Hour),
		Ref: fmt.Sprintf("bench/%d", i), Evidence: "volunteer log"}
}

// BenchmarkRecord measures one ledger Record call on PostgreSQL: checks,
// subject and enrolment lookups, lock, ref check, cap sum, insert, commit.
func BenchmarkRecord(b *testing.B) {
	svcs, ids := benchCity(b, 1, 1000)
	ctx := adminCtx(b)
	i := 0
	for b.Loop() {
		if _, err := svcs[0].Record(ctx, cityConduct(ids, i)); err != nil {
			b.Fatal(err)
		}
		i++
	}
	reportRate(b, i)
}

// BenchmarkRecordParallel measures Record calls from many goroutines at
// once (8 per CPU) on one store, as a server answering many recorders:
// their commits share the server's WAL flushes.
func BenchmarkRecordParallel(b *testing.B) {
	svcs, ids := benchCity(b, 1, 1000)
	ctx := adminCtx(b)
	var next atomic.Int64
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := svcs[0].Record(ctx, cityConduct(ids, int(next.Add(1)))); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	reportRate(b, int(next.Load()))
}

// BenchmarkIngest measures the ledger's batched import (RecordAll, 500
// rows a transaction) of b.N records over 1,000 subjects, by one server
// and by four servers (stores) at once, each importing its own share of
// the subjects. Run it with -benchtime Nx: each run sets up a new database.
func BenchmarkIngest(b *testing.B) {
	for _, servers := range []int{1, 4} {
		b.Run(fmt.Sprintf("servers=%d", servers), func(b *testing.B) {
			svcs, ids := benchCity(b, servers, 1000)
			shares := make([][]ledger.Conduct, servers)
			for i := range b.N {
				shares[i%len(ids)%servers] = append(shares[i%len(ids)%servers], cityConduct(ids, i))
			}
			ctx := adminCtx(b)
			b.ResetTimer()
			var wg sync.WaitGroup
			for s := range servers {
				wg.Go(func() {
					rep, err := svcs[s].RecordAll(ctx, shares[s], ledger.ImportOptions{})
					if err != nil || len(rep.Bad) > 0 || rep.Recorded != len(shares[s]) {
						b.Errorf("server %d: %v, report %+v", s, err, rep)
					}
				})
			}
			wg.Wait()
			b.StopTimer()
			reportRate(b, b.N)
		})
	}
}
