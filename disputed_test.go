package tally_test

import (
	"testing"
	"time"

	"github.com/tallycredit/tally"
)

// TestDisputes pins the edges of the one definition of disputed: from the
// instant an objection is filed up to but not including the instant it is
// decided; an appeal disputes again from its own filing; an objection to a
// score disputes no entry.
func TestDisputes(t *testing.T) {
	filed := time.Date(2026, 2, 13, 9, 0, 0, 0, time.UTC)
	decided := filed.AddDate(0, 0, 7)
	appealed := decided.AddDate(0, 0, 3)
	us := time.Microsecond
	open := tally.Objection{ID: 1, Target: tally.TargetRecord, TargetID: 7, FiledAt: filed}
	closed := open
	closed.Decision = &tally.ObjectionDecision{Outcome: tally.Upheld, At: decided}
	appeal := tally.Objection{ID: 2, Target: tally.TargetRecord, TargetID: 7, FiledAt: appealed, AppealOf: 1}
	score := tally.Objection{ID: 3, Target: tally.TargetScore, FiledAt: filed}
	tests := []struct {
		name string
		os   []tally.Objection
		at   time.Time
		want bool
	}{
		{"before it is filed", []tally.Objection{open}, filed.Add(-us), false},
		{"the instant it is filed", []tally.Objection{open}, filed, true},
		{"long after, undecided", []tally.Objection{open}, filed.AddDate(1, 0, 0), true},
		{"just before the decision", []tally.Objection{closed}, decided.Add(-us), true},
		{"the instant of the decision", []tally.Objection{closed}, decided, false},
		{"in the appeal window", []tally.Objection{closed, appeal}, appealed.Add(-us), false},
		{"once appealed", []tally.Objection{closed, appeal}, appealed, true},
		{"an objection to a score", []tally.Objection{score}, filed, false},
	}
	for _, tc := range tests {
		d := tally.DisputedAt(tc.os, tc.at)
		if got := d.Record(7); got != tc.want {
			t.Errorf("%s: disputed = %v, want %v", tc.name, got, tc.want)
		}
		if d.Entry(7) {
			t.Errorf("%s: list entry 7 disputed by an objection to record 7", tc.name)
		}
	}
	entry := tally.Objection{Target: tally.TargetEntry, TargetID: 7, FiledAt: filed}
	if d := tally.DisputedAt([]tally.Objection{entry}, filed); !d.Entry(7) || d.Record(7) {
		t.Errorf("objection to entry 7: entry disputed %v, record disputed %v; want true, false", d.Entry(7), d.Record(7))
	}
}
