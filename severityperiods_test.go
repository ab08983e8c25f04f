package tally_test

import (
	"testing"

	"github.com/tallycredit/tally"
)

// TestSeverityPeriods shows a scheme's limits over the national ones: a
// class the scheme leaves alone keeps its national maximum, and the hard
// cap is 5 years unless lowered.
func TestSeverityPeriods(t *testing.T) {
	var p tally.SeverityPeriods
	for _, tt := range []struct {
		s    tally.Severity
		want tally.Span
	}{{tally.Minor, tally.Span{N: 3, Unit: tally.Month}}, {tally.General, tally.Span{N: 1, Unit: tally.Year}}, {tally.Serious, tally.Span{N: 3, Unit: tally.Year}}} {
		if got := p.Longest(tt.s); got != tt.want {
			t.Errorf("zero periods, %s: got %s, want %s", tt.s, got, tt.want)
		}
	}
	if got := p.KeepAtMost(); got != (tally.Span{N: 5, Unit: tally.Year}) {
		t.Errorf("zero periods: hard cap %s, want 5y", got)
	}
	p = tally.SeverityPeriods{General: tally.Span{N: 6, Unit: tally.Month}, Keep: tally.Span{N: 2, Unit: tally.Year}}
	if got := p.Longest(tally.General).String(); got != "6m" {
		t.Errorf("general shortened to 6m: got %s", got)
	}
	if got := p.KeepAtMost().String(); got != "2y" {
		t.Errorf("hard cap lowered to 2y: got %s", got)
	}
}

func TestSpanAndSeverityInChinese(t *testing.T) {
	for _, tt := range []struct{ span, want string }{{"14d", "14日"}, {"3m", "3个月"}, {"4y", "4年"}} {
		s, err := tally.ParseSpan(tt.span)
		if err != nil {
			t.Fatal(err)
		}
		if got := s.Zh(); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.span, got, tt.want)
		}
	}
	for _, tt := range []struct {
		s    tally.Severity
		want string
	}{{tally.Minor, "轻微"}, {tally.General, "一般"}, {tally.Serious, "严重"}} {
		if got := tt.s.Zh(); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.s, got, tt.want)
		}
	}
}
