package web_test

import (
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// The review queue says why each held record waits in the reader's
// language: from the reason's code, and from the English text that holds
// stored before they stored codes.
func TestHeldReasonInReadersLanguage(t *testing.T) {
	s := newSite(t)
	coded := recordLittering(t, s, zhang, "held-1")
	old := recordLittering(t, s, li, "held-2")
	err := s.db.Update(s.admin, func(tx ledger.Tx) error {
		for id, reason := range map[int64]string{
			coded: ledger.HoldReason{Code: ledger.HoldLarge, Points: -60, Above: 50}.String(),
			old:   "a serious deduction needs a second person's approval",
		} {
			r, err := tx.RecordByID(s.admin, id)
			if err != nil {
				return err
			}
			if err := tx.InsertHold(s.admin, &tally.Hold{RecordID: id, Scheme: r.Scheme, SubjectID: r.SubjectID, Reason: reason, At: s.clock.Now()}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	s.clock.Add(time.Minute)
	zh := s.signIn("reviewer", "zh")
	zh.get("/review")
	zh.has("the reasons in Chinese", "-60 分超过 50 分：须由第二人批准", "严重扣分须由第二人批准")
	zh.lacks("the reasons in English or as codes", "large-deduction", "is more than", "second person's approval")
	en := s.signIn("reviewer", "en")
	en.get("/review")
	en.has("the reasons in English", "-60 is more than 50 points: a second person must approve it", "a serious deduction needs a second person's approval")
	en.lacks("the reasons in Chinese or as codes", "large-deduction", "须由第二人批准")
}
