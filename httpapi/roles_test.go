package httpapi_test

import (
	"context"
	"strings"
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/client"
	"github.com/tallycredit/tally/httpapi"
	"github.com/tallycredit/tally/ledger"
)

// Each role, through the real server and the client, does what it may and
// is refused what it may not; refused requests write nothing.
func TestEachRoleThroughTheAPI(t *testing.T) {
	s := startServer(t, httpapi.Config{})
	s.publish("village.yaml")
	s.publish("city.yaml")
	ctx := context.Background()

	public := s.client(ledger.TokenSpec{})
	recorder := s.client(ledger.TokenSpec{Name: "recorder-7", Role: tally.Recorder, Schemes: []string{"jiakuang-majia"}, Rules: []string{"labour.volunteer"}})
	agency := s.client(ledger.TokenSpec{Name: "water-company", Role: tally.Agency, Schemes: []string{"rongcheng-city"}, Categories: []string{"utilities"}})
	reviewer := s.client(ledger.TokenSpec{Name: "reviewer-2", Role: tally.Reviewer, Schemes: []string{"jiakuang-majia"}})
	verifier := s.client(ledger.TokenSpec{Name: "ICBC Weihai", Role: tally.Verifier})
	ruleMaker := s.client(ledger.TokenSpec{Name: "city office", Role: tally.RuleMaker, Schemes: []string{"rongcheng-city"}})

	// Public: rulebooks and aggregates only.
	schemes, err := public.Schemes(ctx, "", 0)
	ok(t, "public lists schemes", err)
	if err == nil && len(schemes.Items) != 2 {
		t.Errorf("schemes = %+v, want 2", schemes.Items)
	}
	_, err = public.Scheme(ctx, "rongcheng-city")
	ok(t, "public reads a rulebook", err)
	_, err = public.Statistics(ctx, "rongcheng-city", nil)
	ok(t, "public reads statistics", err)
	_, err = public.Score(ctx, "jiakuang-majia", zhang, &client.Options{Purpose: "x"})
	wantStatus(t, "public reads a score", err, 401, "unauthorized")
	_, err = client.New(s.url, "tly_forged", nil).Schemes(ctx, "", 0)
	wantStatus(t, "a forged token", err, 401, "unauthorized")

	// Recorder: its subjects, its rule, its scheme.
	_, err = recorder.AddSubject(ctx, tally.Person, zhang, "张三", nil)
	ok(t, "recorder adds a subject", err)
	_, err = recorder.Enrol(ctx, "jiakuang-majia", zhang, "一组", true, "signed form", nil)
	ok(t, "recorder enrols in its scheme", err)
	_, err = recorder.Enrol(ctx, "rongcheng-city", zhang, "", true, "signed form", nil)
	wantStatus(t, "recorder enrols in another scheme", err, 403, "forbidden")
	rec, err := recorder.Record(ctx, "jiakuang-majia", client.Conduct{Subject: zhang, Rule: "labour.volunteer", Facts: map[string]any{"hours": 8}, At: "2026-03-02", Ref: "r7/1"}, nil)
	ok(t, "recorder records its rule", err)
	if err == nil && (rec.Record.Awarded != 2 || rec.Record.RecordedBy != "recorder-7" || rec.Subject.Subject != "3604**********0071") {
		t.Errorf("record = %+v, want +2 by recorder-7 for the masked subject", rec)
	}
	_, err = recorder.Record(ctx, "jiakuang-majia", client.Conduct{Subject: zhang, Rule: "donation", Facts: map[string]any{"value": 300}, At: "2026-03-02", Ref: "r7/2"}, nil)
	wantStatus(t, "recorder records another rule", err, 403, "forbidden")
	_, err = recorder.Score(ctx, "jiakuang-majia", zhang, &client.Options{Purpose: "curious"})
	wantStatus(t, "recorder reads a score", err, 403, "forbidden")

	// Agency: its categories.
	_, err = s.svc.Enrol(s.admin, ledger.Enrolment{Scheme: "rongcheng-city", Identifier: zhang, Consent: true})
	ok(t, "admin enrols in the city", err)
	_, err = agency.Record(ctx, "rongcheng-city", client.Conduct{Subject: zhang, Rule: "utilities.arrears-judgment", At: "2026-03-05", Ref: "w/1", Evidence: "judgment 9"}, nil)
	ok(t, "agency records its category", err)
	_, err = agency.Record(ctx, "rongcheng-city", client.Conduct{Subject: zhang, Rule: "traffic.minor-violation", At: "2026-03-05", Ref: "w/2", Evidence: "x"}, nil)
	wantStatus(t, "agency records another category", err, 403, "forbidden")

	// Reviewer: reads in its scheme with a purpose; reverses.
	_, err = reviewer.Score(ctx, "jiakuang-majia", zhang, &client.Options{Purpose: "objection 3"})
	ok(t, "reviewer reads a score", err)
	_, err = reviewer.Score(ctx, "jiakuang-majia", zhang, nil)
	wantStatus(t, "reviewer reads without a purpose", err, 400, "invalid")
	_, err = reviewer.Score(ctx, "rongcheng-city", zhang, &client.Options{Purpose: "objection 3"})
	wantStatus(t, "reviewer reads outside its scheme", err, 403, "forbidden")
	_, err = reviewer.History(ctx, "jiakuang-majia", zhang, "", 10, &client.Options{Purpose: "objection 3"})
	ok(t, "reviewer reads a history", err)

	// Verifier: one yes/no question, never a score.
	ans, err := verifier.Verify(ctx, client.Question{Scheme: "rongcheng-city", Subject: zhang, GradeAtLeast: "A", Purpose: "home loan"})
	ok(t, "verifier asks", err)
	if err == nil && ans.Answer {
		t.Errorf("verify = %+v, want no: 950 is grade B", ans)
	}
	_, err = verifier.Verify(ctx, client.Question{Scheme: "rongcheng-city", Subject: zhang, GradeAtLeast: "A"})
	wantStatus(t, "verifier asks without a purpose", err, 400, "invalid")
	_, err = verifier.Score(ctx, "rongcheng-city", zhang, &client.Options{Purpose: "home loan"})
	wantStatus(t, "verifier reads a score", err, 403, "forbidden")
	_, err = verifier.History(ctx, "rongcheng-city", zhang, "", 10, &client.Options{Purpose: "home loan"})
	wantStatus(t, "verifier browses", err, 403, "forbidden")

	// Rule-maker: its scheme only.
	src, _ := s.svc.Versions(s.admin, "rongcheng-city")
	_, err = ruleMaker.Publish(ctx, "city.yaml", src[0].Source, nil)
	ok(t, "rule-maker republishes its scheme", err)
	village, _ := s.svc.Versions(s.admin, "jiakuang-majia")
	_, err = ruleMaker.Publish(ctx, "village.yaml", village[0].Source, nil)
	wantStatus(t, "rule-maker publishes another scheme", err, 403, "forbidden")

	// Subject: its own record and access log, nobody else's, and the
	// refusal is the same whether the other person exists or not.
	if _, err := s.svc.AddSubject(s.admin, ledger.NewSubject{Kind: tally.Person, Identifier: li, Name: "李四"}); err != nil {
		t.Fatal(err)
	}
	self := s.client(ledger.TokenSpec{Name: "张三", Role: tally.SubjectR, Subject: zhang})
	sc, err := self.Score(ctx, "rongcheng-city", zhang, nil)
	ok(t, "subject reads its own score", err)
	if err == nil && (sc.Score == nil || *sc.Score != 950 || *sc.Grade != "B") {
		t.Errorf("own score = %+v, want 950 B", sc)
	}
	_, err = self.Score(ctx, "rongcheng-city", li, nil)
	wantStatus(t, "subject reads another's score", err, 403, "forbidden")
	_, err = self.Score(ctx, "rongcheng-city", "11010519491231002X", nil)
	wantStatus(t, "subject reads an unknown person's score", err, 403, "forbidden")
	log, err := self.AccessLog(ctx, zhang, "", 100, nil)
	ok(t, "subject reads its access log", err)
	var seen []string
	for _, e := range log.Items {
		seen = append(seen, e.Actor+" "+e.Action)
	}
	joined := strings.Join(seen, ", ")
	for _, want := range []string{"recorder-7 record", "water-company record", "reviewer-2 score", "ICBC Weihai verify", "张三 score"} {
		if !strings.Contains(joined, want) {
			t.Errorf("access log %q lacks %q", joined, want)
		}
	}
	_, err = self.AccessLog(ctx, li, "", 10, nil)
	wantStatus(t, "subject reads another's access log", err, 403, "forbidden")

	if n := s.records("jiakuang-majia"); n != 1 {
		t.Errorf("village records = %d, want 1: refused requests write nothing", n)
	}
	if n := s.records("rongcheng-city"); n != 1 {
		t.Errorf("city records = %d, want 1", n)
	}
}
