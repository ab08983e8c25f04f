package ledger_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/examples"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/postgres"
	"github.com/tallycredit/tally/postgres/pgtest"
)

// benchEnv reads a positive integer from the environment, or def.
func benchEnv(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// fillVillage writes subjects enrolled (with consent) in the village
// scheme and perSubject records each, spread over the year before the
// fixed clock, straight through the store in large transactions: a
// generator, not the ledger's recording path (which checks caps one
// record at a time). It returns how long the writing took.
func fillVillage(b *testing.B, f *fixture, subjects, perSubject int) time.Duration {
	return fillStore(b, f.ctx, f.db, subjects, perSubject)
}

// fillStore is fillVillage on any store.
func fillStore(b *testing.B, ctx context.Context, store ledger.Store, subjects, perSubject int) time.Duration {
	began := time.Now()
	const batch = 5000
	start := now.AddDate(-1, 0, 0)
	recordedAt := now.Add(-24 * time.Hour)
	for first := 0; first < subjects; first += batch {
		err := store.Update(ctx, func(tx ledger.Tx) error {
			var rs []*tally.Record
			for i := first; i < min(first+batch, subjects); i++ {
				h := sha256.Sum256(fmt.Appendf(nil, "bench subject %d", i))
				s := &tally.Subject{Kind: tally.Person, Name: fmt.Sprintf("村民%d", i), Masked: fmt.Sprintf("3710**********%04d", i%10000),
					Lookup: h[:], Sealed: h[:], AdultOn: time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC), Created: start}
				if err := tx.InsertSubject(ctx, s); err != nil {
					return err
				}
				e := &tally.Enrolment{Scheme: "jiakuang-majia", SubjectID: s.ID, Unit: fmt.Sprintf("第%d组", i%12+1), Enrolled: start, By: "bench"}
				if err := tx.InsertEnrolment(ctx, e); err != nil {
					return err
				}
				if err := tx.InsertConsent(ctx, &tally.Consent{Scheme: "jiakuang-majia", SubjectID: s.ID, Given: true, At: start, How: "bench", By: "bench"}); err != nil {
					return err
				}
				for j := range perSubject {
					at := start.Add(time.Duration((i*7+j*37)%8700) * time.Hour)
					awarded := int64(2)
					rule := "neighbours.help"
					if (i+j)%10 == 0 {
						awarded, rule = -10, "conduct.littering"
					}
					rs = append(rs, &tally.Record{Scheme: "jiakuang-majia", Version: 1, SubjectID: s.ID, Rule: rule,
						HappenedAt: at, RecordedAt: recordedAt, RecordedBy: "bench", Ref: fmt.Sprintf("b/%d/%d", i, j),
						Requested: awarded, Awarded: awarded, Reason: "bench", ExpiresAt: at.AddDate(1, 0, 0), Digest: "bench"})
				}
			}
			return tx.InsertRecords(ctx, rs)
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	return time.Since(began)
}

// BenchmarkClose closes a month of a village scheme with
// TALLY_BENCH_SUBJECTS subjects (default 2,000) and TALLY_BENCH_RECORDS
// records each (default 10) on a SQLite file. Each iteration closes a new
// month (a close is made once). bench/close.sh runs it at a million
// subjects and ten million records; docs/BENCHMARKS.md has the results.
func BenchmarkClose(b *testing.B) {
	subjects, per := benchEnv("TALLY_BENCH_SUBJECTS", 2000), benchEnv("TALLY_BENCH_RECORDS", 10)
	f := newFixture(b)
	f.publishExample("village.yaml")
	fill := fillVillage(b, f, subjects, per)
	b.Logf("generated %d subjects and %d records in %s", subjects, subjects*per, fill.Round(time.Millisecond))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		// A month closes once: every iteration after the first closes
		// the same month of a fresh database, made with the timer stopped.
		if i >= 1 {
			b.StopTimer()
			f = newFixture(b)
			f.publishExample("village.yaml")
			fillVillage(b, f, subjects, per)
			b.StartTimer()
		}
		began := time.Now()
		c, made, err := f.svc.Close(f.ctx, "jiakuang-majia", "2026-10", nil)
		if err != nil || !made {
			b.Fatal(err, made)
		}
		b.ReportMetric(float64(c.Subjects)/time.Since(began).Seconds(), "subjects/s")
		b.ReportMetric(float64(c.Records), "period-records")
	}
}

// BenchmarkClosePostgres is BenchmarkClose on a fresh database of the
// PostgreSQL server in TALLY_TEST_POSTGRES (skipped without one).
func BenchmarkClosePostgres(b *testing.B) {
	subjects, per := benchEnv("TALLY_BENCH_SUBJECTS", 2000), benchEnv("TALLY_BENCH_RECORDS", 10)
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		ctx := ledger.WithPurpose(ledger.WithActor(context.Background(), &tally.Actor{Name: "bench", Role: tally.Admin}), "bench")
		db, err := postgres.Open(ctx, pgtest.Fresh(b))
		if err != nil {
			b.Fatal(err)
		}
		key, _ := ledger.ParseKey(ledger.GenerateKey())
		vault, _ := ledger.NewVault(key)
		svc := ledger.New(db, vault, ledger.Options{Now: func() time.Time { return now }})
		src, _ := examples.Rulebooks.ReadFile("village.yaml")
		if _, err := svc.Publish(ctx, "village.yaml", src); err != nil {
			b.Fatal(err)
		}
		fill := fillStore(b, ctx, db, subjects, per)
		b.Logf("generated %d subjects and %d records in %s", subjects, subjects*per, fill.Round(time.Millisecond))
		b.StartTimer()
		began := time.Now()
		c, made, err := svc.Close(ctx, "jiakuang-majia", "2026-10", nil)
		if err != nil || !made {
			b.Fatal(err, made)
		}
		b.ReportMetric(float64(c.Subjects)/time.Since(began).Seconds(), "subjects/s")
		b.ReportMetric(float64(c.Records), "period-records")
		b.StopTimer()
		db.Close()
	}
}
