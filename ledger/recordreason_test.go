package ledger_test

import (
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// Every kind of record reason, stored as its code, reads back the same and
// says itself in Chinese and in English from the catalogue.
func TestRecordReasonRoundTripsInBothLanguages(t *testing.T) {
	for _, c := range []struct {
		reason ledger.RecordReason
		stored string
		want   tally.Text
	}{
		{ledger.RecordReason{Code: ledger.ReasonAsRule, Points: 2}, "as-rule +2",
			tally.Text{Zh: "按规则 +2", En: "+2 as the rule gives"}},
		{ledger.RecordReason{Code: ledger.ReasonAsRuleCapped, Points: 2, Total: 4, Cap: 10, Per: "month"}, "as-rule-capped +2 4 10 month",
			tally.Text{Zh: "按规则 +2；本月累计 4 / 10", En: "+2 as the rule gives; 4 of 10 this month"}},
		{ledger.RecordReason{Code: ledger.ReasonCapped, Points: -30, Total: 40, Cap: 40, Per: "year"}, "capped -30 40 40 year",
			tally.Text{Zh: "已封顶：本年累计 40 / 40（规则给 -30）", En: "capped: 40 of 40 this year (the rule gives -30)"}},
	} {
		if got := c.reason.String(); got != c.stored {
			t.Errorf("%+v stores as %q, want %q", c.reason, got, c.stored)
		}
		if got := ledger.ParseRecordReason(c.stored); got != c.reason {
			t.Errorf("%q reads as %+v, want %+v", c.stored, got, c.reason)
		}
		if got := ledger.RecordReasonText(c.stored); got != c.want {
			t.Errorf("%q says %+v, want %+v", c.stored, got, c.want)
		}
	}
}

// A reason an older version stored in English reads in Chinese by its
// known shape and in English as stored; a reversal's typed reason reads as
// typed.
func TestOldRecordReasonsReadInBothLanguages(t *testing.T) {
	for stored, zh := range map[string]string{
		"+2 as the rule gives":                          "按规则 +2",
		"-5 as the rule gives; 15 of 40 this year":      "按规则 -5；本年累计 15 / 40",
		"capped: 10 of 10 this day (the rule gives +3)": "已封顶：本日累计 10 / 10（规则给 +3）",
		"wrong person": "wrong person",
		"录错人了":         "录错人了",
		"as-rule":      "as-rule",
		"capped: 10 of 10 this week (the rule gives +3)": "capped: 10 of 10 this week (the rule gives +3)",
	} {
		got := ledger.RecordReasonText(stored)
		if got.Zh != zh || got.En != stored {
			t.Errorf("%q: %+v, want zh %q", stored, got, zh)
		}
	}
}
