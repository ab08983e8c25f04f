package localtime

import "time"

// StartOfDay returns the first instant of the day of t in zone loc (nil:
// Default).
func StartOfDay(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(Or(loc)).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, Or(loc))
}

// NextDay returns the first instant of the day after t's in zone loc
// (nil: Default): a day is the half-open span [StartOfDay, NextDay).
func NextDay(t time.Time, loc *time.Location) time.Time {
	return StartOfDay(t, loc).AddDate(0, 0, 1)
}

// StartOfMonth returns the first instant of the month of t in zone loc
// (nil: Default).
func StartOfMonth(t time.Time, loc *time.Location) time.Time {
	y, m, _ := t.In(Or(loc)).Date()
	return time.Date(y, m, 1, 0, 0, 0, 0, Or(loc))
}

// NextMonth returns the first instant of the month after t's in zone loc
// (nil: Default).
func NextMonth(t time.Time, loc *time.Location) time.Time {
	return StartOfMonth(t, loc).AddDate(0, 1, 0)
}

// SameDay reports whether instants a and b fall on the same day in zone
// loc (nil: Default).
func SameDay(a, b time.Time, loc *time.Location) bool {
	return StartOfDay(a, loc).Equal(StartOfDay(b, loc))
}
