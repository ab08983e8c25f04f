package storetest

import (
	"testing"
	"time"

	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/workday"
)

// testCalendars: imported years read back with their days, the latest
// import of a year counting, and a 2027 read back counts working days
// across its Spring Festival and make-up Saturday.
func testCalendars(t *testing.T, s ledger.Store) {
	mustView(t, s, func(tx ledger.Tx) error {
		ys, err := tx.CalendarYears(t.Context())
		if err == nil && len(ys) != 0 {
			t.Errorf("a new store holds calendars %+v", ys)
		}
		return err
	})
	draft := workday.Year{Year: 2027, Source: "draft", Off: map[string][]string{"春节": {"2027-02-08"}}}
	notice := workday.Year{Year: 2027, Source: "notice", Work: []string{"2027-02-13"},
		Off: map[string][]string{"元旦": {"2027-01-01"}, "春节": {"2027-02-05", "2027-02-06", "2027-02-07", "2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11"}}}
	later := workday.Year{Year: 2028, Source: "2028", Off: map[string][]string{}}
	for i, y := range []workday.Year{draft, later, notice} {
		mustUpdate(t, s, func(tx ledger.Tx) error {
			return tx.InsertCalendarYear(t.Context(), y, t0.Add(time.Duration(i)*time.Hour), "admin")
		})
	}
	var years []workday.Year
	mustView(t, s, func(tx ledger.Tx) error {
		got, err := tx.CalendarYears(t.Context())
		if err != nil {
			return err
		}
		if len(got) != 2 || got[0].Year.Year != 2027 || got[0].Source != "notice" || got[1].Year.Year != 2028 {
			t.Fatalf("CalendarYears = %+v, want the notice of 2027 (the latest import), then 2028", got)
		}
		if !got[0].At.Equal(t0.Add(2*time.Hour)) || got[0].By != "admin" {
			t.Errorf("2027 imported at %v by %q, want %v by admin", got[0].At, got[0].By, t0.Add(2*time.Hour))
		}
		for _, y := range got {
			years = append(years, y.Year)
		}
		return nil
	})
	from := time.Date(2027, 2, 4, 10, 0, 0, 0, beijing) // Thursday before the Spring Festival
	end, err := workday.New(years...).AddWorkingDays(from, 3)
	if want := time.Date(2027, 2, 15, 10, 0, 0, 0, beijing); err != nil || !end.Equal(want) {
		t.Errorf("3 working days from %v: got %v, %v; want %v (Friday 12, the make-up Saturday 13, Monday 15)", from, end, err, want)
	}
}
