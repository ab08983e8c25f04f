package tally

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Clock is a due-process time limit: a number of working days, which
// follow the State Council's holiday calendar (package workday), or of
// calendar days. The zero value is no time at all and is not a valid
// setting.
type Clock struct {
	Days    int
	Working bool // working days, not calendar days
}

// WorkingDays returns a clock of n working days.
func WorkingDays(n int) Clock { return Clock{Days: n, Working: true} }

// CalendarDays returns a clock of n calendar days.
func CalendarDays(n int) Clock { return Clock{Days: n} }

// String says the clock in English: "3 working days", "15 days".
func (c Clock) String() string {
	if c.Working {
		return fmt.Sprintf("%d working days", c.Days)
	}
	return fmt.Sprintf("%d days", c.Days)
}

// Zh says the clock in Chinese: "3个工作日", "15日".
func (c Clock) Zh() string {
	if c.Working {
		return fmt.Sprintf("%d个工作日", c.Days)
	}
	return fmt.Sprintf("%d日", c.Days)
}

// Workdays counts working days; *workday.Calendar is the one tally uses.
type Workdays interface {
	// AddWorkingDays returns t plus n working days, counted from the day
	// after t in t's location; an error when it reaches a day it cannot
	// judge.
	AddWorkingDays(t time.Time, n int) (time.Time, error)
}

// From returns the day a clock started at t ends, with t's time of day,
// in t's location: calendar days are added, working days counted on w.
func (c Clock) From(t time.Time, w Workdays) (time.Time, error) {
	if !c.Working {
		return t.AddDate(0, 0, c.Days), nil
	}
	return w.AddWorkingDays(t, c.Days)
}

// Longest and Shortest bound the calendar days a clock can run in an
// ordinary week (5 working days in 7; holidays left aside), so that
// clocks of different units can be compared.
func (c Clock) Longest() int {
	if c.Working {
		return (c.Days*7 + 4) / 5
	}
	return c.Days
}

// Shortest: see Longest.
func (c Clock) Shortest() int { return c.Days }

// NoLongerThan reports whether c never runs longer than d: the same unit
// and no more days, or in an ordinary week.
func (c Clock) NoLongerThan(d Clock) bool {
	if c.Working == d.Working {
		return c.Days <= d.Days
	}
	return c.Longest() <= d.Shortest()
}

// NoShorterThan reports whether c never runs shorter than d.
func (c Clock) NoShorterThan(d Clock) bool {
	if c.Working == d.Working {
		return c.Days >= d.Days
	}
	return c.Shortest() >= d.Longest()
}

// ParseClock reads a clock: "3 working days", "15 days", "15 calendar
// days", "3个工作日", "15日" or "15天" ("day" for one). A bare number is
// in working days when working is true, else in calendar days.
func ParseClock(s string, working bool) (Clock, error) {
	s = strings.TrimSpace(s)
	num := strings.TrimLeft(s, "+-0123456789")
	digits, unit := s[:len(s)-len(num)], strings.ToLower(strings.TrimSpace(num))
	n, err := strconv.Atoi(digits)
	if err != nil {
		return Clock{}, fmt.Errorf("%q: 应写作“3个工作日”或“15日” / want a number of days, as \"3 working days\" or \"15 days\"", s)
	}
	switch unit {
	case "":
		return Clock{Days: n, Working: working}, nil
	case "working days", "working day", "个工作日", "工作日":
		return WorkingDays(n), nil
	case "days", "day", "calendar days", "calendar day", "日", "天", "自然日":
		return CalendarDays(n), nil
	}
	return Clock{}, fmt.Errorf("%q: 单位应为“工作日”或“日” / the unit is \"working days\" or \"days\", not %q", s, unit)
}
