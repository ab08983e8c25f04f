package ledger_test

import (
	"testing"

	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/localtime"
)

// A city resident with deductions of three durations sees how far the
// grade bands either side are, the score right after each of the next
// expiries (as Score gives at that instant), and from when each deduction
// may be repaired.
func TestOutlookPredictsWhatScoreWillSay(t *testing.T) {
	f := newFixture(t)
	f.publishExample("city.yaml")
	f.person("rongcheng-city", zhang, "张三")
	f.record("rongcheng-city", zhang, "contract.breach-judgment", "2026-02-10", "court/2026-17") // general, -50 for 1y
	held := f.record("rongcheng-city", zhang, "utilities.equipment-damage", "2026-03-01", "penalty/88")
	f.approve(held.ID)                                                                 // serious, -100 for 3y
	f.record("rongcheng-city", zhang, "utilities.late-fees", "2026-03-05", "notice/9") // minor, -20 for 3m
	at, err := ledger.ParseTime("2026-03-05", shanghai, true)
	if err != nil {
		t.Fatal(err)
	}
	o, err := f.svc.Outlook(f.ctx, "rongcheng-city", zhang, at)
	if err != nil {
		t.Fatal(err)
	}
	if *o.Score.Score != 830 || o.Up == nil || o.Up.Grade != "B" || o.Up.Points != 20 {
		t.Errorf("at 830 (C, B from 850): up %+v, want 20 points to B", o.Up)
	}
	if o.Down == nil || o.Down.Grade != "D" || o.Down.Points != 231 {
		t.Errorf("at 830 (C from 600): down %+v, want D after 231 points of deductions", o.Down)
	}
	wantDays := []string{"2026-06-05", "2027-02-10", "2029-03-01"}
	if len(o.Expiries) != len(wantDays) {
		t.Fatalf("expiries %+v, want %d", o.Expiries, len(wantDays))
	}
	for i, e := range o.Expiries {
		if got := localtime.Date(e.At, shanghai); got != wantDays[i] {
			t.Errorf("expiry %d on %s, want %s", i, got, wantDays[i])
		}
		want, err := f.svc.Score(f.ctx, "rongcheng-city", zhang, e.At)
		if err != nil {
			t.Fatal(err)
		}
		if *e.After.Score != *want.Score || *e.After.Grade != *want.Grade {
			t.Errorf("after the expiry on %s: %d %s, Score says %d %s", wantDays[i], *e.After.Score, *e.After.Grade, *want.Score, *want.Grade)
		}
	}
	if *o.Expiries[0].After.Score != 850 || len(o.Expiries[0].Records) != 1 {
		t.Errorf("first expiry %+v, want the late fee ending at 850", o.Expiries[0])
	}
	wantFrom := map[string]string{
		"utilities.late-fees":        "2026-03-05", // minor: at once
		"contract.breach-judgment":   "2026-05-10", // general: after 3 months
		"utilities.equipment-damage": "2027-03-01", // serious: after a year
	}
	if len(o.Repairs) != len(wantFrom) {
		t.Fatalf("repairable %+v, want %d deductions", o.Repairs, len(wantFrom))
	}
	for _, r := range o.Repairs {
		if got := localtime.Date(r.From, shanghai); got != wantFrom[r.Rule] {
			t.Errorf("%s may be repaired from %s, want %s", r.Rule, got, wantFrom[r.Rule])
		}
	}
}

// Points to the bands either side: none above the top band, none below a
// band that catches every lower score.
func TestOutlookAtTheEdgesOfTheBands(t *testing.T) {
	f := newFixture(t)
	f.publishExample("city.yaml")
	f.person("rongcheng-city", zhang, "张三")
	at, _ := ledger.ParseTime("2026-01-01", shanghai, true)
	o, err := f.svc.Outlook(f.ctx, "rongcheng-city", zhang, at)
	if err != nil {
		t.Fatal(err)
	}
	if o.Up == nil || o.Up.Grade != "AA" || o.Up.Points != 30 || o.Down == nil || o.Down.Grade != "B" || o.Down.Points != 41 {
		t.Errorf("at 1000 (A from 960, AA from 1030): up %+v down %+v, want 30 to AA, B after 41", o.Up, o.Down)
	}
	if len(o.Expiries) != 0 || len(o.Repairs) != 0 {
		t.Errorf("no records: expiries %+v repairs %+v, want none", o.Expiries, o.Repairs)
	}
}
