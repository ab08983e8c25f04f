package tally_test

import (
	"testing"
	"time"

	"github.com/tallycredit/tally"
)

// TestCounts pins the edges of the one definition of what counts: a
// record counts from the instant it happened, up to but not including
// its expiry or its repair's approval, whichever is first; a reversal, a
// reversed record and one held without a decision never count.
func TestCounts(t *testing.T) {
	happened := time.Date(2025, 4, 1, 8, 0, 0, 0, time.UTC)
	expires := happened.AddDate(0, 6, 0)
	repaired := happened.AddDate(0, 2, 0)
	us := time.Microsecond
	original := tally.Record{ID: 1, HappenedAt: happened, ExpiresAt: expires, Awarded: -20}
	forever := tally.Record{ID: 2, HappenedAt: happened, Awarded: 5}
	reversal := tally.Record{ID: 3, HappenedAt: happened, Awarded: 20, Reverses: 1}
	tests := []struct {
		name string
		r    tally.Record
		s    tally.Standing
		at   time.Time
		want bool
	}{
		{"before it happened", original, tally.Standing{}, happened.Add(-us), false},
		{"the instant it happened", original, tally.Standing{}, happened, true},
		{"the last instant before expiry", original, tally.Standing{}, expires.Add(-us), true},
		{"the instant it expires", original, tally.Standing{}, expires, false},
		{"never expiring, years later", forever, tally.Standing{}, happened.AddDate(30, 0, 0), true},
		{"a reversal", reversal, tally.Standing{}, happened.Add(time.Hour), false},
		{"reversed", original, tally.Standing{Reversed: true}, happened.Add(time.Hour), false},
		{"held, undecided", original, tally.Standing{Held: true}, happened.Add(time.Hour), false},
		{"just before the repair's approval", original, tally.Standing{RepairedAt: repaired}, repaired.Add(-us), true},
		{"the instant the repair is approved", original, tally.Standing{RepairedAt: repaired}, repaired, false},
		{"repaired, never expiring", forever, tally.Standing{RepairedAt: repaired}, repaired.AddDate(1, 0, 0), false},
		{"repair approved after expiry", original, tally.Standing{RepairedAt: expires.AddDate(0, 1, 0)}, expires.Add(-us), true},
	}
	for _, tc := range tests {
		if got := tc.r.Counts(tc.s, tc.at); got != tc.want {
			t.Errorf("%s: Counts(%+v, %v) = %t, want %t", tc.name, tc.s, tc.at, got, tc.want)
		}
	}
}

// TestUntil: a record stops counting at the earlier of its expiry and
// its repair's approval.
func TestUntil(t *testing.T) {
	happened := time.Date(2025, 4, 1, 8, 0, 0, 0, time.UTC)
	early, late := happened.AddDate(0, 1, 0), happened.AddDate(0, 3, 0)
	tests := []struct {
		expires, repaired, want time.Time
	}{
		{time.Time{}, time.Time{}, time.Time{}},
		{late, time.Time{}, late},
		{time.Time{}, early, early},
		{late, early, early},
		{early, late, early},
	}
	for _, tc := range tests {
		r := tally.Record{HappenedAt: happened, ExpiresAt: tc.expires}
		if got := r.Until(tally.Standing{RepairedAt: tc.repaired}); !got.Equal(tc.want) {
			t.Errorf("Until with expiry %v and repair %v = %v, want %v", tc.expires, tc.repaired, got, tc.want)
		}
	}
}
