package httpapi_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/httpapi"
	"github.com/tallycredit/tally/ledger"
)

// raw sends a request with a token and returns the status, headers and
// decoded JSON body.
func raw(t *testing.T, method, url, token, contentType, body string, header map[string]string) (int, http.Header, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if len(data) > 0 {
		if err := json.Unmarshal(data, &out); err != nil {
			t.Fatalf("%s %s: body is not JSON: %q", method, url, data)
		}
	}
	return resp.StatusCode, resp.Header, out
}

func recorderToken(t *testing.T, s *server) string {
	t.Helper()
	secret, _, err := s.svc.CreateToken(s.admin, ledger.TokenSpec{Name: "recorder-7", Role: tally.Recorder})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.AddSubject(s.admin, ledger.NewSubject{Kind: tally.Person, Identifier: zhang, Name: "张三"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.Enrol(s.admin, ledger.Enrolment{Scheme: "jiakuang-majia", Identifier: zhang, Consent: true}); err != nil {
		t.Fatal(err)
	}
	return secret
}

// Bad requests get RFC 9457 problems naming the fault; none writes anything.
func TestProblemsNameTheFault(t *testing.T) {
	s := startServer(t, httpapi.Config{MaxBody: 512})
	s.publish("village.yaml")
	token := recorderToken(t, s)
	records := s.url + "/api/v1/schemes/jiakuang-majia/records"
	for _, tc := range []struct {
		name, body string
		status     int
		code       string
		field      string
	}{
		{"not JSON", `{"subject": `, 400, "malformed", ""},
		{"wrong type", `{"subject": 360426199101010071}`, 400, "malformed", "/subject"},
		{"unknown field", `{"subject": "x", "colour": "red"}`, 400, "malformed", "/colour"},
		{"two values", `{} {}`, 400, "malformed", ""},
		{"too large", `{"evidence": "` + strings.Repeat("x", 600) + `"}`, 413, "too_large", ""},
		{"no time", `{"subject": "` + zhang + `", "rule": "labour.volunteer", "ref": "a"}`, 400, "invalid", "at"},
		{"bad fact", `{"subject": "` + zhang + `", "rule": "labour.volunteer", "facts": {"hours": "eight"}, "at": "2026-03-02", "ref": "a"}`, 400, "invalid", "facts.hours"},
		{"unknown rule", `{"subject": "` + zhang + `", "rule": "sleep", "at": "2026-03-02", "ref": "a"}`, 404, "not_found", ""},
		{"future", `{"subject": "` + zhang + `", "rule": "labour.volunteer", "facts": {"hours": 8}, "at": "2027-01-01", "ref": "a"}`, 400, "invalid", "at"},
	} {
		status, header, body := raw(t, "POST", records, token, "application/json", tc.body, nil)
		if status != tc.status || body["code"] != tc.code || body["status"] != float64(tc.status) {
			t.Errorf("%s: %d %v, want %d %s", tc.name, status, body, tc.status, tc.code)
		}
		if ct := header.Get("Content-Type"); ct != "application/problem+json" {
			t.Errorf("%s: Content-Type %q, want application/problem+json", tc.name, ct)
		}
		if tc.field != "" && body["field"] != tc.field {
			t.Errorf("%s: field %v, want %q", tc.name, body["field"], tc.field)
		}
	}
	if n := s.records("jiakuang-majia"); n != 0 {
		t.Errorf("records = %d after bad requests, want 0", n)
	}
}

// A write with an Idempotency-Key runs once: a retry gets the first answer;
// the same key with another body is a conflict.
func TestIdempotencyKey(t *testing.T) {
	s := startServer(t, httpapi.Config{})
	s.publish("village.yaml")
	token := recorderToken(t, s)
	records := s.url + "/api/v1/schemes/jiakuang-majia/records"
	body := `{"subject": "` + zhang + `", "rule": "labour.volunteer", "facts": {"hours": 8}, "at": "2026-03-02", "ref": "k/1"}`
	key := map[string]string{"Idempotency-Key": "try-1"}
	status, _, first := raw(t, "POST", records, token, "application/json", body, key)
	if status != 201 {
		t.Fatalf("first: %d %v", status, first)
	}
	status, header, again := raw(t, "POST", records, token, "application/json", body, key)
	if status != 201 || header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("retry: %d replayed=%q, want 201 replayed", status, header.Get("Idempotent-Replayed"))
	}
	a, _ := json.Marshal(first)
	b, _ := json.Marshal(again)
	if string(a) != string(b) {
		t.Errorf("retry body %s, want the first %s", b, a)
	}
	other := strings.Replace(body, `"hours": 8`, `"hours": 4`, 1)
	status, _, p := raw(t, "POST", records, token, "application/json", other, key)
	if status != 409 || p["code"] != "conflict" {
		t.Errorf("same key, other body: %d %v, want 409 conflict", status, p)
	}
	if n := s.records("jiakuang-majia"); n != 1 {
		t.Errorf("records = %d, want 1", n)
	}
}

// Too many requests from one token get 429 with Retry-After.
func TestRateLimit(t *testing.T) {
	s := startServer(t, httpapi.Config{Rate: 1, Burst: 3})
	s.publish("village.yaml")
	token := recorderToken(t, s)
	var last int
	var header http.Header
	for i := 0; i < 5; i++ {
		last, header, _ = raw(t, "GET", s.url+"/api/v1/me", token, "", "", nil)
	}
	if last != 429 || header.Get("Retry-After") == "" {
		t.Errorf("6th request in a burst of 3: %d Retry-After %q, want 429 with Retry-After", last, header.Get("Retry-After"))
	}
}

func TestHealthReadinessAndMetrics(t *testing.T) {
	s := startServer(t, httpapi.Config{})
	for _, path := range []string{"/healthz", "/readyz"} {
		if status, _, _ := raw(t, "GET", s.url+path, "", "", "", nil); status != 200 {
			t.Errorf("%s: %d, want 200", path, status)
		}
	}
	admin, _, err := s.svc.CreateToken(s.admin, ledger.TokenSpec{Name: "ops", Role: tally.Admin})
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest("GET", s.url+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer "+admin)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	text, _ := io.ReadAll(resp.Body)
	if !strings.Contains(string(text), `tally_http_requests_total{method="GET",route="GET /healthz",status="200"} 1`) {
		t.Errorf("metrics lack the healthz request count:\n%.2000s", text)
	}
}

// A path or method the API does not have is a problem document too. (The
// server is called directly: the contract check rightly refuses routes
// the document does not have.)
func TestUnknownRoutesAreProblems(t *testing.T) {
	s := startServer(t, httpapi.Config{})
	api := httpapi.New(s.svc, slog.New(slog.NewTextHandler(io.Discard, nil)), nil, httpapi.Config{})
	for _, tc := range []struct{ method, path string }{{"GET", "/api/v1/nothing"}, {"DELETE", "/api/v1/schemes"}} {
		rec := httptest.NewRecorder()
		api.ServeHTTP(rec, httptest.NewRequest(tc.method, tc.path, nil))
		if rec.Code != 404 || rec.Header().Get("Content-Type") != "application/problem+json" || !strings.Contains(rec.Body.String(), `"code":"not_found"`) {
			t.Errorf("%s %s: %d %s %s, want a 404 problem", tc.method, tc.path, rec.Code, rec.Header().Get("Content-Type"), rec.Body)
		}
	}
}

// A refused rulebook comes back with every problem and its line, as lint
// gives them.
func TestRefusedRulebookListsItsProblems(t *testing.T) {
	s := startServer(t, httpapi.Config{})
	secret, _, err := s.svc.CreateToken(s.admin, ledger.TokenSpec{Name: "office", Role: tally.RuleMaker})
	if err != nil {
		t.Fatal(err)
	}
	bad := `scheme: bad
name: {zh: 坏, en: Bad}
subjects: [person]
base: 0
effective: 2026-01-01
categories:
  c: {zh: 类, en: C}
rules:
  - code: noise
    title: {zh: 噪音, en: Noise}
    category: c
    points: -5
`
	status, _, body := raw(t, "POST", s.url+"/api/v1/rulebooks?filename=bad.yaml", secret, "application/yaml", bad, nil)
	problems, _ := body["problems"].([]any)
	if status != 400 || body["code"] != "invalid" || len(problems) < 4 {
		t.Fatalf("publish a bad rulebook: %d %v, want 400 with its problems (basis, severity, lasts, cap)", status, body)
	}
	first, _ := problems[0].(map[string]any)
	if first["line"] != float64(9) || first["rule"] != "noise" {
		t.Errorf("first problem %v, want line 9 of rule noise", first)
	}
}
