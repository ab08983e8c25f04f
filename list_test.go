package tally_test

import (
	"testing"
	"time"

	"github.com/tallycredit/tally"
)

func TestListEntryStatus(t *testing.T) {
	notice := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	e := &tally.ListEntry{NoticeServed: notice, Ends: tally.EntryEnds(notice, tally.Span{N: 2, Unit: tally.Year}, 1)}
	if want := time.Date(2028, 3, 1, 0, 0, 0, 0, time.UTC); !e.Ends.Equal(want) {
		t.Fatalf("ends %v, want %v", e.Ends, want)
	}
	tests := []struct {
		at   time.Time
		want tally.EntryStatus
	}{
		{notice.Add(-time.Second), tally.EntryPending},
		{notice, tally.EntryInEffect},
		{e.Ends.Add(-time.Second), tally.EntryInEffect},
		{e.Ends, tally.EntryEnded},
	}
	for _, tc := range tests {
		if got := e.Status(tc.at); got != tc.want {
			t.Errorf("Status(%v) = %s, want %s", tc.at, got, tc.want)
		}
	}
	removed := notice.AddDate(1, 0, 0)
	e.Removal = &tally.ListRemoval{Reason: tally.Performed, On: removed}
	if got := e.Status(removed.Add(-time.Second)); got != tally.EntryInEffect {
		t.Errorf("a second before removal: %s, want in-effect", got)
	}
	if got := e.Status(removed); got != tally.EntryRemoved {
		t.Errorf("at removal: %s, want removed", got)
	}
	if !e.Until().Equal(removed) {
		t.Errorf("Until = %v, want the removal %v", e.Until(), removed)
	}
	if _, err := tally.ParseRemovalReason("paid"); err == nil {
		t.Error("ParseRemovalReason(paid) worked, want an error naming the reasons")
	}
	if r, err := tally.ParseRemovalReason(" Performed "); err != nil || r != tally.Performed {
		t.Errorf("ParseRemovalReason(Performed) = %q, %v", r, err)
	}
}
