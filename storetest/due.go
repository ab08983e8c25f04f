package storetest

import (
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// testHolds: a held record counts in no score until approved; a rejected
// one never does (its reversal); a hold is decided once; SumAwarded still
// counts a held record so that approval cannot pass a cap.
func testHolds(t *testing.T, s ledger.Store) {
	ctx := t.Context()
	ids := addSubjects(t, s, 1)
	enrol(t, s, scheme, ids[0])
	a := newRecord(scheme, ids[0], "heating", "a", t0, -60)
	b := newRecord(scheme, ids[0], "heating", "b", t0.Add(time.Hour), -70)
	insertRecords(t, s, a, b)
	later := t0.Add(48 * time.Hour)
	mustUpdate(t, s, func(tx ledger.Tx) error { // one alone, one in bulk
		if err := tx.InsertHold(ctx, &tally.Hold{RecordID: a.ID, Scheme: scheme, SubjectID: ids[0], Reason: "serious", At: t0}); err != nil {
			return err
		}
		return tx.InsertHolds(ctx, []*tally.Hold{{RecordID: b.ID, Scheme: scheme, SubjectID: ids[0], Reason: "serious", At: t0}})
	})
	err := s.Update(ctx, func(tx ledger.Tx) error {
		return tx.InsertHold(ctx, &tally.Hold{RecordID: a.ID, Scheme: scheme, SubjectID: ids[0], Reason: "again", At: t0})
	})
	wantCode(t, "holding twice", err, tally.EConflict)
	err = s.Update(ctx, func(tx ledger.Tx) error {
		return tx.InsertHolds(ctx, []*tally.Hold{{RecordID: b.ID, Scheme: scheme, SubjectID: ids[0], Reason: "again", At: t0}})
	})
	wantCode(t, "holding twice in bulk", err, tally.EConflict)
	err = s.Update(ctx, func(tx ledger.Tx) error {
		return tx.InsertHolds(ctx, []*tally.Hold{{RecordID: 999999, Scheme: scheme, SubjectID: ids[0], Reason: "x", At: t0}})
	})
	wantCode(t, "holding a missing record in bulk", err, tally.ENotFound)
	err = s.Update(ctx, func(tx ledger.Tx) error {
		return tx.InsertHold(ctx, &tally.Hold{RecordID: 999999, Scheme: scheme, SubjectID: ids[0], Reason: "x", At: t0})
	})
	wantCode(t, "holding a missing record", err, tally.ENotFound)

	inEffect := func(what string, want ...int64) {
		t.Helper()
		mustView(t, s, func(tx ledger.Tx) error {
			for _, read := range []func(context ledger.Tx) ([]tally.Record, error){
				func(tx ledger.Tx) ([]tally.Record, error) { return tx.InEffect(ctx, scheme, ids[0], later) },
				func(tx ledger.Tx) ([]tally.Record, error) { return tx.PointsInEffect(ctx, scheme, ids[0], later) },
			} {
				rs, err := read(tx)
				if err != nil {
					return err
				}
				if got := recordIDs(rs); !equalIDs(got, want) {
					t.Errorf("%s: got records %v in effect, want %v", what, got, want)
				}
			}
			return nil
		})
	}
	inEffect("both held")
	mustView(t, s, func(tx ledger.Tx) error {
		sum, err := tx.SumAwarded(ctx, scheme, ids[0], "heating", t0, later)
		if err == nil && sum != -130 {
			t.Errorf("got SumAwarded %d with both held, want -130 (held records keep their cap room)", sum)
		}
		return err
	})

	// Approve a; reject b with a reversal.
	rev := newReversal(b, "b-rejected")
	mustUpdate(t, s, func(tx ledger.Tx) error {
		if err := tx.InsertHoldDecision(ctx, &tally.HoldDecision{RecordID: a.ID, Approved: true, Reasons: "checked", At: t0, By: "second"}); err != nil {
			return err
		}
		if err := tx.InsertRecord(ctx, rev); err != nil {
			return err
		}
		return tx.InsertHoldDecision(ctx, &tally.HoldDecision{RecordID: b.ID, Reasons: "no evidence", At: t0, By: "second", Reversal: rev.ID})
	})
	err = s.Update(ctx, func(tx ledger.Tx) error {
		return tx.InsertHoldDecision(ctx, &tally.HoldDecision{RecordID: a.ID, Reasons: "changed my mind", At: t0, By: "third"})
	})
	wantCode(t, "deciding twice", err, tally.EConflict)
	inEffect("a approved, b rejected", a.ID)

	mustView(t, s, func(tx ledger.Tx) error {
		h, err := tx.Hold(ctx, b.ID)
		if err != nil {
			return err
		}
		if h.Decision == nil || h.Decision.Approved || h.Decision.Reversal != rev.ID || h.Decision.By != "second" || !h.Decision.At.Equal(t0) {
			t.Errorf("got hold %+v decision %+v, want a rejection by second with reversal %d", h, h.Decision, rev.ID)
		}
		open, err := tx.Holds(ctx, ledger.DueFilter{Open: true, Limit: 10})
		if err != nil {
			return err
		}
		if len(open) != 0 {
			t.Errorf("got %d open holds, want 0", len(open))
		}
		all, err := tx.Holds(ctx, ledger.DueFilter{Schemes: []string{scheme}, SubjectID: ids[0], Limit: 10})
		if err != nil {
			return err
		}
		if len(all) != 2 || all[0].RecordID != a.ID || all[1].RecordID != b.ID {
			t.Errorf("got holds %+v, want a and b in order", all)
		}
		other, err := tx.Holds(ctx, ledger.DueFilter{Schemes: []string{otherScheme}, Limit: 10})
		if err == nil && len(other) != 0 {
			t.Errorf("got %d holds of another scheme, want 0", len(other))
		}
		_, err = tx.Hold(ctx, 999999)
		wantCode(t, "Hold of a record not held", err, tally.ENotFound)
		return nil
	})
}

// equalIDs compares two ID lists.
func equalIDs(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// testObjections: objections and appeals round-trip with their deadlines,
// acknowledgement and decision; each step happens once.
func testObjections(t *testing.T, s ledger.Store) {
	ctx := t.Context()
	ids := addSubjects(t, s, 2)
	enrol(t, s, scheme, ids...)
	r := newRecord(scheme, ids[0], "heating", "r", t0, -20)
	rev := newReversal(r, "r-voided")
	insertRecords(t, s, r)
	o := &tally.Objection{Scheme: scheme, SubjectID: ids[0], Target: tally.TargetRecord, TargetID: r.ID,
		Grounds: "I paid on time", Evidence: "receipt 7", FiledAt: t0, FiledBy: "王 1",
		AcknowledgeBy: t0.AddDate(0, 0, 3), DecideBy: t0.AddDate(0, 0, 15)}
	list := &tally.Objection{Scheme: "", SubjectID: ids[1], Target: tally.TargetEntry, TargetID: 77,
		Grounds: "performed", FiledAt: t0, FiledBy: "王 2", AcknowledgeBy: t0, DecideBy: t0}
	mustUpdate(t, s, func(tx ledger.Tx) error {
		if err := tx.InsertObjection(ctx, o); err != nil {
			return err
		}
		return tx.InsertObjection(ctx, list)
	})
	if o.ID == 0 || list.ID <= o.ID {
		t.Fatalf("got IDs %d, %d, want increasing IDs", o.ID, list.ID)
	}
	ackAt := t0.Add(time.Hour)
	mustUpdate(t, s, func(tx ledger.Tx) error { return tx.AcknowledgeObjection(ctx, o.ID, ackAt, "reviewer") })
	err := s.Update(ctx, func(tx ledger.Tx) error { return tx.AcknowledgeObjection(ctx, o.ID, ackAt, "reviewer") })
	wantCode(t, "acknowledging twice", err, tally.EConflict)
	err = s.Update(ctx, func(tx ledger.Tx) error { return tx.AcknowledgeObjection(ctx, 999999, ackAt, "reviewer") })
	wantCode(t, "acknowledging a missing objection", err, tally.ENotFound)

	mustView(t, s, func(tx ledger.Tx) error {
		open, err := tx.Objections(ctx, ledger.DueFilter{Open: true, Limit: 10})
		if err != nil {
			return err
		}
		if len(open) != 2 {
			t.Errorf("got %d open objections, want 2", len(open))
		}
		lists, err := tx.Objections(ctx, ledger.DueFilter{Schemes: []string{""}, Limit: 10})
		if err == nil && (len(lists) != 1 || lists[0].ID != list.ID) {
			t.Errorf("got %+v for objections of no scheme, want the list entry's", lists)
		}
		return err
	})

	decided := t0.Add(2 * time.Hour)
	mustUpdate(t, s, func(tx ledger.Tx) error {
		if err := tx.InsertRecord(ctx, rev); err != nil {
			return err
		}
		return tx.InsertObjectionDecision(ctx, &tally.ObjectionDecision{ObjectionID: o.ID, Outcome: tally.Voided,
			Reasons: "receipt checked", At: decided, By: "reviewer", Record: r.ID, Reversal: rev.ID})
	})
	err = s.Update(ctx, func(tx ledger.Tx) error {
		return tx.InsertObjectionDecision(ctx, &tally.ObjectionDecision{ObjectionID: o.ID, Outcome: tally.Upheld, Reasons: "x", At: decided, By: "b"})
	})
	wantCode(t, "deciding twice", err, tally.EConflict)

	appeal := &tally.Objection{Scheme: scheme, SubjectID: ids[0], Target: tally.TargetRecord, TargetID: r.ID, Grounds: "again",
		FiledAt: decided, FiledBy: "王 1", AppealOf: o.ID, AcknowledgeBy: decided, DecideBy: decided}
	mustUpdate(t, s, func(tx ledger.Tx) error { return tx.InsertObjection(ctx, appeal) })
	second := *appeal
	err = s.Update(ctx, func(tx ledger.Tx) error { return tx.InsertObjection(ctx, &second) })
	wantCode(t, "a second appeal of one decision", err, tally.EConflict)

	mustView(t, s, func(tx ledger.Tx) error {
		got, err := tx.Objection(ctx, o.ID)
		if err != nil {
			return err
		}
		if got.Grounds != o.Grounds || got.Evidence != o.Evidence || !got.FiledAt.Equal(t0) || !got.DecideBy.Equal(o.DecideBy) ||
			!got.AcknowledgeBy.Equal(o.AcknowledgeBy) || got.Target != tally.TargetRecord || got.TargetID != r.ID || got.SubjectID != ids[0] {
			t.Errorf("got objection %+v, want %+v", got, o)
		}
		if !got.AcknowledgedAt.Equal(ackAt) || got.AcknowledgedBy != "reviewer" {
			t.Errorf("got acknowledgement %v by %q, want %v by reviewer", got.AcknowledgedAt, got.AcknowledgedBy, ackAt)
		}
		if d := got.Decision; d == nil || d.Outcome != tally.Voided || d.Reversal != rev.ID || d.Record != r.ID || !d.At.Equal(decided) || d.Correction != 0 {
			t.Errorf("got decision %+v, want voided with reversal %d", got.Decision, rev.ID)
		}
		ap, err := tx.AppealOf(ctx, o.ID)
		if err != nil {
			return err
		}
		if ap.ID != appeal.ID || ap.AppealOf != o.ID {
			t.Errorf("got appeal %+v, want #%d of #%d", ap, appeal.ID, o.ID)
		}
		mine, err := tx.Objections(ctx, ledger.DueFilter{SubjectID: ids[0], Open: true, Limit: 10})
		if err == nil && (len(mine) != 1 || mine[0].ID != appeal.ID) {
			t.Errorf("got open objections %+v of subject 1, want only the appeal", mine)
		}
		page, err := tx.Objections(ctx, ledger.DueFilter{After: o.ID, Limit: 1})
		if err == nil && (len(page) != 1 || page[0].ID != list.ID) {
			t.Errorf("got page %+v after #%d, want #%d", page, o.ID, list.ID)
		}
		return err
	})
}

// testRepairs: an approved repair ends a record's effect from its decision
// on, not before; a refused one changes nothing.
func testRepairs(t *testing.T, s ledger.Store) {
	ctx := t.Context()
	ids := addSubjects(t, s, 1)
	enrol(t, s, scheme, ids[0])
	r := newRecord(scheme, ids[0], "heating", "r", t0, -20)
	r.ExpiresAt = t0.AddDate(1, 0, 0)
	insertRecords(t, s, r)
	refused := &tally.Repair{Scheme: scheme, SubjectID: ids[0], RecordID: r.ID, Obligations: "will pay", AppliedAt: t0, AppliedBy: "王 1"}
	approved := &tally.Repair{Scheme: scheme, SubjectID: ids[0], RecordID: r.ID, Obligations: "paid, receipt 9", AppliedAt: t0, AppliedBy: "王 1"}
	decidedAt := t0.AddDate(0, 6, 0)
	mustUpdate(t, s, func(tx ledger.Tx) error {
		for _, p := range []*tally.Repair{refused, approved} {
			if err := tx.InsertRepair(ctx, p); err != nil {
				return err
			}
		}
		if err := tx.InsertRepairDecision(ctx, &tally.RepairDecision{RepairID: refused.ID, RecordID: r.ID, Reasons: "not paid", At: t0.AddDate(0, 1, 0), By: "rev"}); err != nil {
			return err
		}
		return tx.InsertRepairDecision(ctx, &tally.RepairDecision{RepairID: approved.ID, RecordID: r.ID, Approved: true, Reasons: "paid", At: decidedAt, By: "rev"})
	})
	err := s.Update(ctx, func(tx ledger.Tx) error {
		return tx.InsertRepairDecision(ctx, &tally.RepairDecision{RepairID: approved.ID, RecordID: r.ID, Reasons: "x", At: decidedAt, By: "rev"})
	})
	wantCode(t, "deciding a repair twice", err, tally.EConflict)
	mustView(t, s, func(tx ledger.Tx) error {
		for _, c := range []struct {
			at   time.Time
			want int
		}{{t0.AddDate(0, 2, 0), 1}, {decidedAt.Add(-time.Microsecond), 1}, {decidedAt, 0}, {t0.AddDate(0, 9, 0), 0}} {
			rs, err := tx.PointsInEffect(ctx, scheme, ids[0], c.at)
			if err != nil {
				return err
			}
			full, err := tx.InEffect(ctx, scheme, ids[0], c.at)
			if err != nil {
				return err
			}
			if len(rs) != c.want || len(full) != c.want {
				t.Errorf("at %v: got %d and %d records in effect, want %d", c.at, len(rs), len(full), c.want)
			}
		}
		open, err := tx.Repairs(ctx, ledger.DueFilter{Open: true, Limit: 10})
		if err == nil && len(open) != 0 {
			t.Errorf("got %d open repairs, want 0", len(open))
		}
		mine, err := tx.Repairs(ctx, ledger.DueFilter{Record: r.ID, Limit: 10})
		if err != nil {
			return err
		}
		if len(mine) != 2 || mine[1].Decision == nil || !mine[1].Decision.Approved || mine[0].Decision.Approved || !mine[1].Decision.At.Equal(decidedAt) {
			t.Errorf("got repairs %+v, want one refused then one approved", mine)
		}
		got, err := tx.Repair(ctx, approved.ID)
		if err == nil && got.Obligations != approved.Obligations {
			t.Errorf("got obligations %q, want %q", got.Obligations, approved.Obligations)
		}
		return err
	})
}

// testNotices: the outbox keeps notices and their attempts; Open selects
// those never delivered; contacts keep the latest.
func testNotices(t *testing.T, s ledger.Store) {
	ctx := t.Context()
	ids := addSubjects(t, s, 2)
	n1 := &tally.Notice{SubjectID: ids[0], Scheme: scheme, Kind: tally.NoticeRecord, About: 5, Title: "t1", Body: "b1", ObjectBy: t0.AddDate(0, 0, 15), CreatedAt: t0}
	n2 := &tally.Notice{SubjectID: ids[1], Kind: tally.NoticeEntry, About: 6, Title: "t2", Body: "b2", CreatedAt: t0}
	mustUpdate(t, s, func(tx ledger.Tx) error {
		for _, n := range []*tally.Notice{n1, n2} {
			if err := tx.InsertNotice(ctx, n); err != nil {
				return err
			}
		}
		if err := tx.InsertNoticeAttempt(ctx, &tally.NoticeAttempt{NoticeID: n1.ID, At: t0, Sender: "smtp", Error: "refused"}); err != nil {
			return err
		}
		if err := tx.InsertNoticeAttempt(ctx, &tally.NoticeAttempt{NoticeID: n2.ID, At: t0, Sender: "smtp", Delivered: true}); err != nil {
			return err
		}
		for i, m := range []string{"a***@x.cn", "b***@x.cn"} {
			if err := tx.InsertContact(ctx, &tally.Contact{SubjectID: ids[0], Sealed: []byte{byte(i)}, Masked: m, At: t0, By: "clerk"}); err != nil {
				return err
			}
		}
		return nil
	})
	mustView(t, s, func(tx ledger.Tx) error {
		open, err := tx.Notices(ctx, ledger.DueFilter{Open: true, Limit: 10})
		if err != nil {
			return err
		}
		if len(open) != 1 || open[0].ID != n1.ID || len(open[0].Attempts) != 1 || open[0].Attempts[0].Error != "refused" ||
			!open[0].ObjectBy.Equal(n1.ObjectBy) || open[0].Body != "b1" {
			t.Errorf("got open notices %+v, want n1 with its failed attempt", open)
		}
		mine, err := tx.Notices(ctx, ledger.DueFilter{SubjectID: ids[1], Limit: 10})
		if err != nil {
			return err
		}
		if len(mine) != 1 || !mine[0].Delivered() || !mine[0].ObjectBy.IsZero() {
			t.Errorf("got notices %+v of subject 2, want n2, delivered", mine)
		}
		c, err := tx.Contact(ctx, ids[0])
		if err != nil {
			return err
		}
		if c.Masked != "b***@x.cn" || len(c.Sealed) != 1 || c.Sealed[0] != 1 {
			t.Errorf("got contact %+v, want the latest", c)
		}
		_, err = tx.Contact(ctx, ids[1])
		wantCode(t, "Contact of a subject without one", err, tally.ENotFound)
		return nil
	})
}
