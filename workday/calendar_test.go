package workday_test

import (
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/workday"
)

var shanghai = mustZone("Asia/Shanghai")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// day is noon of a date in Beijing time.
func day(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02", s, shanghai)
	if err != nil {
		panic(err)
	}
	return t.Add(12 * time.Hour)
}

// TestAddWorkingDaysAcrossHolidays: working days follow the notices of
// 2025 and 2026, Spring Festival and National Day with their make-up
// working days (调休) on weekends, including issue 19's example.
func TestAddWorkingDaysAcrossHolidays(t *testing.T) {
	cal := workday.New(workday.Embedded()...)
	tests := []struct {
		name string
		from string
		n    int
		want string
	}{
		// 2026 Spring Festival: off 15-23 Feb; Saturday 14 Feb and 28 Feb are working days.
		{"issue 19: Friday 13 Feb 2026, Saturday 14 counts", "2026-02-13", 3, "2026-02-25"},
		{"the make-up Saturday is the first day", "2026-02-13", 1, "2026-02-14"},
		{"Saturday 28 Feb 2026 is a working day", "2026-02-26", 2, "2026-02-28"},
		{"Sunday 1 Mar 2026 is not", "2026-02-26", 3, "2026-03-02"},
		// 2025 Spring Festival: off 28 Jan-4 Feb; Sunday 26 Jan and Saturday 8 Feb are working days.
		{"Saturday 25 Jan 2025 to the make-up Sunday", "2025-01-24", 1, "2025-01-26"},
		{"across the 2025 Spring Festival", "2025-01-26", 2, "2025-02-05"},
		{"Saturday 8 Feb 2025 is a working day", "2025-02-06", 2, "2025-02-08"},
		// 2025 National Day and Mid-Autumn: off 1-8 Oct; Sunday 28 Sep and Saturday 11 Oct are working days.
		{"Sunday 28 Sep 2025 is a working day", "2025-09-26", 1, "2025-09-28"},
		{"across National Day 2025", "2025-09-29", 3, "2025-10-10"},
		{"Saturday 11 Oct 2025 is a working day", "2025-10-09", 2, "2025-10-11"},
		// 2026 National Day: off 1-7 Oct; Saturday 10 Oct is a working day.
		{"across National Day 2026", "2026-09-29", 3, "2026-10-09"},
		{"Saturday 10 Oct 2026 is a working day", "2026-10-09", 1, "2026-10-10"},
		// A weekday holiday: 1 Jan 2025 (Wednesday).
		{"New Year's Day 2025 is off", "2024-12-31", 0, "2024-12-31"},
		{"over New Year 2026 (1-3 Jan off, Sunday 4 Jan works)", "2025-12-31", 1, "2026-01-04"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := cal.AddWorkingDays(day(tt.from), tt.n)
			if err != nil {
				t.Fatal(err)
			}
			if want := day(tt.want); !got.Equal(want) {
				t.Errorf("%d working days from %s: got %s, want %s", tt.n, tt.from, got.Format("2006-01-02 Mon"), want.Format("2006-01-02 Mon"))
			}
		})
	}
}

// TestMissingYear: a count that reaches a year without a notice is an
// EInvalid error naming the year and the import command, in Chinese and
// English, never a guess from weekends.
func TestMissingYear(t *testing.T) {
	cal := workday.New(workday.Embedded()...)
	_, err := cal.AddWorkingDays(day("2026-12-30"), 3)
	var missing *workday.MissingYearError
	if !errors.As(err, &missing) || missing.Year != 2027 {
		t.Fatalf("got %v, want a missing year 2027", err)
	}
	if got := tally.ErrorCodeOf(err); got != tally.EInvalid {
		t.Errorf("code %q, want invalid", got)
	}
	for _, want := range []string{"2027", "tally calendar import", "没有 2027 年的节假日安排", "no holiday calendar for 2027"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q does not say %q", err, want)
		}
	}
	if _, err := cal.Working(day("2024-06-03")); err == nil {
		t.Error("2024 is not in the calendar, yet a day of it was judged")
	}
}

// TestLaterYearReplaces: a year given later replaces the embedded one.
func TestLaterYearReplaces(t *testing.T) {
	fix := workday.Year{Year: 2026, Source: "correction", Off: map[string][]string{"x": {"2026-03-02"}}}
	cal := workday.New(append(workday.Embedded(), fix)...)
	if w, err := cal.Working(day("2026-03-02")); err != nil || w {
		t.Errorf("2 March 2026 working=%v (%v), want off by the correction", w, err)
	}
	if w, err := cal.Working(day("2026-02-16")); err != nil || !w {
		t.Errorf("16 February 2026 working=%v (%v), want a plain Monday once the notice is replaced", w, err)
	}
	if got := cal.Years(); len(got) != 2 || got[0] != 2025 || got[1] != 2026 {
		t.Errorf("years %v, want [2025 2026]", got)
	}
}

// TestReckonCountsAMissingYearMondayToFriday: a count that reaches a year
// without a notice is not refused: that year's Mondays to Fridays count
// (1 January 2027 too, though it will surely be off), and the years so
// counted are named, so that the deadline can be shown as provisional.
// With the year's notice the same count is exact and names none.
func TestReckonCountsAMissingYearMondayToFriday(t *testing.T) {
	cal := workday.New(workday.Embedded()...)
	end, lacking := cal.Reckon(day("2026-12-30"), 5)
	if want := day("2027-01-06"); !end.Equal(want) || !slices.Equal(lacking, []int{2027}) {
		t.Errorf("5 working days from 30 December 2026: got %s lacking %v, want %s lacking [2027] (31 December, 1, 4, 5, 6 January)",
			end.Format("2006-01-02"), lacking, want.Format("2006-01-02"))
	}
	if end, lacking := cal.Reckon(day("2026-02-13"), 3); !end.Equal(day("2026-02-25")) || lacking != nil {
		t.Errorf("within 2026: got %s lacking %v, want 2026-02-25 exact", end.Format("2006-01-02"), lacking)
	}
	if got := cal.Lacking(day("2026-12-31"), day("2028-01-03")); !slices.Equal(got, []int{2027, 2028}) {
		t.Errorf("Lacking over 2027 and into 2028 = %v, want [2027 2028]", got)
	}
	if got := cal.Lacking(day("2026-12-31"), day("2026-12-31")); got != nil {
		t.Errorf("Lacking of no day = %v, want none", got)
	}
	if cal.Holds(2027) || !cal.Holds(2026) {
		t.Errorf("Holds(2027)=%v Holds(2026)=%v, want false, true", cal.Holds(2027), cal.Holds(2026))
	}
	src, err := os.ReadFile("testdata/holidays-2027.json")
	if err != nil {
		t.Fatal(err)
	}
	y2027, err := workday.Parse("holidays-2027.json", src)
	if err != nil {
		t.Fatal(err)
	}
	cal = workday.New(append(workday.Embedded(), y2027...)...)
	if end, lacking := cal.Reckon(day("2026-12-30"), 5); !end.Equal(day("2027-01-07")) || lacking != nil {
		t.Errorf("with the 2027 notice: got %s lacking %v, want 2027-01-07 exact (1 January off)", end.Format("2006-01-02"), lacking)
	}
}
