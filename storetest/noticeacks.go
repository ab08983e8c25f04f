package storetest

import (
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// testNoticeAcks: a notice is acknowledged once (a second acknowledgment
// is a conflict and the first stands); Notice and Notices return it with
// its acknowledgment; an unknown notice is ENotFound.
func testNoticeAcks(t *testing.T, s ledger.Store) {
	ctx := t.Context()
	ids := addSubjects(t, s, 1)
	read := &tally.Notice{SubjectID: ids[0], Scheme: scheme, Kind: tally.NoticeRecord, About: 7, Title: "t", Body: "b", CreatedAt: t0}
	unread := &tally.Notice{SubjectID: ids[0], Scheme: scheme, Kind: tally.NoticeRecord, About: 8, Title: "t", Body: "b", CreatedAt: t0}
	first := &tally.NoticeAck{At: t0.Add(time.Hour).In(beijing), By: "zhang"}
	mustUpdate(t, s, func(tx ledger.Tx) error {
		for _, n := range []*tally.Notice{read, unread} {
			if err := tx.InsertNotice(ctx, n); err != nil {
				return err
			}
		}
		first.NoticeID = read.ID
		return tx.InsertNoticeAck(ctx, first)
	})
	err := s.Update(ctx, func(tx ledger.Tx) error {
		return tx.InsertNoticeAck(ctx, &tally.NoticeAck{NoticeID: read.ID, At: t0.Add(2 * time.Hour), By: "someone"})
	})
	wantCode(t, "a second acknowledgment", err, tally.EConflict)
	err = s.Update(ctx, func(tx ledger.Tx) error {
		return tx.InsertNoticeAck(ctx, &tally.NoticeAck{NoticeID: unread.ID + 100, At: t0, By: "zhang"})
	})
	wantCode(t, "acknowledging an unknown notice", err, tally.ENotFound)
	mustView(t, s, func(tx ledger.Tx) error {
		got, err := tx.Notice(ctx, read.ID)
		if err != nil {
			return err
		}
		if got.Ack == nil || !got.Ack.At.Equal(first.At) || got.Ack.By != "zhang" || got.About != 7 || got.SubjectID != ids[0] {
			t.Errorf("got notice %+v with ack %+v, want notice about 7 acknowledged by zhang at %v", got, got.Ack, first.At)
		}
		all, err := tx.Notices(ctx, ledger.DueFilter{SubjectID: ids[0], Limit: 10})
		if err != nil {
			return err
		}
		if len(all) != 2 || all[0].Ack == nil || all[0].Ack.By != "zhang" || all[1].Ack != nil {
			t.Errorf("got notices %+v, want the first acknowledged and the second not", all)
		}
		_, err = tx.Notice(ctx, unread.ID+100)
		wantCode(t, "an unknown notice", err, tally.ENotFound)
		return nil
	})
}
