package ledger_test

import (
	"slices"
	"testing"
	"time"

	"github.com/tallycredit/tally/ledger"
)

// TestCalendarGaps: the years the working-day calendar lacks but needs
// are the current year always, the next year from 1 November (when the
// State Council usually publishes its notice), and every year an open
// deadline was counted across or falls in; an import closes the gap.
func TestCalendarGaps(t *testing.T) {
	f, at := clockedFixture(t, "{preset: shanghai}")
	gaps := func(when time.Time) []ledger.CalendarGap {
		t.Helper()
		got, err := f.svc.CalendarGaps(f.ctx, when)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	want := func(name string, got []ledger.CalendarGap, want ...ledger.CalendarGap) {
		t.Helper()
		if !slices.Equal(got, want) {
			t.Errorf("%s: gaps %+v, want %+v", name, got, want)
		}
	}
	want("31 October 2026", gaps(time.Date(2026, 10, 31, 23, 0, 0, 0, shanghai)))
	want("1 November 2026", gaps(time.Date(2026, 11, 1, 0, 30, 0, 0, shanghai)), ledger.CalendarGap{Year: 2027, Why: ledger.GapNextYear})
	want("March 2028", gaps(time.Date(2028, 3, 1, 9, 0, 0, 0, shanghai)), ledger.CalendarGap{Year: 2028, Why: ledger.GapCurrentYear})

	*at = time.Date(2026, 6, 2, 9, 0, 0, 0, shanghai)
	old := f.record("rongcheng-city", li, "tax.arrears", "2026-06-01", "tax/1")
	*at = time.Date(2026, 12, 30, 10, 0, 0, 0, shanghai)
	if _, err := f.objectToScore(zhang); err != nil {
		t.Fatal(err)
	}
	// The repair clock (3 working days) runs to 4 January 2027.
	if _, err := f.svc.ApplyRepair(f.ctx, ledger.RepairInput{Scheme: "rongcheng-city", Identifier: li, Record: old.ID, Obligations: "tax paid"}); err != nil {
		t.Fatal(err)
	}
	want("June 2026, an objection and a repair due in 2027", gaps(time.Date(2026, 6, 1, 9, 0, 0, 0, shanghai)),
		ledger.CalendarGap{Year: 2027, Why: ledger.GapDeadline, Deadlines: 2})
	want("December 2026, both due in 2027", gaps(*at), ledger.CalendarGap{Year: 2027, Why: ledger.GapNextYear, Deadlines: 2})
	want("no time given: now", gaps(time.Time{}), ledger.CalendarGap{Year: 2027, Why: ledger.GapNextYear, Deadlines: 2})

	if err := f.svc.ImportCalendar(f.ctx, calendar2027(t)); err != nil {
		t.Fatal(err)
	}
	want("after the import of 2027", gaps(*at))
	want("1 November 2027", gaps(time.Date(2027, 11, 1, 9, 0, 0, 0, shanghai)), ledger.CalendarGap{Year: 2028, Why: ledger.GapNextYear})
}
