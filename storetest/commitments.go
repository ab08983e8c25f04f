package storetest

import (
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// testCommitments: a commitment reads back as signed, is settled once
// (a breach naming its record), and the listings select by scheme,
// subject, openness and day, by ID, in pages.
func testCommitments(t *testing.T, s ledger.Store) {
	ctx := t.Context()
	ids := addSubjects(t, s, 2)
	enrol(t, s, scheme, ids...)
	enrol(t, s, otherScheme, ids[0])
	signed := func(sch string, subject int64, due string, days int) *tally.Commitment {
		return &tally.Commitment{Scheme: sch, SubjectID: subject, What: tally.Text{Zh: "补交营业执照", En: "supply the licence"},
			Due: due, DueEnd: t0.AddDate(0, 0, days), Rule: "tax.arrears", Permit: "许可 7", SignedAt: t0, RecordedBy: "税务 王"}
	}
	a := signed(scheme, ids[0], "2024-03-11", 10)
	b := signed(scheme, ids[1], "2024-03-03", 2)
	c := signed(otherScheme, ids[0], "2024-03-02", 1)
	r := newRecord(scheme, ids[1], "tax.arrears", "commitment/2", t0, -20)
	insertRecords(t, s, r)
	mustUpdate(t, s, func(tx ledger.Tx) error {
		for _, x := range []*tally.Commitment{a, b, c} {
			if err := tx.InsertCommitment(ctx, x); err != nil {
				return err
			}
		}
		if err := tx.InsertSettlement(ctx, &tally.Settlement{CommitmentID: a.ID, Outcome: tally.Fulfilled, Note: "收到", At: t0.AddDate(0, 0, 3), By: "税务 王"}); err != nil {
			return err
		}
		return tx.InsertSettlement(ctx, &tally.Settlement{CommitmentID: b.ID, Outcome: tally.Breached, Note: "未交", At: t0.AddDate(0, 0, 4), By: "税务 李", Record: r.ID})
	})
	err := s.Update(ctx, func(tx ledger.Tx) error {
		return tx.InsertSettlement(ctx, &tally.Settlement{CommitmentID: a.ID, Outcome: tally.Breached, Note: "x", At: t0, By: "y"})
	})
	wantCode(t, "settling a commitment twice", err, tally.EConflict)
	err = s.Update(ctx, func(tx ledger.Tx) error {
		return tx.InsertSettlement(ctx, &tally.Settlement{CommitmentID: 999999, Outcome: tally.Fulfilled, Note: "x", At: t0, By: "y"})
	})
	wantCode(t, "settling a missing commitment", err, tally.ENotFound)
	err = s.Update(ctx, func(tx ledger.Tx) error {
		return tx.InsertCommitment(ctx, signed(scheme, 999999, "2024-03-11", 10))
	})
	wantCode(t, "a commitment of a missing subject", err, tally.ENotFound)

	mustView(t, s, func(tx ledger.Tx) error {
		got, err := tx.Commitment(ctx, b.ID)
		if err != nil {
			return err
		}
		if got.What != b.What || got.Due != b.Due || !got.DueEnd.Equal(b.DueEnd) || !got.SignedAt.Equal(t0) ||
			got.Rule != b.Rule || got.Permit != b.Permit || got.RecordedBy != b.RecordedBy || got.SubjectID != ids[1] {
			t.Errorf("got %+v, want %+v", got, b)
		}
		if st := got.Settlement; st == nil || st.Outcome != tally.Breached || st.Record != r.ID || st.By != "税务 李" ||
			st.Note != "未交" || !st.At.Equal(t0.AddDate(0, 0, 4)) || st.CommitmentID != b.ID {
			t.Errorf("got settlement %+v, want the breach by 税务 李 with record #%d", got.Settlement, r.ID)
		}
		if got, err := tx.Commitment(ctx, c.ID); err != nil || got.Settlement != nil {
			t.Errorf("got %+v, %v; want commitment #%d unsettled", got, err, c.ID)
		}
		_, err = tx.Commitment(ctx, 999999)
		wantCode(t, "a missing commitment", err, tally.ENotFound)
		for _, tc := range []struct {
			name string
			f    ledger.CommitmentFilter
			want []int64
		}{
			{"all", ledger.CommitmentFilter{DueFilter: ledger.DueFilter{Limit: 10}}, []int64{a.ID, b.ID, c.ID}},
			{"one scheme", ledger.CommitmentFilter{DueFilter: ledger.DueFilter{Schemes: []string{scheme}, Limit: 10}}, []int64{a.ID, b.ID}},
			{"no scheme", ledger.CommitmentFilter{DueFilter: ledger.DueFilter{Schemes: []string{}, Limit: 10}}, nil},
			{"one subject", ledger.CommitmentFilter{DueFilter: ledger.DueFilter{SubjectID: ids[0], Limit: 10}}, []int64{a.ID, c.ID}},
			{"open", ledger.CommitmentFilter{DueFilter: ledger.DueFilter{Open: true, Limit: 10}}, []int64{c.ID}},
			{"due by the end of c's day", ledger.CommitmentFilter{DueFilter: ledger.DueFilter{Limit: 10}, DueBy: c.DueEnd}, []int64{c.ID}},
			{"due just before", ledger.CommitmentFilter{DueFilter: ledger.DueFilter{Limit: 10}, DueBy: c.DueEnd.Add(-1000)}, nil},
			{"due by b's day", ledger.CommitmentFilter{DueFilter: ledger.DueFilter{Limit: 10}, DueBy: b.DueEnd}, []int64{b.ID, c.ID}},
			{"a page", ledger.CommitmentFilter{DueFilter: ledger.DueFilter{After: a.ID, Limit: 1}}, []int64{b.ID}},
		} {
			cs, err := tx.Commitments(ctx, tc.f)
			if err != nil {
				return err
			}
			var got []int64
			for _, x := range cs {
				got = append(got, x.ID)
			}
			if !equalIDs(got, tc.want) {
				t.Errorf("%s: got commitments %v, want %v", tc.name, got, tc.want)
			}
		}
		return nil
	})
}
