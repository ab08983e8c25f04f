package httpapi_test

import (
	"net/url"
	"strconv"
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/client"
	"github.com/tallycredit/tally/httpapi"
	"github.com/tallycredit/tally/ledger"
)

// From the objection on, a check that denies on the entry says
// "disputed": true and the eligibility reason too; the denial stands. Once
// the objection is decided the flag is gone.
func TestCheckAnswerCarriesDisputed(t *testing.T) {
	s := startListServer(t)
	s.ready()
	court := s.token(ledger.TokenSpec{Name: "荣成市人民法院", Role: tally.Agency, Categories: []string{"judgment-defaulters"}})
	airline := s.token(ledger.TokenSpec{Name: "airline", Role: tally.Verifier, Categories: []string{"air-travel"}})
	admin := s.token(ledger.TokenSpec{Name: "registry", Role: tally.Admin})
	judge := s.token(ledger.TokenSpec{Name: "judge", Role: tally.Reviewer})
	if status, _, e := raw(t, "POST", s.url+"/api/v1/lists/judgment-defaulters/entries", court, "application/json", listing, nil); status != 201 {
		t.Fatalf("listing: %d %v", status, e)
	}
	me := s.token(ledger.TokenSpec{Name: "zhang", Role: tally.SubjectR, Subject: zhang})
	shows := func(when string, want bool) {
		t.Helper()
		for _, path := range []string{"/api/v1/checks", "/api/v1/checks/batch"} {
			body := `{"subject": "` + zhang + `", "name": "张三", "measure": "air-travel"}`
			if path == "/api/v1/checks/batch" {
				body = `{"measure": "air-travel", "items": [{"subject": "11010519491231002X", "name": "赵六"}, {"subject": "` + zhang + `", "name": "张三"}]}`
			}
			status, _, a := raw(t, "POST", s.url+path, airline, "application/json", body, nil)
			if items, ok := a["items"].([]any); ok && len(items) == 2 {
				if items[0].(map[string]any)["disputed"] != nil {
					t.Errorf("%s: batch item allowed is %v, want no disputed field", when, items[0])
				}
				a = items[1].(map[string]any)
			}
			if got, _ := a["disputed"].(bool); status != 200 || a["answer"] != "denied" || got != want {
				t.Errorf("%s: %s answered %d %v, want denied, disputed %v", when, path, status, a, want)
			}
		}
		q := url.Values{"measure": {"air-travel"}, "purpose": {"objection review"}}
		status, _, el := raw(t, "GET", s.url+"/api/v1/subjects/"+zhang+"/eligibility?"+q.Encode(), admin, "", "", nil)
		reasons, _ := el["reasons"].([]any)
		if status != 200 || el["allowed"] != false || len(reasons) != 1 {
			t.Fatalf("%s: eligibility %d %v, want denied on one entry", when, status, el)
		}
		if got, _ := reasons[0].(map[string]any)["disputed"].(bool); got != want {
			t.Errorf("%s: eligibility reason %v, want disputed %v", when, reasons[0], want)
		}
	}
	shows("before the objection", false)
	status, _, o := raw(t, "POST", s.url+"/api/v1/objections", me, "application/json",
		`{"subject": "`+zhang+`", "list": "judgment-defaulters", "case_number": "(2025)鲁1082执123号", "grounds": "I performed the judgment"}`, nil)
	if status != 201 {
		t.Fatalf("objection: %d %v", status, o)
	}
	shows("once the objection is filed", true)
	id := url.PathEscape(formatID(o["id"]))
	if status, _, d := raw(t, "POST", s.url+"/api/v1/objections/"+id+"/decision", judge, "application/json",
		`{"outcome": "upheld", "reasons": "the creditor was not paid"}`, nil); status != 200 {
		t.Fatalf("decision: %d %v", status, d)
	}
	shows("once the objection is decided", false)
}

// A subject's history through the API says "disputed": true on the record
// objected to, from the objection until its decision.
func TestHistoryCarriesDisputed(t *testing.T) {
	s := startServer(t, httpapi.Config{})
	s.publish("city.yaml")
	reviewer := s.token(ledger.TokenSpec{Name: "reviewer-2", Role: tally.Reviewer, Schemes: []string{"rongcheng-city"}})
	rec := s.client(ledger.TokenSpec{Name: "recorder-7", Role: tally.Recorder, Schemes: []string{"rongcheng-city"}})
	ctx := t.Context()
	_, err := rec.AddSubject(ctx, tally.Person, zhang, "张三", nil)
	ok(t, "add", err)
	_, err = rec.Enrol(ctx, "rongcheng-city", zhang, "", true, "signed", nil)
	ok(t, "enrol", err)
	_, err = rec.Record(ctx, "rongcheng-city", client.Conduct{Subject: zhang, Rule: "finance.loan-default", At: "2026-11-01", Ref: "l/1", Evidence: "bank"}, nil)
	ok(t, "record", err)
	me := s.token(ledger.TokenSpec{Name: "zhang", Role: tally.SubjectR, Subject: zhang})
	disputed := func() any {
		t.Helper()
		status, _, page := raw(t, "GET", s.url+"/api/v1/schemes/rongcheng-city/subjects/"+zhang+"/records", me, "", "", nil)
		items, _ := page["items"].([]any)
		if status != 200 || len(items) != 1 {
			t.Fatalf("history: %d %v, want one record", status, page)
		}
		return items[0].(map[string]any)["disputed"]
	}
	if got := disputed(); got != nil {
		t.Errorf("before the objection: disputed %v, want no field", got)
	}
	status, _, o := raw(t, "POST", s.url+"/api/v1/objections", me, "application/json",
		`{"scheme": "rongcheng-city", "subject": "`+zhang+`", "record": 1, "grounds": "repaid"}`, nil)
	if status != 201 {
		t.Fatalf("objection: %d %v", status, o)
	}
	if got := disputed(); got != true {
		t.Errorf("once the objection is filed: disputed %v, want true", got)
	}
	if status, _, d := raw(t, "POST", s.url+"/api/v1/objections/"+formatID(o["id"])+"/decision", reviewer, "application/json",
		`{"outcome": "upheld", "reasons": "the bank shows the default"}`, nil); status != 200 {
		t.Fatalf("decision: %d %v", status, d)
	}
	if got := disputed(); got != nil {
		t.Errorf("once the objection is decided: disputed %v, want no field", got)
	}
}

// formatID writes a JSON number as an ID.
func formatID(v any) string {
	f, _ := v.(float64)
	return strconv.FormatInt(int64(f), 10)
}
