package httpapi_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// The contract check catches each kind of mismatch, and passes a good
// exchange: without this, a check that passed everything would go unseen.
func TestContractCatchesMismatches(t *testing.T) {
	c, err := newContract() // its own, so these exchanges count for no coverage
	if err != nil {
		t.Fatal(err)
	}
	const (
		me      = `{"name": "ICBC Weihai", "role": "verifier", "schemes": [], "rules": [], "categories": []}`
		problem = `{"type": "urn:tally:problem:not_found", "title": "Not Found", "status": 404, "code": "not_found", "detail": "no scheme"}`
		subject = `{"kind": "person", "id": "360426199101010071", "name": "张三"}`
		masked  = `{"kind": "person", "subject": "3604**********0071", "name": "张三"}`
		score   = `{"scheme": "rongcheng-city", "subject": "3604**********0071", "name": "张三", "as_of": "2026-03-31T23:59:59+08:00",
			"scored": %s, "base": 1000, "score": %s, "grade": %s, "factors": []}`
		score1 = "/api/v1/schemes/rongcheng-city/subjects/360426199101010071/score?purpose=loan"
	)
	scoreOf := func(scored, points, grade string) string { return fmt.Sprintf(score, scored, points, grade) }
	problemType := "application/problem+json"
	for _, tc := range []struct {
		name, method, target, body string
		status                     int
		contentType, respBody      string
		header                     map[string]string
		want                       string // "" for no mismatch
	}{
		{"good", "GET", "/api/v1/me", "", 200, "application/json", me, nil, ""},
		{"good problem", "GET", "/api/v1/schemes/nowhere", "", 404, problemType, problem, nil, ""},
		{"scored", "GET", score1, "", 200, "application/json", scoreOf("true", "950", `"B"`), nil, ""},
		{"unscored", "GET", score1, "", 200, "application/json", scoreOf("false", "null", "null"), nil, ""},
		{"good write", "POST", "/api/v1/subjects", subject, 201, "application/json", masked, nil, ""},
		{"rate limited", "GET", "/api/v1/me", "", 429, problemType, strings.NewReplacer("not_found", "rate_limited", "404", "429").Replace(problem),
			map[string]string{"Retry-After": "2"}, ""},

		{"a field missing", "GET", "/api/v1/me", "", 200, "application/json", strings.Replace(me, `, "categories": []`, "", 1), nil, "response does not match"},
		{"a field more", "GET", "/api/v1/me", "", 200, "application/json", strings.Replace(me, `"rules"`, `"token": "tly_x", "rules"`, 1), nil, "response does not match"},
		{"a wrong type", "GET", score1, "", 200, "application/json", scoreOf("true", `"950"`, `"B"`), nil, "response does not match"},
		{"a field more beside allOf", "GET", score1, "", 200, "application/json", strings.Replace(scoreOf("true", "950", `"B"`), `"factors"`, `"in_effect": [], "factors"`, 1), nil, "response does not match"},
		{"an undocumented status", "GET", "/api/v1/me", "", 404, problemType, problem, nil, "response does not match"},
		{"a JSON problem as text", "GET", "/api/v1/schemes/nowhere", "", 404, "text/plain", problem, nil, "response does not match"},
		{"a problem's code beside its status", "GET", "/api/v1/schemes/nowhere", "", 404, problemType, strings.Replace(problem, `"code": "not_found"`, `"code": "conflict"`, 1), nil, "response does not match"},
		{"429 without Retry-After", "GET", "/api/v1/me", "", 429, problemType, strings.NewReplacer("not_found", "rate_limited", "404", "429").Replace(problem), nil, "response does not match"},
		{"a refused request accepted", "POST", "/api/v1/subjects", strings.Replace(subject, "person", "alien", 1), 201, "application/json", masked, nil, "accepted a request the document refuses"},
		{"a good request called malformed", "POST", "/api/v1/subjects", subject, 400, problemType,
			strings.NewReplacer("not_found", "malformed", "404", "400", "Not Found", "Bad Request").Replace(problem), nil, "calls malformed"},
		{"a query parameter the document does not name", "GET", "/api/v1/me?debug=1", "", 200, "application/json", me, nil, "accepted a request the document refuses"},
		{"a header the document does not name", "POST", "/api/v1/subjects", subject, 201, "application/json", masked, map[string]string{"X-Debug": "1"}, "response does not match"},
		{"a replay header that is not true", "POST", "/api/v1/subjects", subject, 201, "application/json", masked, map[string]string{"Idempotent-Replayed": "yes"}, "response does not match"},
		{"an unknown route", "GET", "/api/v1/nowhere", "", 404, "text/plain", "404 page not found", nil, "no such operation"},
	} {
		r := httptest.NewRequest(tc.method, tc.target, strings.NewReader(tc.body))
		if tc.body != "" {
			r.Header.Set("Content-Type", "application/json")
		}
		if tc.method == "POST" || strings.Contains(tc.target, "/subjects/") {
			r.Header.Set("Authorization", "Bearer tly_test")
		}
		resp := &http.Response{StatusCode: tc.status, Header: http.Header{"Content-Type": {tc.contentType}}, Body: io.NopCloser(strings.NewReader(tc.respBody))}
		for k, v := range tc.header {
			resp.Header.Set(k, v)
		}
		if tc.status == 401 {
			resp.Header.Set("WWW-Authenticate", `Bearer realm="tally"`)
		}
		got := strings.Join(c.mismatches(r, []byte(tc.body), resp), "\n")
		switch {
		case tc.want == "" && got != "":
			t.Errorf("%s: mismatches\n%s\nwant none", tc.name, got)
		case tc.want != "" && !strings.Contains(got, tc.want):
			t.Errorf("%s: mismatches %q, want one saying %q", tc.name, got, tc.want)
		}
	}
}
