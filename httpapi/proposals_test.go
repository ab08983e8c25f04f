package httpapi_test

import (
	"context"
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/client"
	"github.com/tallycredit/tally/examples"
	"github.com/tallycredit/tally/httpapi"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/wire"
)

// A listing on a list with a statement period through the real server:
// answered 202 with a proposal that restricts nothing; the subject states
// its case; the proposer may not decide; another reviewer lists, and the
// entry then denies the measure. The catalogue shows the period.
func TestProposalsThroughTheAPI(t *testing.T) {
	s := startServer(t, httpapi.Config{})
	if _, err := s.svc.PublishCatalogue(s.admin, "sanctions.yml", examples.Sanctions); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	agency := s.client(ledger.TokenSpec{Name: "samr-wang", Role: tally.Agency, Categories: []string{"serious-violators"}})
	proposer := s.client(ledger.TokenSpec{Name: "samr-wang", Role: tally.Admin})
	reviewer := s.client(ledger.TokenSpec{Name: "reviewer-li", Role: tally.Reviewer})

	cat, err := agency.Catalogue(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range cat.Lists {
		if want := map[string]string{"serious-violators": "5 working days"}[l.ID]; l.Statement != want {
			t.Errorf("list %s: statement %q, want %q", l.ID, l.Statement, want)
		}
	}

	in := wire.ListingRequest{Subject: zhang, Name: "张三", CaseNumber: "荣市监罚〔2026〕7号", Court: "荣成市市场监督管理局",
		Decided: "2026-11-20", Grounds: "sold counterfeit medicine", Basis: "Drug Administration Law art. 116"}
	e, err := agency.AddListEntry(ctx, "serious-violators", in, nil)
	if err != nil {
		t.Fatal(err)
	}
	if e.Status != tally.EntryProposed || e.Proposal == nil || e.Proposal.StateByDay != "2026-12-03" || e.Proposal.State != tally.ProposalStating {
		t.Fatalf("listing = %+v, want a proposal open until 2026-12-03", e)
	}
	id := e.Proposal.ID
	me := s.client(ledger.TokenSpec{Name: "zhang", Role: tally.SubjectR, Subject: zhang})
	el, err := agency.Eligibility(ctx, zhang, "government-tender", &client.Options{Purpose: "tender check"})
	if err != nil || !el.Allowed {
		t.Errorf("eligibility while proposed = %+v, %v; want allowed", el, err)
	}

	_, err = reviewer.DecideProposal(ctx, id, wire.ProposalDecisionRequest{List: true, Reasons: "proven"}, nil)
	wantStatus(t, "a decision within the period, no statement", err, 409, "conflict")
	p, err := me.StateCase(ctx, id, wire.StatementRequest{Text: "the medicine was genuine"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if p.Statement == nil || p.State != tally.ProposalDue {
		t.Fatalf("stated = %+v, want due", p)
	}
	page, err := me.Proposals(ctx, client.ProposalQuery{})
	if err != nil || len(page.Items) != 1 || page.Items[0].ID != id || page.Items[0].Subject == zhang {
		t.Fatalf("the subject's proposals = %+v, %v", page, err)
	}
	_, err = proposer.DecideProposal(ctx, id, wire.ProposalDecisionRequest{List: true, Reasons: "proven"}, nil)
	wantStatus(t, "a decision by the proposer", err, 403, "forbidden")
	p, err = reviewer.DecideProposal(ctx, id, wire.ProposalDecisionRequest{List: true, Reasons: "the lab report shows it"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if p.State != tally.ProposalListed || p.Entry == nil || p.Entry.ID == 0 || p.Decision.Entry != p.Entry.ID {
		t.Fatalf("listed = %+v", p)
	}
	el, err = agency.Eligibility(ctx, zhang, "government-tender", &client.Options{Purpose: "tender check"})
	if err != nil || el.Allowed {
		t.Errorf("eligibility after listing = %+v, %v; want denied", el, err)
	}
	again, err := agency.AddListEntry(ctx, "serious-violators", in, nil)
	if err != nil || again.ID != p.Entry.ID || !again.Existed {
		t.Errorf("the same case again = %+v, %v; want the entry", again, err)
	}
}
