package ledger_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/checkindex"
	"github.com/tallycredit/tally/ledger"
)

// violator is a listing on the example catalogue's serious-violators list,
// whose statement period is 5 working days.
func violator() ledger.Listing {
	return ledger.Listing{List: "serious-violators", Identifier: zhang, Name: "张三", CaseNumber: "荣市监罚〔2026〕88号",
		Court: "荣成市市场监督管理局", DecidedOn: now.AddDate(0, 0, -3), Grounds: "sold counterfeit medicine",
		Basis: "Drug Administration Law art. 116"}
}

// proposed lists a violator as the agency "samr-clerk" and returns the
// proposal it made.
func (f *listFixture) proposed(t *testing.T) *ledger.ProposalView {
	t.Helper()
	agency := ledger.WithActor(f.ctx, &tally.Actor{Name: "samr-clerk", Role: tally.Agency, Categories: []string{"serious-violators"}})
	v, err := f.svc.List(agency, violator())
	if err != nil {
		t.Fatal(err)
	}
	if v.Status != tally.EntryProposed || v.Proposal == nil || v.ID != 0 {
		t.Fatalf("listing on a list with a statement period = %+v, want a proposal and no entry", v)
	}
	return v.Proposal
}

// reviewer is a reviewer's context.
func (f *listFixture) reviewer(name string) context.Context {
	return ledger.WithActor(f.ctx, &tally.Actor{Name: name, Role: tally.Reviewer})
}

// TestProposalRestrictsNothing: a proposal on a serious list tells the
// subject (reasons, basis, rights, the last day to state its case) and
// restricts nothing: neither eligibility nor the check index sees it.
func TestProposalRestrictsNothing(t *testing.T) {
	f := newListFixture(t)
	p := f.proposed(t)
	// 5 working days from Thursday 26 November 2026 end on Thursday 3 December.
	if p.StateByDay != "2026-12-03" || p.StateBy.In(shanghai).Format(time.DateOnly) != "2026-12-03" || p.StateBy.In(shanghai).Hour() != 23 {
		t.Errorf("state by %v (%s), want the end of 2026-12-03", p.StateBy, p.StateByDay)
	}
	if p.State != tally.ProposalStating || p.ProposedBy != "samr-clerk" || p.Subject == "" || strings.Contains(p.Subject, zhang) {
		t.Errorf("proposal %+v", p)
	}
	again, err := f.svc.List(f.ctx, violator())
	if err != nil || again.Proposal == nil || again.Proposal.ID != p.ID || !again.Existed {
		t.Errorf("the same case again = %+v, %v; want the stored proposal", again, err)
	}
	el, err := f.svc.Eligibility(f.ctx, zhang, "government-tender", time.Time{})
	if err != nil || !el.Allowed {
		t.Errorf("eligibility while proposed = %+v, %v; want allowed", el, err)
	}
	chk := checkindex.NewChecker(f.svc, checkindex.CheckerOptions{})
	if err := chk.Load(f.ctx); err != nil {
		t.Fatal(err)
	}
	if ans, err := chk.Check(f.ctx, checkindex.CheckQuery{Identifier: zhang, Name: "张三", Measure: "government-tender"}); err != nil || ans.Answer != checkindex.AnswerAllowed {
		t.Errorf("check while proposed = %+v, %v; want allowed", ans, err)
	}
	ns, err := f.svc.Outbox(f.subjectCtx(zhang), ledger.OutboxQuery{Identifier: zhang})
	if err != nil {
		t.Fatal(err)
	}
	var body string
	for _, n := range ns {
		if n.Kind == tally.NoticeProposal && n.About == p.ID {
			body = n.Body
		}
	}
	for _, want := range []string{"sold counterfeit medicine", "Drug Administration Law", "陈述", "2026-12-03", "市场监督管理严重违法失信名单"} {
		if !strings.Contains(body, want) {
			t.Errorf("notice of the proposal %q does not say %q", body, want)
		}
	}
}

// TestStatementWithinPeriod: the subject states its case within the
// period, once; after it no statement is taken.
func TestStatementWithinPeriod(t *testing.T) {
	f := newListFixture(t)
	p := f.proposed(t)
	_, err := f.svc.StateCase(f.subjectCtx(li), p.ID, "not me")
	wantCode(t, err, tally.EForbidden, "")
	_, err = f.svc.StateCase(f.subjectCtx(zhang), p.ID, " ")
	wantCode(t, err, tally.EInvalid, "")
	v, err := f.svc.StateCase(f.subjectCtx(zhang), p.ID, "the medicine was genuine: see the supplier's invoice")
	if err != nil {
		t.Fatal(err)
	}
	if v.Statement == nil || v.Statement.Text == "" || v.State != tally.ProposalDue {
		t.Errorf("after the statement: %+v, want it stated and due for decision", v)
	}
	_, err = f.svc.StateCase(f.subjectCtx(zhang), p.ID, "again")
	wantCode(t, err, tally.EConflict, "already")

	g := newListFixture(t)
	q := g.proposed(t)
	g.set(time.Date(2026, 12, 4, 0, 0, 0, 0, shanghai))
	_, err = g.svc.StateCase(g.subjectCtx(zhang), q.ID, "too late")
	wantCode(t, err, tally.EConflict, "2026-12-03")
}

// TestEarlyDecisionRefused: before the period ends, without a statement,
// nobody may decide; after it, a reviewer may.
func TestEarlyDecisionRefused(t *testing.T) {
	f := newListFixture(t)
	p := f.proposed(t)
	r := f.reviewer("reviewer-wang")
	_, err := f.svc.DecideProposal(r, ledger.ProposalDecisionInput{ID: p.ID, List: true, Reasons: "proven"})
	wantCode(t, err, tally.EConflict, "2026-12-03")
	_, err = f.svc.DecideProposal(r, ledger.ProposalDecisionInput{ID: p.ID, Reasons: "no"})
	wantCode(t, err, tally.EConflict, "2026-12-03")
	f.set(time.Date(2026, 12, 4, 9, 0, 0, 0, shanghai))
	_, err = f.svc.DecideProposal(r, ledger.ProposalDecisionInput{ID: p.ID, Reasons: " "})
	wantCode(t, err, tally.EInvalid, "")
	v, err := f.svc.DecideProposal(r, ledger.ProposalDecisionInput{ID: p.ID, Reasons: "the invoice was not forged after all"})
	if err != nil {
		t.Fatal(err)
	}
	if v.State != tally.ProposalDropped || v.Decision == nil || v.Decision.Entry != 0 {
		t.Errorf("dropped: %+v", v)
	}
	_, err = f.svc.DecideProposal(r, ledger.ProposalDecisionInput{ID: p.ID, List: true, Reasons: "changed my mind"})
	wantCode(t, err, tally.EConflict, "already")
	if el, _ := f.svc.Eligibility(f.ctx, zhang, "government-tender", time.Time{}); !el.Allowed {
		t.Errorf("after a drop: %+v, want allowed", el)
	}
}

// TestProposerCannotDecide: whoever proposed a listing, and the subject,
// may not decide it.
func TestProposerCannotDecide(t *testing.T) {
	f := newListFixture(t)
	p := f.proposed(t)
	f.set(time.Date(2026, 12, 4, 9, 0, 0, 0, shanghai))
	proposer := ledger.WithActor(f.ctx, &tally.Actor{Name: "samr-clerk", Role: tally.Admin})
	_, err := f.svc.DecideProposal(proposer, ledger.ProposalDecisionInput{ID: p.ID, List: true, Reasons: "proven"})
	wantCode(t, err, tally.EForbidden, "proposed")
	agency := ledger.WithActor(f.ctx, &tally.Actor{Name: "other-clerk", Role: tally.Agency})
	_, err = f.svc.DecideProposal(agency, ledger.ProposalDecisionInput{ID: p.ID, List: true, Reasons: "proven"})
	wantCode(t, err, tally.EForbidden, "")
}

// TestListingAfterStatementMakesTheEntry: once the subject has stated its
// case a reviewer may list at once; the entry is made through the normal
// path, in force from the decision, and a check is then denied.
func TestListingAfterStatementMakesTheEntry(t *testing.T) {
	f := newListFixture(t)
	p := f.proposed(t)
	chk := checkindex.NewChecker(f.svc, checkindex.CheckerOptions{})
	if err := chk.Load(f.ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.StateCase(f.subjectCtx(zhang), p.ID, "I did not know"); err != nil {
		t.Fatal(err)
	}
	f.set(now.Add(time.Hour))
	v, err := f.svc.DecideProposal(f.reviewer("reviewer-wang"), ledger.ProposalDecisionInput{ID: p.ID, List: true,
		Reasons: "ignorance is no defence under art. 116"})
	if err != nil {
		t.Fatal(err)
	}
	if v.State != tally.ProposalListed || v.Decision == nil || v.Decision.Entry == 0 || v.Entry == nil || v.Entry.Status != tally.EntryInEffect {
		t.Fatalf("listed: %+v", v)
	}
	if !v.Entry.NoticeServed.Equal(now.Add(time.Hour)) || v.Entry.RecordedBy != "reviewer-wang" || v.Entry.CaseNumber != p.CaseNumber {
		t.Errorf("entry %+v, want served at the decision, recorded by the reviewer", v.Entry)
	}
	if ans, err := chk.Check(f.ctx, checkindex.CheckQuery{Identifier: zhang, Name: "张三", Measure: "government-tender"}); err != nil || ans.Answer != checkindex.AnswerDenied {
		t.Errorf("check after listing = %+v, %v; want denied", ans, err)
	}
	if el, _ := f.svc.Eligibility(f.ctx, zhang, "government-tender", time.Time{}); el.Allowed {
		t.Errorf("eligibility after listing: %+v, want denied", el)
	}
	// Listing the case again now returns the entry.
	again, err := f.svc.List(f.ctx, violator())
	if err != nil || !again.Existed || again.ID != v.Decision.Entry {
		t.Errorf("the same case after listing = %+v, %v; want the entry", again, err)
	}
	all, err := f.svc.Proposals(f.subjectCtx(zhang), ledger.ProposalQuery{})
	if err != nil || len(all) != 1 || all[0].State != tally.ProposalListed {
		t.Errorf("the subject's proposals = %+v, %v", all, err)
	}
	none, err := f.svc.Proposals(f.subjectCtx(li), ledger.ProposalQuery{})
	if err != nil || len(none) != 0 {
		t.Errorf("another subject sees %+v, %v", none, err)
	}
}

// TestCourtListHasNoStatementPeriod: the court's list behaves as before:
// the court serves its own notice, so a listing is an entry at once.
func TestCourtListHasNoStatementPeriod(t *testing.T) {
	f := newListFixture(t)
	v, err := f.svc.List(f.ctx, defaulter())
	if err != nil || v.ID == 0 || v.Proposal != nil || v.Status != tally.EntryInEffect {
		t.Errorf("court listing = %+v, %v; want an entry in effect", v, err)
	}
}
