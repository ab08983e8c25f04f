package ledger_test

import (
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// Nobody undoes an entry about themselves: a reviewer who is a record's
// subject does not reverse it, and an administrator who is a list entry's
// subject does not remove it; someone else may.
func TestNobodyUndoesTheirOwnEntry(t *testing.T) {
	f := newFixture(t)
	f.publishExample("village.yaml")
	f.person("jiakuang-majia", zhang, "张三")
	litter := f.record("jiakuang-majia", zhang, "conduct.littering", "2026-11-20", "r/1")

	self := as(tally.Reviewer, "rev-zhang", func(a *tally.Actor) {
		a.Schemes, a.Lookup = []string{"jiakuang-majia"}, f.vault.Lookup(zhang)
	})
	_, err := f.svc.Reverse(self, ledger.Reversal{Scheme: "jiakuang-majia", Record: litter.ID, Reason: "not me", Ref: "undo/1"})
	wantCode(t, err, tally.EForbidden, "subject")
	if _, n := f.counts("jiakuang-majia"); n != 1 {
		t.Errorf("records after the refused reversal: %d, want 1", n)
	}
	other := as(tally.Reviewer, "rev-2", func(a *tally.Actor) { a.Schemes = []string{"jiakuang-majia"} })
	if _, err := f.svc.Reverse(other, ledger.Reversal{Scheme: "jiakuang-majia", Record: litter.ID, Reason: "photo shows a neighbour", Ref: "undo/2"}); err != nil {
		t.Errorf("another reviewer reverses: %v", err)
	}

	l := newListFixture(t)
	entry, err := l.svc.List(l.ctx, defaulter())
	if err != nil {
		t.Fatal(err)
	}
	selfAdmin := ledger.WithActor(l.ctx, &tally.Actor{Name: "admin-zhang", Role: tally.Admin, Lookup: l.vault.Lookup(zhang)})
	_, err = l.svc.Remove(selfAdmin, ledger.Removal{List: "judgment-defaulters", CaseNumber: entry.CaseNumber, Reason: tally.Performed, Note: "paid"})
	wantCode(t, err, tally.EForbidden, "subject")
	if _, err := l.svc.Remove(l.ctx, ledger.Removal{List: "judgment-defaulters", CaseNumber: entry.CaseNumber, Reason: tally.Performed, Note: "paid"}); err != nil {
		t.Errorf("another administrator removes: %v", err)
	}
}
