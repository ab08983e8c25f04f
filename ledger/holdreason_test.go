package ledger_test

import (
	"testing"

	"github.com/tallycredit/tally/ledger"
)

// A stored hold reason reads in Chinese first, and in English as stored.
func TestHoldReasonTextIsChineseFirst(t *testing.T) {
	for reason, zh := range map[string]string{
		"a serious deduction needs a second person's approval":        "严重扣分须由第二人批准",
		"-30 is more than 20 points: a second person must approve it": "-30 分超过 20 分：须由第二人批准",
		"something a later version may say":                           "something a later version may say",
	} {
		got := ledger.HoldReasonText(reason)
		if got.Zh != zh || got.En != reason {
			t.Errorf("%q: %+v, want zh %q", reason, got, zh)
		}
	}
}

// A consent or publication choice in the access log reads in Chinese first.
func TestAccessDetailTextIsChineseFirst(t *testing.T) {
	for detail, zh := range map[string]string{
		"consent true (signed form)":                        "同意计分 (signed form)",
		"consent false (withdrawn at the office)":           "不同意计分 (withdrawn at the office)",
		"publication on the honour board true (演示用公示同意书)":   "同意在荣誉榜公示 (演示用公示同意书)",
		"publication on the honour board false (by letter)": "不同意在荣誉榜公示 (by letter)",
		"viewed the report":                                 "viewed the report",
	} {
		got := ledger.AccessDetailText(detail)
		if got.Zh != zh || got.En != detail {
			t.Errorf("%q: %+v, want zh %q", detail, got, zh)
		}
	}
}
