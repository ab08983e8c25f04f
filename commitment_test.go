package tally_test

import (
	"testing"
	"time"

	"github.com/tallycredit/tally"
)

// A commitment is granted from signing, overdue from the end of its day
// until an official settles it, and then fulfilled or breached for good.
func TestCommitmentState(t *testing.T) {
	end := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	before, after := end.Add(-time.Microsecond), end
	open := tally.Commitment{DueEnd: end}
	kept := tally.Commitment{DueEnd: end, Settlement: &tally.Settlement{Outcome: tally.Fulfilled}}
	broken := tally.Commitment{DueEnd: end, Settlement: &tally.Settlement{Outcome: tally.Breached}}
	for _, tc := range []struct {
		name string
		c    tally.Commitment
		at   time.Time
		want tally.CommitmentState
	}{
		{"open, on its last day", open, before, tally.CommitmentGranted},
		{"open, after its day", open, after, tally.CommitmentOverdue},
		{"fulfilled after its day", kept, after, tally.CommitmentFulfilled},
		{"breached before its day", broken, before, tally.CommitmentBreached},
	} {
		if got := tc.c.State(tc.at); got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.name, got, tc.want)
		}
	}
	for _, s := range []string{"fulfilled", "breached"} {
		if o, ok := tally.ParseCommitmentOutcome(s); !ok || string(o) != s {
			t.Errorf("ParseCommitmentOutcome(%q) = %q, %v", s, o, ok)
		}
	}
	if _, ok := tally.ParseCommitmentOutcome("granted"); ok {
		t.Error("ParseCommitmentOutcome(granted) accepted a state that is no outcome")
	}
}
