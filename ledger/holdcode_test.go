package ledger_test

import (
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/examples"
	"github.com/tallycredit/tally/ledger"
)

// A held record stores why it waits as a code, and the queue reads it in
// both languages from the message catalogue; a hold stored by an older
// version, with its English text, reads the same.
func TestHoldsStoreReasonCodes(t *testing.T) {
	f := newFixture(t)
	city, err := examples.Rulebooks.ReadFile("city.yaml")
	if err != nil {
		t.Fatal(err)
	}
	f.publish("city.yaml", "due_process: {second_review_above: 30}\n"+string(city))
	f.person("rongcheng-city", zhang, "张三")
	recorder := as(tally.Recorder, "recorder-7", nil)
	serious, err := f.svc.Record(recorder, f.conduct("rongcheng-city", zhang, "utilities.theft", "2026-03-01", "theft/1"))
	if err != nil {
		t.Fatal(err)
	}
	large, err := f.svc.Record(recorder, f.conduct("rongcheng-city", zhang, "contract.breach-judgment", "2026-11-02", "judgment/1"))
	if err != nil {
		t.Fatal(err)
	}
	if serious.Pending != "serious-deduction" || large.Pending != "large-deduction -50 30" {
		t.Errorf("got Pending %q and %q, want serious-deduction and large-deduction -50 30", serious.Pending, large.Pending)
	}
	late := f.record("rongcheng-city", zhang, "utilities.late-fees", "2026-11-01", "late/1")
	err = f.db.Update(f.ctx, func(tx ledger.Tx) error {
		return tx.InsertHold(f.ctx, &tally.Hold{RecordID: late.ID, Scheme: "rongcheng-city", SubjectID: late.SubjectID,
			Reason: "-70 is more than 50 points: a second person must approve it", At: now})
	})
	if err != nil {
		t.Fatal(err)
	}
	queue, err := f.svc.PendingReviews(reviewerCtx("second"), "", 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int64]tally.Text{
		serious.Record.ID: {Zh: "严重扣分须由第二人批准", En: "a serious deduction needs a second person's approval"},
		large.Record.ID:   {Zh: "-50 分超过 30 分：须由第二人批准", En: "-50 is more than 30 points: a second person must approve it"},
		late.ID:           {Zh: "-70 分超过 50 分：须由第二人批准", En: "-70 is more than 50 points: a second person must approve it"},
	}
	if len(queue) != len(want) {
		t.Fatalf("got %d held, want %d: %+v", len(queue), len(want), queue)
	}
	for _, h := range queue {
		if h.ReasonText != want[h.RecordID] {
			t.Errorf("record #%d (stored %q): got %+v, want %+v", h.RecordID, h.Reason, h.ReasonText, want[h.RecordID])
		}
	}
}

// Every hold reason reads back from what it stores.
func TestHoldReasonRoundTrips(t *testing.T) {
	for _, r := range []ledger.HoldReason{{Code: ledger.HoldSerious}, {Code: ledger.HoldLarge, Points: -60, Above: 50}, {Other: "a reason of a later version"}} {
		if got := ledger.ParseHoldReason(r.String()); got != r {
			t.Errorf("%q: read back %+v, want %+v", r.String(), got, r)
		}
	}
}
