package ledger_test

import (
	"strings"
	"testing"
	"time"

	"github.com/tallycredit/tally"
)

// An eligibility answer carries its bases and how to lift each
// restriction in Chinese and English: the catalogue's texts for a list
// entry, the message catalogue's for a grade gate.
func TestEligibilityTextsInBothLanguages(t *testing.T) {
	f := newListFixture(t)
	if _, err := f.svc.List(f.ctx, defaulter()); err != nil {
		t.Fatal(err)
	}
	air, err := f.svc.Eligibility(f.ctx, zhang, "air-travel", time.Time{})
	if err != nil || len(air.Reasons) != 1 {
		t.Fatalf("air travel: %+v, %v; want one reason", air, err)
	}
	heat, err := f.svc.Eligibility(f.ctx, zhang, "heating-discount", time.Time{})
	if err != nil || len(heat.Reasons) != 1 {
		t.Fatalf("heating discount: %+v, %v; want one reason", heat, err)
	}
	for _, tt := range []struct {
		what   string
		got    tally.Text
		zh, en string
	}{
		{"list basis", air.Reasons[0].Basis, "2016年《关于对失信被执行人实施联合惩戒的合作备忘录》", "2016 Memorandum on joint sanctions"},
		{"list how to lift", air.Reasons[0].HowToLift, "法院于三个工作日内删除", "within three working days"},
		{"gate basis", heat.Reasons[0].Basis, "荣成市守信激励措施", "Rongcheng incentives for the trustworthy"},
		{"gate how to lift", heat.Reasons[0].HowToLift, "在 rongcheng-city 中达到 AAA 级或以上", "a grade of AAA or above in rongcheng-city"},
	} {
		if !strings.Contains(tt.got.Zh, tt.zh) || !strings.Contains(tt.got.En, tt.en) {
			t.Errorf("%s: got %+v, want zh with %q and en with %q", tt.what, tt.got, tt.zh, tt.en)
		}
	}
}
