package tally_test

import (
	"strings"
	"testing"

	"github.com/tallycredit/tally"
)

// TestParseClock: a clock is written in English or Chinese; a bare number
// takes the field's unit.
func TestParseClock(t *testing.T) {
	tests := []struct {
		src     string
		working bool
		want    tally.Clock
	}{
		{"3 working days", false, tally.WorkingDays(3)},
		{"1 working day", false, tally.WorkingDays(1)},
		{"15 days", true, tally.CalendarDays(15)},
		{"20 calendar days", true, tally.CalendarDays(20)},
		{"7个工作日", false, tally.WorkingDays(7)},
		{"20日", true, tally.CalendarDays(20)},
		{"10天", true, tally.CalendarDays(10)},
		{"3", true, tally.WorkingDays(3)},
		{"15", false, tally.CalendarDays(15)},
		{"-2 days", false, tally.CalendarDays(-2)},
	}
	for _, tt := range tests {
		got, err := tally.ParseClock(tt.src, tt.working)
		if err != nil || got != tt.want {
			t.Errorf("ParseClock(%q) = %v, %v; want %v", tt.src, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "three days", "3 weeks", "days 3"} {
		if _, err := tally.ParseClock(bad, true); err == nil || !strings.Contains(err.Error(), "工作日") {
			t.Errorf("ParseClock(%q) = %v, want a zh/en refusal", bad, err)
		}
	}
}

// TestClockComparison: clocks of different units compare in an ordinary
// week, 5 working days in 7.
func TestClockComparison(t *testing.T) {
	tests := []struct {
		a, b          tally.Clock
		longer, short bool // a.NoLongerThan(b), a.NoShorterThan(b)
	}{
		{tally.WorkingDays(3), tally.WorkingDays(3), true, true},
		{tally.WorkingDays(7), tally.CalendarDays(15), true, false},
		{tally.WorkingDays(11), tally.CalendarDays(15), false, false},
		{tally.CalendarDays(5), tally.WorkingDays(5), true, false},
		{tally.WorkingDays(10), tally.CalendarDays(10), false, true},
		{tally.CalendarDays(10), tally.WorkingDays(10), true, false},
	}
	for _, tt := range tests {
		if got := tt.a.NoLongerThan(tt.b); got != tt.longer {
			t.Errorf("%v no longer than %v: got %v", tt.a, tt.b, got)
		}
		if got := tt.a.NoShorterThan(tt.b); got != tt.short {
			t.Errorf("%v no shorter than %v: got %v", tt.a, tt.b, got)
		}
	}
}
