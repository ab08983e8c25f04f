package ledger_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// TestCloseAgreesWithScores holds the close, which sums a page of
// subjects' records in one pass and corrects the few whose standing
// changes them, to an independent computation: each subject's Score at
// the opening and closing instants, and its history's records of the
// month. The ledger has reversals, a held and an approved hold, approved
// and declined repairs (one decided inside the month), expiries, a late
// record and a second close; it runs on both stores.
func TestCloseAgreesWithScores(t *testing.T) {
	for name, open := range bothStores {
		t.Run(name, func(t *testing.T) {
			clock := time.Date(2026, 9, 25, 12, 0, 0, 0, shanghai)
			f := closeStoreFixture(t, open, &clock)
			closeAgreeLedger(t, f, &clock)
		})
	}
}

// closeStoreFixture is a fixture over a store that open gives, whose
// service reads the time from clock.
func closeStoreFixture(t *testing.T, open func(t *testing.T) ledger.Store, clock *time.Time) *fixture {
	ctx := ledger.WithPurpose(ledger.WithActor(context.Background(), &tally.Actor{Name: "test", Role: tally.Admin}), "test")
	key, _ := ledger.ParseKey(ledger.GenerateKey())
	vault, err := ledger.NewVault(key)
	if err != nil {
		t.Fatal(err)
	}
	svc := ledger.New(open(t), vault, ledger.Options{Now: func() time.Time { return *clock }})
	return &fixture{t: t, ctx: ctx, svc: svc, vault: vault}
}

// closeAgreeLedger writes the ledger of TestCloseAgreesWithScores with
// f's service, moving the clock, and checks its two closes.
func closeAgreeLedger(t *testing.T, f *fixture, clock *time.Time) {
	const city = "rongcheng-city"
	f.publishExample("city.yaml")
	f.person(city, zhang, "张三")
	f.person(city, li, "李四")
	if _, err := f.svc.AddSubject(f.ctx, ledger.NewSubject{Kind: tally.Person, Identifier: wang, Name: "王五"}); err != nil {
		t.Fatal(err)
	}
	f.enrol(city, wang, false)
	if err := f.svc.SetPublication(f.ctx, city, li, true, "signed form"); err != nil {
		t.Fatal(err)
	}
	reverse := func(r tally.Record, ref string) {
		t.Helper()
		if _, err := f.svc.Reverse(f.ctx, ledger.Reversal{Scheme: city, Record: r.ID, Reason: "wrong person", Ref: ref}); err != nil {
			t.Fatal(err)
		}
	}
	repair := func(r tally.Record, id string, approve bool) {
		t.Helper()
		p, err := f.svc.ApplyRepair(f.ctx, ledger.RepairInput{Scheme: city, Identifier: id, Record: r.ID, Obligations: "paid, receipt 7"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.DecideRepair(reviewerCtx("rev"), p.ID, approve, "receipt checked"); err != nil {
			t.Fatal(err)
		}
	}
	// Before October: old deductions (one to be repaired in October, one
	// declined), a record that expires in October, a reversed one, an
	// approved hold.
	tax := f.record(city, zhang, "tax.arrears", "2026-05-01", "tax/1")
	loan := f.record(city, li, "finance.loan-default", "2026-04-02", "loan/1")
	f.record(city, li, "utilities.late-fees", "2025-10-15", "fees/old") // expires in October if it lasts a year
	undone := f.record(city, zhang, "utilities.late-fees", "2026-09-10", "fees/1")
	reverse(undone, "fees/1-undo")
	approved := f.record(city, li, "utilities.theft", "2026-09-12", "theft/1")
	f.approve(approved.ID)
	repair(loan, li, false)
	// October: a repair approved mid-month, records, a reversed one, a
	// held one left undecided, an unscored subject's record.
	*clock = time.Date(2026, 10, 16, 12, 0, 0, 0, shanghai)
	repair(tax, zhang, true)
	f.record(city, zhang, "utilities.late-fees", "2026-10-05", "fees/2")
	f.record(city, li, "utilities.late-fees", "2026-10-06", "fees/3")
	gone := f.record(city, li, "utilities.late-fees", "2026-10-07", "fees/4")
	reverse(gone, "fees/4-undo")
	f.record(city, zhang, "utilities.theft", "2026-10-08", "theft/2") // held
	f.record(city, wang, "utilities.late-fees", "2026-10-09", "fees/5")
	*clock = time.Date(2026, 11, 2, 12, 0, 0, 0, shanghai)
	closeAgrees(t, f, city, "2026-10", 3)
	// November, closed again: a late record for October, more reversals.
	*clock = time.Date(2026, 11, 20, 12, 0, 0, 0, shanghai)
	f.record(city, li, "utilities.late-fees", "2026-10-20", "fees/late")
	nov := f.record(city, zhang, "utilities.late-fees", "2026-11-03", "fees/6")
	reverse(nov, "fees/6-undo")
	f.record(city, li, "utilities.late-fees", "2026-11-04", "fees/7")
	*clock = time.Date(2026, 12, 2, 12, 0, 0, 0, shanghai)
	c := closeAgrees(t, f, city, "2026-11", 3)
	if c.Late != 1 {
		t.Errorf("November's close lists %d late records, want 1", c.Late)
	}
}

// closeAgrees closes a period of scheme and checks every row against the
// subject's scores and history, and the header's count of records.
func closeAgrees(t *testing.T, f *fixture, scheme, period string, subjects int64) *tally.Close {
	t.Helper()
	c, made, err := f.svc.Close(f.ctx, scheme, period, nil)
	if err != nil || !made {
		t.Fatalf("close %s: made %v, %v", period, made, err)
	}
	if c.Subjects != subjects {
		t.Errorf("close %s: %d subjects, want %d", period, c.Subjects, subjects)
	}
	openAt, asOf := c.Starts.Add(-time.Microsecond), c.AsOf
	ids := map[string]string{"张三": zhang, "李四": li, "王五": wang}
	var records int64
	err = f.svc.EachCloseRow(f.ctx, scheme, period, func(r *tally.CloseRow) error {
		id := ids[r.Name]
		for _, at := range []struct {
			what string
			at   time.Time
			got  *int64
		}{{"opening", openAt, r.Opening}, {"closing", asOf, r.Closing}} {
			s, err := f.svc.Score(f.ctx, scheme, id, at.at)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case s.Scored != r.Scored:
				t.Errorf("%s %s: row scored %v, Score scored %v", period, r.Name, r.Scored, s.Scored)
			case s.Scored && (at.got == nil || *at.got != *s.Score):
				t.Errorf("%s %s: %s %s, want Score's %d", period, r.Name, at.what, optional(at.got), *s.Score)
			}
		}
		h, err := f.svc.History(f.ctx, scheme, id, 0, 500)
		if err != nil {
			t.Fatal(err)
		}
		var gains, losses, n int64
		for _, e := range h {
			if e.IsReversal() || e.Reversed || e.Pending || e.HappenedAt.Before(c.Starts) || !e.HappenedAt.Before(c.Ends) {
				continue
			}
			n++
			if e.Awarded >= 0 {
				gains += e.Awarded
			} else {
				losses += e.Awarded
			}
		}
		if r.Gains != gains || r.Losses != losses || r.Records != n {
			t.Errorf("%s %s: gains %d, losses %d, records %d; want %d, %d, %d from its history",
				period, r.Name, r.Gains, r.Losses, r.Records, gains, losses, n)
		}
		if r.Scored && r.Expired != *r.Closing-*r.Opening-r.Gains-r.Losses {
			t.Errorf("%s %s: expired %d does not close the sum", period, r.Name, r.Expired)
		}
		records += n
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if c.Records != records {
		t.Errorf("close %s: %d records, want %d", period, c.Records, records)
	}
	return c
}

// optional formats an optional number: "none" when absent.
func optional(n *int64) string {
	if n == nil {
		return "none"
	}
	return fmt.Sprint(*n)
}
