package storetest

import (
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// testProposals: a proposal reads back as stored, by ID and by case; it
// is stated once and decided once (a listing naming its entry); the case
// is proposed once per list; the listing selects by subject, list and
// openness, by ID, in pages.
func testProposals(t *testing.T, s ledger.Store) {
	ctx := t.Context()
	ids := addSubjects(t, s, 2)
	proposal := func(list, caseNumber string, subject int64) *tally.Proposal {
		return &tally.Proposal{List: list, SubjectID: subject, Name: "王 1", CaseNumber: caseNumber, Court: "荣成市市场监督管理局",
			DecidedOn: t0, Grounds: "sold counterfeit medicine", Basis: "Drug Administration Law art. 116", Aggravation: 1,
			StateBy: t0.Add(7 * 24 * time.Hour), ProposedAt: t0.Add(time.Hour), ProposedBy: "samr-1"}
	}
	a := proposal("violators", "case-1", ids[0])
	b := proposal("violators", "case-2", ids[1])
	c := proposal("other", "case-1", ids[0])
	e := newEntry(ids[0], 1, "violators", "case-1")
	mustUpdate(t, s, func(tx ledger.Tx) error {
		for _, p := range []*tally.Proposal{a, b, c} {
			if err := tx.InsertProposal(ctx, p); err != nil {
				return err
			}
		}
		if err := tx.InsertListEntry(ctx, e); err != nil {
			return err
		}
		if err := tx.InsertStatement(ctx, &tally.Statement{ProposalID: a.ID, Text: "发票为真 / the invoice is genuine", At: t0.Add(48 * time.Hour), By: "王 1"}); err != nil {
			return err
		}
		if err := tx.InsertProposalDecision(ctx, &tally.ProposalDecision{ProposalID: a.ID, Listed: true, Reasons: "证据确凿", Entry: e.ID, At: t0.Add(72 * time.Hour), By: "reviewer-2"}); err != nil {
			return err
		}
		return tx.InsertProposalDecision(ctx, &tally.ProposalDecision{ProposalID: c.ID, Reasons: "不予列入", At: t0.Add(72 * time.Hour), By: "reviewer-2"})
	})
	for _, tc := range []struct {
		what string
		fn   func(tx ledger.Tx) error
		want tally.ErrorCode
	}{
		{"proposing a case twice", func(tx ledger.Tx) error { return tx.InsertProposal(ctx, proposal("violators", "case-1", ids[1])) }, tally.EConflict},
		{"a proposal of a missing subject", func(tx ledger.Tx) error { return tx.InsertProposal(ctx, proposal("violators", "case-9", 999999)) }, tally.ENotFound},
		{"a second statement", func(tx ledger.Tx) error {
			return tx.InsertStatement(ctx, &tally.Statement{ProposalID: a.ID, Text: "again", At: t0, By: "王 1"})
		}, tally.EConflict},
		{"a statement on a missing proposal", func(tx ledger.Tx) error {
			return tx.InsertStatement(ctx, &tally.Statement{ProposalID: 999999, Text: "x", At: t0, By: "x"})
		}, tally.ENotFound},
		{"a second decision", func(tx ledger.Tx) error {
			return tx.InsertProposalDecision(ctx, &tally.ProposalDecision{ProposalID: a.ID, Reasons: "x", At: t0, By: "x"})
		}, tally.EConflict},
		{"deciding a missing proposal", func(tx ledger.Tx) error {
			return tx.InsertProposalDecision(ctx, &tally.ProposalDecision{ProposalID: 999999, Reasons: "x", At: t0, By: "x"})
		}, tally.ENotFound},
		{"a missing proposal", func(tx ledger.Tx) error { _, err := tx.Proposal(ctx, 999999); return err }, tally.ENotFound},
		{"a case never proposed", func(tx ledger.Tx) error { _, err := tx.ProposalByCase(ctx, "violators", "case-9"); return err }, tally.ENotFound},
	} {
		wantCode(t, tc.what, s.Update(ctx, tc.fn), tc.want)
	}
	mustView(t, s, func(tx ledger.Tx) error {
		got, err := tx.Proposal(ctx, a.ID)
		if err != nil {
			return err
		}
		if got.List != a.List || got.SubjectID != ids[0] || got.Name != a.Name || got.CaseNumber != a.CaseNumber || got.Court != a.Court ||
			!got.DecidedOn.Equal(t0) || got.Grounds != a.Grounds || got.Basis != a.Basis || got.Aggravation != 1 ||
			!got.StateBy.Equal(a.StateBy) || !got.ProposedAt.Equal(a.ProposedAt) || got.ProposedBy != "samr-1" {
			t.Errorf("got %+v, want %+v", got, a)
		}
		if st := got.Statement; st == nil || st.Text != "发票为真 / the invoice is genuine" || !st.At.Equal(t0.Add(48*time.Hour)) || st.By != "王 1" {
			t.Errorf("statement %+v", st)
		}
		if d := got.Decision; d == nil || !d.Listed || d.Entry != e.ID || d.Reasons != "证据确凿" || d.By != "reviewer-2" || !d.At.Equal(t0.Add(72*time.Hour)) {
			t.Errorf("decision %+v", d)
		}
		byCase, err := tx.ProposalByCase(ctx, "other", "case-1")
		if err != nil {
			return err
		}
		if byCase.ID != c.ID || byCase.Statement != nil || byCase.Decision == nil || byCase.Decision.Listed || byCase.Decision.Entry != 0 {
			t.Errorf("by case: %+v", byCase)
		}
		for _, tc := range []struct {
			what string
			f    ledger.DueFilter
			want []int64
		}{
			{"all", ledger.DueFilter{Limit: 10}, []int64{a.ID, b.ID, c.ID}},
			{"open", ledger.DueFilter{Open: true, Limit: 10}, []int64{b.ID}},
			{"one subject", ledger.DueFilter{SubjectID: ids[0], Limit: 10}, []int64{a.ID, c.ID}},
			{"one list", ledger.DueFilter{Schemes: []string{"other"}, Limit: 10}, []int64{c.ID}},
			{"no list", ledger.DueFilter{Schemes: []string{}, Limit: 10}, nil},
			{"a page", ledger.DueFilter{After: a.ID, Limit: 1}, []int64{b.ID}},
		} {
			ps, err := tx.Proposals(ctx, tc.f)
			if err != nil {
				return err
			}
			var got []int64
			for _, p := range ps {
				got = append(got, p.ID)
			}
			if !equalIDs(got, tc.want) {
				t.Errorf("%s: got %v, want %v", tc.what, got, tc.want)
			}
		}
		return nil
	})
}
