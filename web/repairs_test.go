package web_test

import (
	"net/url"
	"strconv"
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// A reviewer records, from the person page, a resident's application to
// repair a deduction (one without obligations is refused next to the
// field); it waits in the review queue. The reviewer who recorded it may
// not decide it: the page shows no form and says why, and a decision
// posted anyway is refused and decides nothing. Another
// reviewer approves it with written reasons, after a try without.
func TestRepairThroughThePages(t *testing.T) {
	s := newSite(t)
	id := recordLittering(t, s, zhang, "litter-1")
	rec := strconv.FormatInt(id, 10)
	if _, err := s.svc.CreateAccount(s.admin, ledger.AccountSpec{Name: "reviewer2", Role: tally.Reviewer, Schemes: []string{village}, Password: password}); err != nil {
		t.Fatal(err)
	}
	rev := s.signIn("reviewer", "zh")
	subject := strconv.FormatInt(s.found(zhang).SubjectID, 10)
	person := "/review/person?" + url.Values{"scheme": {village}, "q": {"张伟"}, "purpose": {"修复申请"}, "subject": {subject}}.Encode()
	rev.get(person)
	rev.has("the repair form beside the deduction", `action="/review/repairs"`, `name="record" value="`+rec+`"`, "代为申请信用修复")

	apply := url.Values{"scheme": {village}, "subject": {subject}, "q": {"张伟"}, "purpose": {"修复申请"}, "record": {rec}}
	rev.post("/review/repairs", with(apply, "obligations", " "))
	if rev.status != 422 {
		t.Fatalf("an application without obligations: status %d, want 422", rev.status)
	}
	rev.has("the error next to the obligations", `id="obligations-error"`, "请填写")
	if open := s.repairs(true); len(open) != 0 {
		t.Fatalf("a refused application left %d repairs", len(open))
	}
	rev.post("/review/repairs", with(apply, "obligations", "罚款已缴清，收据 123"))
	if rev.status != 200 || rev.where != "/review?repair_applied=1&scheme="+village {
		t.Fatalf("apply: status %d at %s", rev.status, rev.where)
	}
	rev.has("the application in the queue", "第 1 号修复申请已提交", `id="repair-1"`, "罚款已缴清，收据 123", "修复第 "+rec+" 号记录", "须由其他审核人决定")
	rev.lacks("a decision form for the applicant", `action="/review/repairs/1/decide"`)

	rev.post("/review/repairs/1/decide", url.Values{"scheme": {village}, "decision": {"approve"}, "reasons": {"收据核实"}})
	if rev.status != 422 {
		t.Fatalf("the applicant deciding: status %d, want 422", rev.status)
	}
	rev.has("the refusal, by the application", `id="repair-error"`, "您无权进行此操作。", "reviewer 提出了第 1 号信用修复申请，因此不能决定第 1 号信用修复申请")
	if open := s.repairs(true); len(open) != 1 {
		t.Fatalf("after the refused decision %d open repairs, want 1", len(open))
	}

	other := s.signIn("reviewer2", "en")
	other.get("/review")
	other.has("the queue in English", "Repair applications", "Repair of record #"+rec, "Approve the repair")
	other.post("/review/repairs/1/decide", url.Values{"scheme": {village}, "decision": {"approve"}, "reasons": {" "}})
	if other.status != 422 {
		t.Fatalf("a decision without reasons: status %d, want 422", other.status)
	}
	other.has("the error next to the reasons", `id="reasons-r-error"`, "Fill this in.")
	other.post("/review/repairs/1/decide", url.Values{"scheme": {village}, "decision": {"approve"}, "reasons": {"receipt checked"}})
	if other.status != 200 || other.where != "/review?repair_decided=1&scheme="+village {
		t.Fatalf("decide: status %d at %s", other.status, other.where)
	}
	other.has("the notice", "Repair application #1 was decided.", "No repair application waits for a decision.")
	all := s.repairs(false)
	if len(all) != 1 || all[0].Decision == nil || !all[0].Decision.Approved || all[0].Decision.By != "reviewer2" || all[0].Decision.Reasons != "receipt checked" {
		t.Fatalf("repairs after the decision: %+v", all)
	}

	me := s.signIn("zhang", "zh")
	me.post("/review/repairs/1/decide", url.Values{"scheme": {village}, "decision": {"refuse"}, "reasons": {"no"}})
	if me.status != 403 {
		t.Errorf("a resident deciding a repair: status %d, want 403", me.status)
	}
}

// repairs lists the village's repair applications, as an admin.
func (s *site) repairs(open bool) []tally.Repair {
	s.t.Helper()
	out, err := s.svc.Repairs(s.admin, ledger.RepairQuery{Scheme: village, Open: open})
	if err != nil {
		s.t.Fatal(err)
	}
	return out
}

// with returns a copy of form with one more field.
func with(form url.Values, key, value string) url.Values {
	out := url.Values{key: {value}}
	for k, v := range form {
		out[k] = v
	}
	return out
}
