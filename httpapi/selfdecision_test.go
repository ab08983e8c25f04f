package httpapi_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/client"
	"github.com/tallycredit/tally/httpapi"
	"github.com/tallycredit/tally/ledger"
)

// Through the real server, nobody decides a case they took part in or are
// the subject of, at either level, and a decision on an objection may only
// keep or improve the subject's position.
func TestNoSelfDecisionThroughTheAPI(t *testing.T) {
	s := startServer(t, httpapi.Config{})
	s.publish("city.yaml")
	ctx := context.Background()
	const scheme = "rongcheng-city"
	recorder := s.client(ledger.TokenSpec{Name: "recorder-7", Role: tally.Recorder, Schemes: []string{scheme}})
	rev1 := s.client(ledger.TokenSpec{Name: "reviewer-1", Role: tally.Reviewer, Schemes: []string{scheme}})
	rev2 := s.client(ledger.TokenSpec{Name: "reviewer-2", Role: tally.Reviewer, Schemes: []string{scheme}})
	rev3 := s.client(ledger.TokenSpec{Name: "reviewer-3", Role: tally.Reviewer, Schemes: []string{scheme}})
	admin := s.client(ledger.TokenSpec{Name: "admin-wu", Role: tally.Admin})
	_, err := recorder.AddSubject(ctx, tally.Person, zhang, "张三", nil)
	ok(t, "add", err)
	_, err = recorder.Enrol(ctx, scheme, zhang, "", true, "signed", nil)
	ok(t, "enrol", err)
	if _, err := s.svc.CreateAccount(s.admin, ledger.AccountSpec{Name: "zhangsan", Password: "a long password 1", Role: tally.SubjectR, Subject: zhang}); err != nil {
		t.Fatal(err)
	}
	alias := s.client(ledger.TokenSpec{Name: "zhangsan", Role: tally.Reviewer, Schemes: []string{scheme}})
	me := s.client(ledger.TokenSpec{Name: "zhang", Role: tally.SubjectR, Subject: zhang})
	record := func(c *client.Client, rule, at, ref string, facts map[string]any) int64 {
		t.Helper()
		r, err := c.Record(ctx, scheme, client.Conduct{Subject: zhang, Rule: rule, At: at, Ref: ref, Evidence: "letter", Facts: facts}, nil)
		if err != nil {
			t.Fatalf("record %s: %v", ref, err)
		}
		return r.Record.ID
	}
	object := func(c *client.Client, record int64) int64 {
		t.Helper()
		o, err := c.Object(ctx, client.ObjectionRequest{Scheme: scheme, Subject: zhang, Record: record, Grounds: "repaid"}, nil)
		if err != nil {
			t.Fatalf("object to #%d: %v", record, err)
		}
		return o.ID
	}
	void := client.DecisionRequest{Outcome: tally.Voided, Reasons: "the bank confirms"}

	// A reviewer files for the resident, then tries to decide.
	loan := record(recorder, "finance.loan-default", "2026-11-01", "l/1", nil)
	o := object(rev1, loan)
	_, err = rev1.Decide(ctx, o, void, nil)
	wantStatus(t, "the filer decides", err, 403, "forbidden")
	_, err = alias.Decide(ctx, o, void, nil)
	wantStatus(t, "the subject's namesake decides", err, 403, "forbidden")
	_, err = rev2.Decide(ctx, o, void, nil)
	ok(t, "another reviewer decides", err)

	// An admin who recorded the entry does not decide the objection to it.
	tax := record(admin, "tax.arrears", "2026-11-02", "t/1", nil)
	o = object(me, tax)
	_, err = admin.Decide(ctx, o, void, nil)
	wantStatus(t, "the recording admin decides", err, 403, "forbidden")

	// A correction may not deepen the deduction; it may lessen it. The
	// appeal goes to someone new.
	card := record(recorder, "finance.card-arrears", "2026-11-03", "c/1", map[string]any{"cycles": 2}) // -20
	o = object(me, card)
	n := s.records(scheme)
	_, err = rev1.Decide(ctx, o, client.DecisionRequest{Outcome: tally.Corrected, Reasons: "three", Facts: []string{"cycles=3"}}, nil)
	wantStatus(t, "a harsher correction", err, 400, "invalid")
	var e *client.Error
	if !errors.As(err, &e) || e.Field != "facts" || !strings.Contains(e.Detail, "may only keep or improve") {
		t.Errorf("got %#v, want a problem naming the field facts and saying why", err)
	}
	if got := s.records(scheme); got != n {
		t.Errorf("after the refused correction: %d records, want %d", got, n)
	}
	_, err = rev1.Decide(ctx, o, client.DecisionRequest{Outcome: tally.Corrected, Reasons: "one", Facts: []string{"cycles=1"}}, nil)
	ok(t, "a lighter correction", err)
	ap, err := me.Appeal(ctx, o, "none at all", "", nil)
	ok(t, "appeal", err)
	_, err = rev1.Decide(ctx, ap.ID, client.DecisionRequest{Outcome: tally.Upheld, Reasons: "same"}, nil)
	wantStatus(t, "the first decider decides the appeal", err, 403, "forbidden")
	_, err = rev3.Decide(ctx, ap.ID, client.DecisionRequest{Outcome: tally.Upheld, Reasons: "one cycle is shown"}, nil)
	ok(t, "a new reviewer decides the appeal", err)

	// The applicant of a repair does not decide it.
	fee := record(recorder, "utilities.late-fees", "2026-11-20", "f/1", nil)
	rp, err := rev2.ApplyRepair(ctx, scheme, zhang, fee, "paid on 2026-11-22", nil)
	ok(t, "apply for repair", err)
	_, err = rev2.DecideRepair(ctx, rp.ID, true, "receipt seen", nil)
	wantStatus(t, "the applicant decides the repair", err, 403, "forbidden")
	_, err = rev3.DecideRepair(ctx, rp.ID, true, "receipt seen", nil)
	ok(t, "another reviewer decides the repair", err)
}
