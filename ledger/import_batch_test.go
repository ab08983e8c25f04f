package ledger_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// batchRows is an import file that meets every question a batch answers
// for its rows at once: caps already partly used by stored records (one
// of them reversed, which no longer counts), caps met within a batch and
// across batches, months apart, an unknown subject, a subject not
// enrolled, a ref used twice with other content, and a ref stored before.
var batchRows = func() string {
	var b strings.Builder
	b.WriteString("scheme,subject,rule,at,ref,facts\n")
	for i := range 30 {
		who := []string{zhang, li}[i%2]
		fmt.Fprintf(&b, "capped,%s,help,2026-0%d-%02dT10:00:00+08:00,h/%d,hours=%d\n", who, 5+i%2, 1+i%27, i, 8+i%5*8)
		if i%4 == 0 {
			fmt.Fprintf(&b, "capped,%s,late-fee,2026-05-%02dT09:00:00+08:00,f/%d,\n", who, 2+i, i)
		}
	}
	b.WriteString("capped,110101199003070038,help,2026-05-10T10:00:00+08:00,x/unknown,hours=8\n")
	b.WriteString("capped,110101199003070011,help,2026-05-10T10:00:00+08:00,x/not-enrolled,hours=8\n")
	b.WriteString("capped," + zhang + ",help,2026-05-11T10:00:00+08:00,h/3,hours=4\n") // h/3 again, other content
	b.WriteString("capped," + zhang + ",help,2026-05-03T08:00:00+08:00,stored/1,hours=40\n")
	return b.String()
}()

// TestBatchedImportEqualsRecordingOneByOne holds the batched import to
// the plain recording path: on both stores, with one worker and with
// several, every row of batchRows is awarded, capped, explained and
// refused (and reported, in the order of the file) exactly as Record, one
// row at a time, would.
func TestBatchedImportEqualsRecordingOneByOne(t *testing.T) {
	for name, open := range bothStores {
		t.Run(name, func(t *testing.T) {
			single, singleBad := importedOutcome(t, open(t), 0)
			for _, workers := range []int{1, 3} { // one lane, and lanes of subjects side by side
				batched, batchedBad := importedOutcome(t, open(t), workers)
				if len(batched) < 30 {
					t.Fatalf("%d workers: only %d rows recorded by the import, want the file's good rows", workers, len(batched))
				}
				for ref, want := range single {
					if got := batched[ref]; got != want {
						t.Errorf("%d workers: %s: imported as %q, recorded alone as %q", workers, ref, got, want)
					}
				}
				if len(batched) != len(single) {
					t.Errorf("%d workers: %d rows recorded by the import, %d one by one", workers, len(batched), len(single))
				}
				if fmt.Sprint(batchedBad) != fmt.Sprint(singleBad) {
					t.Errorf("%d workers: refused by the import: %v\nrefused one by one: %v", workers, batchedBad, singleBad)
				}
			}
		})
	}
}

// importedOutcome records batchRows on store, with Import in batches of 7
// written by workers at once, or (workers 0) with Record row by row, after
// the same stored records, and returns
// each recorded ref's points and reason, and each refused ref's error
// code.
func importedOutcome(t *testing.T, store ledger.Store, workers int) (map[string]string, []string) {
	ctx := ledger.WithPurpose(ledger.WithActor(context.Background(), &tally.Actor{Name: "test", Role: tally.Admin}), "test")
	key, _ := ledger.ParseKey(ledger.GenerateKey())
	vault, err := ledger.NewVault(key)
	if err != nil {
		t.Fatal(err)
	}
	svc := ledger.New(store, vault, ledger.Options{Now: func() time.Time { return now }})
	if _, err := svc.Publish(ctx, "capped.yaml", []byte(capped)); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{zhang, li, "110101199003070011"} {
		if _, err := svc.AddSubject(ctx, ledger.NewSubject{Kind: tally.Person, Identifier: id, Name: "测试"}); err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range []string{zhang, li} {
		if _, err := svc.Enrol(ctx, ledger.Enrolment{Scheme: "capped", Identifier: id, Consent: true, How: "signed form"}); err != nil {
			t.Fatal(err)
		}
	}
	mustRecord := func(ref string, hours float64, at string) {
		when, _ := time.Parse(time.RFC3339, at)
		if _, err := svc.Record(ctx, ledger.Conduct{Scheme: "capped", Identifier: zhang, Rule: "help", Ref: ref,
			Facts: map[string]any{"hours": hours}, At: when}); err != nil {
			t.Fatal(err)
		}
	}
	mustRecord("stored/1", 40, "2026-05-03T08:00:00+08:00")
	mustRecord("stored/2", 20, "2026-05-04T08:00:00+08:00")
	if _, err := svc.Reverse(ctx, ledger.Reversal{Scheme: "capped", Of: "stored/2", Reason: "entered twice", Ref: "stored/2-rev"}); err != nil {
		t.Fatal(err)
	}

	var bad []string
	if workers > 0 {
		rep, err := svc.Import(ctx, strings.NewReader(batchRows), ledger.ImportOptions{Batch: 7, Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range rep.Bad {
			bad = append(bad, b.Ref+" "+b.Code)
		}
	} else {
		lines := strings.Split(strings.TrimSpace(batchRows), "\n")[1:]
		for _, line := range lines {
			f := strings.Split(line, ",")
			at, err := time.Parse(time.RFC3339, f[3])
			if err != nil {
				t.Fatal(err)
			}
			c := ledger.Conduct{Scheme: f[0], Identifier: f[1], Rule: f[2], At: at, Ref: f[4]}
			if f[5] != "" {
				c.FactArgs = []string{f[5]}
			}
			if _, err := svc.Record(ctx, c); err != nil {
				bad = append(bad, f[4]+" "+string(tally.ErrorCodeOf(err)))
			}
		}
	}
	got := map[string]string{}
	err = store.View(ctx, func(tx ledger.Tx) error {
		for _, line := range strings.Split(strings.TrimSpace(batchRows), "\n")[1:] {
			ref := strings.Split(line, ",")[4]
			r, err := tx.RecordByRef(ctx, "capped", ref)
			if tally.ErrorCodeOf(err) == tally.ENotFound {
				continue
			} else if err != nil {
				return err
			}
			got[ref] = fmt.Sprintf("%+d %s", r.Awarded, r.Reason)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got, bad
}

// TestImportLanesStopOnAFailure: when one lane's store fails, the import
// stops, says why, and does not hang on the lanes still being fed.
func TestImportLanesStopOnAFailure(t *testing.T) {
	f := newFixture(t)
	f.publish("capped.yaml", capped)
	f.person("capped", zhang, "张三")
	f.person("capped", li, "李四")
	if err := f.db.Close(); err != nil {
		t.Fatal(err)
	}
	rep, err := f.svc.Import(f.ctx, strings.NewReader(batchRows), ledger.ImportOptions{Batch: 2, Workers: 3})
	if tally.ErrorCodeOf(err) != tally.EUnavailable {
		t.Fatalf("import on a closed store = %+v, %v; want EUnavailable", rep, err)
	}
	if rep == nil || rep.Recorded != 0 {
		t.Errorf("report = %+v, want one that recorded nothing", rep)
	}
}
