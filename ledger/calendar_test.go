package ledger_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/examples"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/workday"
)

// clockedFixture is a fixture whose clock the test moves, over the city
// example with the due_process block given.
func clockedFixture(t *testing.T, dueProcess string) (*fixture, *time.Time) {
	t.Helper()
	f := newFixture(t)
	at := now
	f.svc = ledger.New(f.db, f.vault, ledger.Options{Now: func() time.Time { return at }})
	src, err := examples.Rulebooks.ReadFile("city.yaml")
	if err != nil {
		t.Fatal(err)
	}
	f.publish("city.yaml", "due_process: "+dueProcess+"\n"+string(src))
	f.person("rongcheng-city", zhang, "张三")
	f.person("rongcheng-city", li, "李四")
	return f, &at
}

// endOf is the last instant of a day in Beijing, as deadlines run.
func endOf(day string) time.Time {
	d, err := time.ParseInLocation("2006-01-02", day, shanghai)
	if err != nil {
		panic(err)
	}
	return d.AddDate(0, 0, 1).Add(-time.Microsecond)
}

func (f *fixture) objectToScore(id string) (*ledger.ObjectionView, error) {
	return f.svc.Object(f.subjectCtx(id), ledger.ObjectionInput{Scheme: "rongcheng-city", Identifier: id, Grounds: "the score is wrong"})
}

// TestObjectionClocksFollowTheCalendar: a Shandong scheme's clocks (3
// working days to acknowledge, 7 to decide) run over the 2026 Spring
// Festival by the State Council's notice: from Friday 13 February the
// make-up Saturday 14 counts, 15-23 February do not, Saturday 28 does.
func TestObjectionClocksFollowTheCalendar(t *testing.T) {
	f, at := clockedFixture(t, "{preset: shandong}")
	*at = time.Date(2026, 2, 13, 10, 0, 0, 0, shanghai)
	o, err := f.objectToScore(zhang)
	if err != nil {
		t.Fatal(err)
	}
	if want := endOf("2026-02-25"); !o.AcknowledgeBy.Equal(want) {
		t.Errorf("acknowledge by %v, want %v (3 working days: 14, 24, 25 February)", o.AcknowledgeBy, want)
	}
	if want := endOf("2026-03-02"); !o.DecideBy.Equal(want) {
		t.Errorf("decide by %v, want %v (7 working days: 14, 24-28 February, 2 March)", o.DecideBy, want)
	}
	// National Day 2025: off 1-8 October, Saturday 11 October a working day.
	*at = time.Date(2025, 9, 30, 16, 0, 0, 0, shanghai)
	o, err = f.objectToScore(li)
	if err != nil {
		t.Fatal(err)
	}
	if want := endOf("2025-10-11"); !o.AcknowledgeBy.Equal(want) {
		t.Errorf("acknowledge by %v, want %v (9, 10 and the make-up Saturday 11 October)", o.AcknowledgeBy, want)
	}
}

// TestDeadlineInAYearWithoutCalendar: a deadline that would fall in 2027,
// whose notice tally lacks, never stops a filing: the objection is filed
// with 2027 counted Monday to Friday and is provisional (暂定) when filed
// and when read, while the calendar still has no 2027 (the operator's
// gap, see TestCalendarGaps). After `tally calendar import` of 2027 new
// filings count on the imported days and are exact; the deadline already
// stored keeps its day (an import does not move a deadline already
// notified) and is no longer provisional.
func TestDeadlineInAYearWithoutCalendar(t *testing.T) {
	f, at := clockedFixture(t, "{preset: shanghai}")
	f.person("rongcheng-city", wang, "王五")
	*at = time.Date(2026, 12, 30, 10, 0, 0, 0, shanghai)
	o, err := f.objectToScore(zhang)
	if err != nil {
		t.Fatalf("an objection whose deadline falls in 2027 was refused: %v", err)
	}
	// Shanghai: 1 working day to acknowledge, 5 to decide.
	if want := endOf("2026-12-31"); !o.AcknowledgeBy.Equal(want) {
		t.Errorf("acknowledge by %v, want %v", o.AcknowledgeBy, want)
	}
	if want := endOf("2027-01-06"); !o.DecideBy.Equal(want) {
		t.Errorf("decide by %v, want %v (31 December, then 1, 4, 5, 6 January counted Monday to Friday)", o.DecideBy, want)
	}
	if !o.Provisional {
		t.Error("the objection as filed is not provisional, though its decision deadline was counted over 2027")
	}
	wantFiled := func(when string, provisional bool) {
		t.Helper()
		os, err := f.svc.Objections(f.ctx, ledger.ObjectionQuery{Scheme: "rongcheng-city", Identifier: zhang})
		if err != nil || len(os) != 1 {
			t.Fatalf("%s: objections %+v, %v; want zhang's one", when, os, err)
		}
		if want := endOf("2027-01-06"); !os[0].DecideBy.Equal(want) || os[0].Provisional != provisional {
			t.Errorf("%s: decide by %v provisional %v, want %v provisional %v", when, os[0].DecideBy, os[0].Provisional, want, provisional)
		}
	}
	wantFiled("before the import", true)
	_, err = f.svc.Calendar(f.ctx, 2027)
	wantCode(t, err, tally.ENotFound, "tally calendar import")

	years := calendar2027(t)
	wantCode(t, f.svc.ImportCalendar(f.subjectCtx(zhang), years), tally.EForbidden, "")
	if err := f.svc.ImportCalendar(f.ctx, years); err != nil {
		t.Fatal(err)
	}
	wantFiled("after the import", false)
	o, err = f.objectToScore(li)
	if err != nil {
		t.Fatal(err)
	}
	// 1 January 2027 is off by the imported notice.
	if want := endOf("2026-12-31"); !o.AcknowledgeBy.Equal(want) {
		t.Errorf("acknowledge by %v, want %v", o.AcknowledgeBy, want)
	}
	if want := endOf("2027-01-07"); !o.DecideBy.Equal(want) || o.Provisional {
		t.Errorf("decide by %v provisional %v, want %v exact (31 December, 4-7 January)", o.DecideBy, o.Provisional, want)
	}
	// Across the imported Spring Festival (5-11 February 2027) and its
	// make-up Saturday 13 February.
	*at = time.Date(2027, 2, 4, 10, 0, 0, 0, shanghai)
	o, err = f.objectToScore(wang)
	if err != nil {
		t.Fatal(err)
	}
	if want := endOf("2027-02-17"); !o.DecideBy.Equal(want) {
		t.Errorf("decide by %v, want %v (12, the make-up Saturday 13, 15, 16, 17 February)", o.DecideBy, want)
	}
	got, err := f.svc.Calendar(context.Background(), 2027)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Imported || got.By != "test" || got.Source != years[0].Source {
		t.Errorf("calendar 2027 = %+v, want the import by test", got)
	}
	if got, err := f.svc.Calendar(context.Background(), 2026); err != nil || got.Imported || !strings.Contains(got.Source, "国务院办公厅") {
		t.Errorf("calendar 2026 = %+v, %v; want the built-in notice", got, err)
	}
}

// calendar2027 reads the test notice for 2027.
func calendar2027(t *testing.T) []workday.Year {
	t.Helper()
	src, err := os.ReadFile("../workday/testdata/holidays-2027.json")
	if err != nil {
		t.Fatal(err)
	}
	years, err := workday.Parse("holidays-2027.json", src)
	if err != nil {
		t.Fatal(err)
	}
	return years
}

// TestRepairDeadlineInAYearWithoutCalendar: a repair application whose
// decision clock runs into 2027 is taken, due by a day counted Monday to
// Friday and provisional until 2027's notice is imported.
func TestRepairDeadlineInAYearWithoutCalendar(t *testing.T) {
	f, at := clockedFixture(t, "{repair_decide: 3 working days}")
	*at = time.Date(2026, 6, 2, 9, 0, 0, 0, shanghai)
	old := f.record("rongcheng-city", zhang, "tax.arrears", "2026-06-01", "tax/1")
	*at = time.Date(2026, 12, 30, 9, 0, 0, 0, shanghai)
	p, err := f.svc.ApplyRepair(f.ctx, ledger.RepairInput{Scheme: "rongcheng-city", Identifier: zhang, Record: old.ID, Obligations: "tax paid, receipt 45"})
	if err != nil {
		t.Fatalf("a repair whose decision falls in 2027 was refused: %v", err)
	}
	if want := endOf("2027-01-04"); !p.DecideBy.Equal(want) || !p.Provisional {
		t.Errorf("decide by %v provisional %v, want %v provisional (31 December, 1 and 4 January)", p.DecideBy, p.Provisional, want)
	}
	ps, err := f.svc.Repairs(f.ctx, ledger.RepairQuery{Scheme: "rongcheng-city"})
	if err != nil || len(ps) != 1 || !ps[0].Provisional {
		t.Fatalf("Repairs = %+v, %v; want one provisional", ps, err)
	}
	if err := f.svc.ImportCalendar(f.ctx, calendar2027(t)); err != nil {
		t.Fatal(err)
	}
	if ps, err = f.svc.Repairs(f.ctx, ledger.RepairQuery{Scheme: "rongcheng-city"}); err != nil || len(ps) != 1 || ps[0].Provisional {
		t.Errorf("Repairs after the import = %+v, %v; want one, not provisional", ps, err)
	}
}

// TestRepairDecisionClock: a repair application is due for decision by
// the scheme's repair clock (here 2 working days, over National Day 2026),
// shown when it is filed and when it is listed.
func TestRepairDecisionClock(t *testing.T) {
	f, at := clockedFixture(t, "{repair_decide: 2 working days}")
	*at = time.Date(2026, 6, 2, 9, 0, 0, 0, shanghai)
	old := f.record("rongcheng-city", zhang, "tax.arrears", "2026-06-01", "tax/1") // general: repairable after 3 months
	*at = time.Date(2026, 9, 30, 9, 0, 0, 0, shanghai)                             // the Wednesday before National Day
	p, err := f.svc.ApplyRepair(f.ctx, ledger.RepairInput{Scheme: "rongcheng-city", Identifier: zhang, Record: old.ID, Obligations: "tax paid, receipt 44"})
	if err != nil {
		t.Fatal(err)
	}
	// 1-7 October 2026 off; Thursday 8 and Friday 9 the two working days.
	if want := endOf("2026-10-09"); !p.DecideBy.Equal(want) {
		t.Errorf("decide by %v, want %v", p.DecideBy, want)
	}
	ps, err := f.svc.Repairs(f.ctx, ledger.RepairQuery{Scheme: "rongcheng-city"})
	if err != nil || len(ps) != 1 || !ps[0].DecideBy.Equal(endOf("2026-10-09")) {
		t.Errorf("Repairs = %+v, %v; want one due on 9 October 2026", ps, err)
	}
}
