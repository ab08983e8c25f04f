package tally

import (
	"fmt"
	"strconv"
	"time"
)

// Unit is a calendar unit: a day, a month or a year.
type Unit byte

// The calendar units.
const (
	Day   Unit = 'd'
	Month Unit = 'm'
	Year  Unit = 'y'
)

func (u Unit) String() string {
	switch u {
	case Day:
		return "day"
	case Month:
		return "month"
	case Year:
		return "year"
	}
	return "unit(" + strconv.Itoa(int(u)) + ")"
}

// ParseUnit accepts day, month or year.
func ParseUnit(s string) (Unit, error) {
	switch s {
	case "day":
		return Day, nil
	case "month":
		return Month, nil
	case "year":
		return Year, nil
	}
	return 0, fmt.Errorf("unknown period %q (want day, month or year)", s)
}

// Span is a calendar length such as 3 months; the zero Span means forever.
type Span struct {
	N    int
	Unit Unit
}

// ParseSpan parses "30d", "3m" or "1y".
func ParseSpan(s string) (Span, error) {
	if len(s) < 2 {
		return Span{}, fmt.Errorf("duration %q: want a number and d, m or y, such as 3m", s)
	}
	n, err := strconv.Atoi(s[:len(s)-1])
	if err != nil || n <= 0 {
		return Span{}, fmt.Errorf("duration %q: want a positive number and d, m or y, such as 3m", s)
	}
	u := Unit(s[len(s)-1])
	if u != Day && u != Month && u != Year {
		return Span{}, fmt.Errorf("duration %q: unit must be d, m or y", s)
	}
	return Span{N: n, Unit: u}, nil
}

// IsZero reports whether the span is forever.
func (s Span) IsZero() bool { return s.N == 0 }

func (s Span) String() string {
	if s.IsZero() {
		return "forever"
	}
	return strconv.Itoa(s.N) + string(s.Unit)
}

// After returns t plus the span in t's location, using calendar arithmetic
// (so "1m" after 31 January normalises as time.AddDate does).
func (s Span) After(t time.Time) time.Time {
	switch s.Unit {
	case Day:
		return t.AddDate(0, 0, s.N)
	case Month:
		return t.AddDate(0, s.N, 0)
	case Year:
		return t.AddDate(s.N, 0, 0)
	}
	return t
}

// Days returns an approximate length in days, for comparing spans of
// different units (a month counts 31 days, a year 366).
func (s Span) Days() int {
	switch s.Unit {
	case Month:
		return s.N * 31
	case Year:
		return s.N * 366
	}
	return s.N
}

// Window returns the calendar day, month or year that contains t, in t's
// location: [start, end).
func (u Unit) Window(t time.Time) (start, end time.Time) {
	y, m, d := t.Date()
	switch u {
	case Day:
		start = time.Date(y, m, d, 0, 0, 0, 0, t.Location())
		return start, start.AddDate(0, 0, 1)
	case Month:
		start = time.Date(y, m, 1, 0, 0, 0, 0, t.Location())
		return start, start.AddDate(0, 1, 0)
	default:
		start = time.Date(y, 1, 1, 0, 0, 0, 0, t.Location())
		return start, start.AddDate(1, 0, 0)
	}
}

// Cap bounds the points a subject can gain, or lose, from one rule in one
// calendar window. Points is positive; it bounds the magnitude.
type Cap struct {
	Points int64
	Per    Unit
}
