package ledger_test

import (
	"context"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// A trend is the score at each instant, computed from one reading of the
// records: it equals the score asked for instant by instant, expiries and
// reversals included, and it is logged once.
func TestTrendMatchesScores(t *testing.T) {
	f := newFixture(t)
	f.publishExample("village.yaml")
	f.person("jiakuang-majia", zhang, "张伟")
	f.record("jiakuang-majia", zhang, "labour.volunteer", "2025-10-02", "a", "hours=8")
	f.record("jiakuang-majia", zhang, "conduct.littering", "2026-03-09", "b")
	r := f.record("jiakuang-majia", zhang, "neighbours.help", "2026-05-01", "c")
	if _, err := f.svc.Reverse(f.ctx, ledger.Reversal{Scheme: "jiakuang-majia", Record: r.ID, Reason: "wrong person", Ref: "c-undo"}); err != nil {
		t.Fatal(err)
	}
	f.record("jiakuang-majia", zhang, "neighbours.help", "2026-07-15", "d")
	var at []time.Time
	for _, d := range []string{"2025-09-30", "2025-10-31", "2026-03-31", "2026-05-31", "2026-06-30", "2026-07-31", "2026-10-31"} {
		tm, _ := ledger.ParseTime(d, shanghai, true)
		at = append(at, tm)
	}
	log := func() int {
		entries, err := f.svc.AccessLog(f.ctx, zhang, 0, 500)
		if err != nil {
			t.Fatal(err)
		}
		return len(entries)
	}
	before := log()
	trend, err := f.svc.Trend(f.ctx, "jiakuang-majia", zhang, at)
	if err != nil {
		t.Fatal(err)
	}
	if got := log() - before; got != 2 { // the trend, and this test's own read of the log
		t.Errorf("trend logged %d entries, want 1 (plus the admin's read of the log)", got-1)
	}
	changes := 0
	for i, p := range trend {
		want := f.scoreOf("jiakuang-majia", zhang, at[i].Format(time.DateOnly))
		if *p.Score.Score != *want.Score {
			t.Errorf("trend at %s: %d, want %d as Score gives", at[i].Format(time.DateOnly), *p.Score.Score, *want.Score)
		}
		if i > 0 && *p.Score.Score != *trend[i-1].Score.Score {
			changes++
		}
	}
	if changes < 3 {
		t.Errorf("the trend changed %d times; the records should move it at least 3 times", changes)
	}
	other := ledger.WithActor(context.Background(), &tally.Actor{Name: "x", Role: tally.SubjectR, Lookup: []byte("someone else")})
	if _, err := f.svc.Trend(other, "jiakuang-majia", zhang, at); tally.ErrorCodeOf(err) != tally.EForbidden {
		t.Errorf("another subject's trend: %v, want forbidden", err)
	}
}

// A resident may change their own consent; a decision equal to the last
// changes nothing; organisations have none.
func TestSetConsent(t *testing.T) {
	f := newFixture(t)
	f.publishExample("village.yaml")
	f.person("jiakuang-majia", zhang, "张伟")
	if err := f.svc.SetConsent(f.ctx, "jiakuang-majia", zhang, false, "phone call"); err != nil {
		t.Fatal(err)
	}
	if s := f.scoreOf("jiakuang-majia", zhang, "2026-11-26"); s.Scored {
		t.Errorf("scored after consent was withdrawn")
	}
	if err := f.svc.SetConsent(f.ctx, "jiakuang-majia", zhang, true, ""); err != nil {
		t.Fatal(err)
	}
	if s := f.scoreOf("jiakuang-majia", zhang, "2026-11-26"); !s.Scored {
		t.Errorf("not scored after consent was given again: %s", s.Unscored)
	}
	stranger := ledger.WithActor(context.Background(), &tally.Actor{Name: "x", Role: tally.SubjectR, Lookup: []byte("someone else")})
	if err := f.svc.SetConsent(stranger, "jiakuang-majia", zhang, false, ""); tally.ErrorCodeOf(err) != tally.EForbidden {
		t.Errorf("a stranger withdraws zhang's consent: %v, want forbidden", err)
	}
}

// Recent marks a deduction that waits for a second person as pending,
// until it is approved.
func TestRecentMarksHeldDeductions(t *testing.T) {
	f := newFixture(t)
	f.publishExample("city.yaml")
	f.person("rongcheng-city", zhang, "张伟")
	theft := f.record("rongcheng-city", zhang, "utilities.theft", "2026-11-20", "theft-1")
	f.record("rongcheng-city", zhang, "utilities.late-fees", "2026-11-21", "late-1")
	pending := func() map[string]bool {
		entries, err := f.svc.Recent(f.ctx, "rongcheng-city", now.AddDate(0, 0, -1), now.Add(time.Second), 100)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]bool{}
		for _, e := range entries {
			out[e.Rule] = e.Pending
		}
		return out
	}
	if got := pending(); !got["utilities.theft"] || got["utilities.late-fees"] {
		t.Errorf("pending before approval: %v, want the serious theft only", got)
	}
	f.approve(theft.ID)
	if got := pending(); got["utilities.theft"] {
		t.Errorf("pending after approval: %v, want none", got)
	}
}

// Reads made at the same time are each logged once, whether or not their
// entries share a transaction, and each read returns only once its entry
// is committed.
func TestConcurrentReadsAreEachLogged(t *testing.T) {
	f := newFixture(t)
	f.publishExample("village.yaml")
	f.person("jiakuang-majia", zhang, "张伟")
	const readers = 24
	reviewer := ledger.WithPurpose(ledger.WithActor(context.Background(), &tally.Actor{Name: "reviewer-2", Role: tally.Reviewer}), "audit")
	errs := make(chan error, readers)
	for i := 0; i < readers; i++ {
		go func() {
			_, err := f.svc.Score(reviewer, "jiakuang-majia", zhang, now)
			errs <- err
		}()
	}
	for i := 0; i < readers; i++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	log, err := f.svc.AccessLog(f.ctx, zhang, 0, 500)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range log {
		if e.Actor == "reviewer-2" && e.Action == "score" && e.Purpose == "audit" {
			n++
		}
	}
	if n != readers {
		t.Errorf("%d score entries by the reviewer, want %d", n, readers)
	}
}

// The trend counts what Score counts: a record held for a second person
// does not count until approved, and a repaired record stops counting from
// its repair's approval.
func TestTrendCountsHoldsAndRepairs(t *testing.T) {
	f := newFixture(t)
	f.publishExample("city.yaml")
	f.person("rongcheng-city", zhang, "张三")
	f.record("rongcheng-city", zhang, "utilities.equipment-damage", "2026-03-01", "penalty/88") // held: above the threshold
	old := f.record("rongcheng-city", zhang, "tax.arrears", "2026-06-01", "tax/1")
	p, err := f.svc.ApplyRepair(f.ctx, ledger.RepairInput{Scheme: "rongcheng-city", Identifier: zhang, Record: old.ID, Obligations: "tax paid, receipt 44"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.DecideRepair(reviewerCtx("rev"), p.ID, true, "receipt checked"); err != nil {
		t.Fatal(err)
	}
	dates := []string{"2026-03-01", "2026-06-01", "2026-11-25", "2026-11-26", "2026-12-31"}
	var at []time.Time
	for _, d := range dates {
		tm, _ := ledger.ParseTime(d, shanghai, true)
		at = append(at, tm)
	}
	trend, err := f.svc.Trend(f.ctx, "rongcheng-city", zhang, at)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range trend {
		if want := f.scoreOf("rongcheng-city", zhang, dates[i]); *p.Score.Score != *want.Score {
			t.Errorf("trend at %s: %d, want %d as Score gives", dates[i], *p.Score.Score, *want.Score)
		}
	}
}
