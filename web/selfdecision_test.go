package web_test

import (
	"context"
	"net/url"
	"strconv"
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// A reviewer who filed an objection for a resident sees, in place of the
// decision form, that another reviewer decides it; posting a decision
// anyway is refused, saying why, and decides nothing.
func TestReviewerDoesNotDecideOwnFiling(t *testing.T) {
	s := newSite(t)
	id := recordLittering(t, s, zhang, "litter-1")
	filer := ledger.WithActor(context.Background(), &tally.Actor{Name: "reviewer", Role: tally.Reviewer, Schemes: []string{village}})
	o, err := s.svc.Object(filer, ledger.ObjectionInput{Scheme: village, Identifier: zhang, Record: id, Grounds: "not me"})
	if err != nil {
		t.Fatal(err)
	}
	oid := strconv.FormatInt(o.ID, 10)
	rev := s.signIn("reviewer", "en")
	rev.get("/review")
	rev.has("the objection, barred", "not me", "You took part in this case, or it is about you: another reviewer decides it.")
	rev.lacks("the decision form", `action="/review/objections/`+oid+`/decide"`)
	rev.post("/review/objections/"+oid+"/decide", url.Values{"scheme": {village}, "outcome": {"voided"}, "reasons": {"fine"}})
	if rev.status != 422 {
		t.Errorf("deciding anyway: status %d, want 422", rev.status)
	}
	rev.has("the refusal", `class="field-error"`, "reviewer filed objection #"+oid+", and may not decide objection #"+oid)
	if h := s.history(zhang); len(h) != 1 || h[0].Reversed {
		t.Errorf("history %+v, want the record standing", h)
	}
}

// A reviewer who recorded a resident's repair application sees, in place
// of the decision form, that another reviewer decides it; a reviewer new
// to the case sees the form.
func TestRepairFormOnlyForWhoMayDecide(t *testing.T) {
	s := newSite(t)
	id := recordLittering(t, s, zhang, "litter-1")
	applicant := ledger.WithActor(context.Background(), &tally.Actor{Name: "reviewer", Role: tally.Reviewer, Schemes: []string{village}})
	p, err := s.svc.ApplyRepair(applicant, ledger.RepairInput{Scheme: village, Identifier: zhang, Record: id, Obligations: "罚款已缴清"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.CreateAccount(s.admin, ledger.AccountSpec{Name: "reviewer2", Role: tally.Reviewer, Schemes: []string{village}, Password: password}); err != nil {
		t.Fatal(err)
	}
	form := `action="/review/repairs/` + strconv.FormatInt(p.ID, 10) + `/decide"`
	rev := s.signIn("reviewer", "en")
	rev.get("/review?scheme=" + village)
	rev.has("the application, barred", "罚款已缴清", "You took part in this case, or it is about you: another reviewer decides it.")
	rev.lacks("the decision form", form)
	other := s.signIn("reviewer2", "en")
	other.get("/review?scheme=" + village)
	other.has("the decision form", "罚款已缴清", form)
	other.lacks("a bar", "another reviewer decides it")
}
