package httpapi_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/client"
	"github.com/tallycredit/tally/examples"
	"github.com/tallycredit/tally/httpapi"
	"github.com/tallycredit/tally/ledger"
)

// token returns the secret of a new token for spec.
func (s *server) token(spec ledger.TokenSpec) string {
	s.t.Helper()
	secret, _, err := s.svc.CreateToken(s.admin, spec)
	if err != nil {
		s.t.Fatal(err)
	}
	return secret
}

// Rulebooks through the API: anyone lints; an admin publishes, once; every
// version's source can be read back; schemes list a page at a time.
func TestRulebooksThroughTheAPI(t *testing.T) {
	s := startServer(t, httpapi.Config{})
	admin := s.token(ledger.TokenSpec{Name: "registry", Role: tally.Admin})
	src, err := examples.Rulebooks.ReadFile("village.yaml")
	if err != nil {
		t.Fatal(err)
	}
	village := string(src)
	const yaml = "application/yaml"

	status, _, lint := raw(t, "POST", s.url+"/api/v1/rulebooks/lint", "", yaml, village, nil)
	if status != 200 || lint["ok"] != true || lint["scheme"] != "jiakuang-majia" {
		t.Errorf("lint village.yaml: %d %v, want 200 ok", status, lint)
	}
	basis := "    basis:\n      zh: \"村规民约（环境卫生篇）\"\n      en: \"Village covenant (chapter on sanitation)\"\n"
	if !strings.Contains(village, basis) {
		t.Fatal("village.yaml has changed: update this test's deduction without a basis")
	}
	bad := strings.Replace(village, basis, "", 1)
	status, _, lint = raw(t, "POST", s.url+"/api/v1/rulebooks/lint", "", yaml, bad, nil)
	problems, _ := lint["problems"].([]any)
	if status != 200 || lint["ok"] != false || len(problems) == 0 {
		t.Fatalf("lint a deduction without basis: %d %v, want 200 not ok with problems", status, lint)
	}
	if p, _ := problems[0].(map[string]any); p["rule"] != "conduct.littering" || p["line"] == nil || !strings.Contains(p["message"].(string), "依据") {
		t.Errorf("lint problem %v, want rule conduct.littering, a line and a word about its basis, in Chinese by default", p)
	}
	_, _, lint = raw(t, "POST", s.url+"/api/v1/rulebooks/lint", "", yaml, bad, map[string]string{"Accept-Language": "en"})
	problems, _ = lint["problems"].([]any)
	if len(problems) == 0 {
		t.Fatalf("lint in English: %v, want problems", lint)
	}
	if p, _ := problems[0].(map[string]any); !strings.Contains(p["message"].(string), "basis") {
		t.Errorf("lint problem asked in English: %v, want a word about its basis", p)
	}
	status, _, p := raw(t, "POST", s.url+"/api/v1/rulebooks?filename=village.yaml", admin, yaml, bad, nil)
	if status != 400 || p["code"] != "invalid" || !strings.Contains(p["detail"].(string), "basis") {
		t.Errorf("publish a deduction without basis: %d %v, want 400 invalid naming the basis", status, p)
	}

	status, _, pub := raw(t, "POST", s.url+"/api/v1/rulebooks?filename=village.yaml", admin, yaml, village, nil)
	warnings, _ := pub["warnings"].([]any)
	if status != 201 || pub["version"] != float64(1) || pub["unchanged"] != false || len(warnings) == 0 {
		t.Errorf("publish: %d %v, want 201 version 1 with a warning that it takes effect before today", status, pub)
	}
	status, _, pub = raw(t, "POST", s.url+"/api/v1/rulebooks?filename=village.yaml", admin, yaml, village, nil)
	if status != 200 || pub["version"] != float64(1) || pub["unchanged"] != true {
		t.Errorf("publish again: %d %v, want 200 version 1 unchanged", status, pub)
	}
	status, _, v := raw(t, "GET", s.url+"/api/v1/schemes/jiakuang-majia/versions/1", "", "", "", nil)
	if status != 200 || v["source"] != village || v["published_by"] != "registry" {
		t.Errorf("version 1: %d, published by %v, want 200 by registry with the source as published", status, v["published_by"])
	}
	for _, version := range []string{"2", "0", "one"} {
		status, _, p = raw(t, "GET", s.url+"/api/v1/schemes/jiakuang-majia/versions/"+version, "", "", "", nil)
		if status != 404 || p["code"] != "not_found" {
			t.Errorf("version %s: %d %v, want 404 not_found", version, status, p)
		}
	}

	s.publish("city.yaml")
	status, _, page := raw(t, "GET", s.url+"/api/v1/schemes?limit=1", "", "", "", nil)
	if items, _ := page["items"].([]any); status != 200 || len(items) != 1 || page["next_cursor"] != "jiakuang-majia" {
		t.Errorf("first page: %d %v, want one scheme and a cursor", status, page)
	}
	status, _, page = raw(t, "GET", s.url+"/api/v1/schemes?limit=1&cursor=jiakuang-majia", "", "", "", nil)
	if items, _ := page["items"].([]any); status != 200 || len(items) != 1 || page["next_cursor"] != nil {
		t.Errorf("second page: %d %v, want the last scheme and no cursor", status, page)
	}
	status, _, p = raw(t, "GET", s.url+"/api/v1/schemes?limit=0", "", "", "", nil)
	if status != 400 || p["code"] != "invalid" || p["field"] != "limit" {
		t.Errorf("limit=0: %d %v, want 400 invalid at limit", status, p)
	}
}

// The server serves the document it embeds.
func TestServesItsOpenAPIDocument(t *testing.T) {
	s := startServer(t, httpapi.Config{})
	resp, err := http.Get(s.url + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json" || !bytes.Equal(got, httpapi.OpenAPI()) {
		t.Errorf("GET /api/v1/openapi.json: %d %s, %d bytes; want 200 application/json, the embedded document", resp.StatusCode, resp.Header.Get("Content-Type"), len(got))
	}
}

// The recording day through the API: a dry run, a record and its replay, a
// reversal, imports in both formats with a bad row, and the reads that
// show the outcome, each in the subject's access log.
func TestRecordReverseImportAndReadThroughTheAPI(t *testing.T) {
	s := startServer(t, httpapi.Config{})
	s.publish("village.yaml")
	ctx := context.Background()
	const scheme = "jiakuang-majia"
	recorder := s.client(ledger.TokenSpec{Name: "recorder-7", Role: tally.Recorder, Schemes: []string{scheme}})
	reviewer := s.client(ledger.TokenSpec{Name: "reviewer-2", Role: tally.Reviewer, Schemes: []string{scheme}})
	admin := s.client(ledger.TokenSpec{Name: "registry", Role: tally.Admin})

	added, err := recorder.AddSubject(ctx, tally.Person, zhang, "张三", nil)
	ok(t, "add a subject", err)
	if err == nil && (added.Existed || added.Subject != "3604**********0071") {
		t.Errorf("added %+v, want a new, masked subject", added)
	}
	again, err := recorder.AddSubject(ctx, tally.Person, zhang, "张三", nil)
	if err != nil || !again.Existed {
		t.Errorf("add again: %+v %v, want it to exist", again, err)
	}
	_, err = recorder.AddSubject(ctx, tally.Person, zhang, "张四", nil)
	wantStatus(t, "add under another name", err, 409, "conflict")
	_, err = recorder.Enrol(ctx, scheme, zhang, "一组", true, "signed form", nil)
	ok(t, "enrol", err)

	volunteer := client.Conduct{Subject: zhang, Rule: "labour.volunteer", Facts: map[string]any{"hours": 8}, At: "2026-03-02", Ref: "r7/1", DryRun: true}
	dry, err := recorder.Record(ctx, scheme, volunteer, nil)
	if err != nil || !dry.DryRun || dry.Record.ID != 0 || dry.Record.Awarded != 2 {
		t.Errorf("dry run: %+v %v, want +2, nothing written", dry, err)
	}
	volunteer.DryRun = false
	rec, err := recorder.Record(ctx, scheme, volunteer, nil)
	if err != nil || rec.Record.ID == 0 || rec.Unchanged {
		t.Fatalf("record: %+v %v", rec, err)
	}
	replay, err := recorder.Record(ctx, scheme, volunteer, nil)
	if err != nil || !replay.Unchanged || replay.Record.ID != rec.Record.ID {
		t.Errorf("the same ref again: %+v %v, want the first record unchanged", replay, err)
	}
	litter, err := recorder.Record(ctx, scheme, client.Conduct{Subject: zhang, Rule: "conduct.littering", At: "2026-03-05", Ref: "r7/2", Evidence: "photo 12"}, nil)
	if err != nil || litter.Record.Awarded != -10 {
		t.Fatalf("littering: %+v %v, want -10", litter, err)
	}
	rev, err := recorder.Reverse(ctx, scheme, litter.Record.ID, "the wrong person", "r7/2/reversal", nil)
	if err != nil || rev.Record.Reverses != litter.Record.ID || rev.Record.Awarded != 10 {
		t.Errorf("reverse its own record the same day: %+v %v, want +10 pointing at #%d", rev, err, litter.Record.ID)
	}
	_, err = recorder.Reverse(ctx, scheme, litter.Record.ID, "again", "r7/2/reversal-2", nil)
	wantStatus(t, "reverse twice", err, 409, "conflict")
	_, err = recorder.Reverse(ctx, scheme, 999, "no such record", "r7/x", nil)
	wantStatus(t, "reverse a record that is not there", err, 404, "not_found")

	csv := "scheme,subject,rule,at,ref,facts,evidence\n" +
		scheme + "," + zhang + ",labour.volunteer,2026-03-09,r7/3,hours=4,\n" +
		scheme + "," + zhang + ",sleep,2026-03-09,r7/4,,\n" +
		scheme + "," + zhang + ",donation,2026-03-10,r7/5,value=300,receipt 88\n"
	rep, err := recorder.Import(ctx, "text/csv", strings.NewReader(csv), nil)
	if err != nil || rep.Rows != 3 || rep.Recorded != 2 || len(rep.Bad) != 1 || rep.Bad[0].Line != 3 || rep.Bad[0].Code != "not_found" {
		t.Errorf("import CSV: %+v %v, want 3 rows, 2 recorded, line 3 not found", rep, err)
	}
	rep, err = recorder.Import(ctx, "text/csv", strings.NewReader(csv), nil)
	if err != nil || rep.Recorded != 0 || rep.Unchanged != 2 {
		t.Errorf("import CSV again: %+v %v, want 2 unchanged", rep, err)
	}
	jsonl := `{"scheme": "` + scheme + `", "subject": "` + zhang + `", "rule": "neighbours.help", "at": "2026-03-11", "ref": "r7/6"}` + "\n"
	rep, err = recorder.Import(ctx, "application/jsonl", strings.NewReader(jsonl), nil)
	if err != nil || rep.Recorded != 1 {
		t.Errorf("import JSON Lines: %+v %v, want 1 recorded", rep, err)
	}

	// 8 hours: +2; 4 hours: +1; 300 yuan: +3; helping a neighbour: +2; the
	// littering and its reversal: nothing.
	read := &client.Options{Purpose: "objection 3", At: "2026-03-31"}
	ex, err := reviewer.Explain(ctx, scheme, zhang, read)
	if err != nil {
		t.Fatalf("explain: %v", err)
	}
	if ex.Score.Score == nil || *ex.Score.Score != 8 || len(ex.InEffect) != 4 || ex.Marks == nil || ex.Marks.Flags != 1 || ex.Marks.Stars != 2 {
		t.Errorf("explanation: score %v marks %+v with %d records in effect, want 8 (1 flag 2 stars) from 4", ex.Score.Score, ex.Marks, len(ex.InEffect))
	}
	_, err = reviewer.Explain(ctx, scheme, zhang, &client.Options{At: "2026-03-31"})
	wantStatus(t, "explain without a purpose", err, 400, "invalid")

	var history []client.Entry
	for cursor, pages := "", 0; ; pages++ {
		page, err := reviewer.History(ctx, scheme, zhang, cursor, 2, &client.Options{Purpose: "objection 3"})
		if err != nil || pages > 5 {
			t.Fatalf("history page %d: %v", pages, err)
		}
		history = append(history, page.Items...)
		if cursor = page.Next; cursor == "" {
			break
		}
	}
	if len(history) != 6 {
		t.Errorf("history has %d records, want 6: 4 in effect, the littering and its reversal", len(history))
	}
	for _, e := range history {
		if (e.ID == litter.Record.ID) != e.Reversed {
			t.Errorf("history #%d %s: reversed %v", e.ID, e.Rule, e.Reversed)
		}
	}

	// The public sees counts, but not a total that would be one person's score.
	st, err := client.New(s.url, "", nil).Statistics(ctx, scheme, &client.Options{At: "2026-03-31"})
	if err != nil || st["subjects"] != float64(1) || st["scored"] != float64(1) || st["total"] != nil || st["suppressed"] != true {
		t.Errorf("public statistics: %v %v, want 1 subject scored and the total withheld", st, err)
	}
	st, err = admin.Statistics(ctx, scheme, &client.Options{At: "2026-03-31"})
	if err != nil || st["total"] != float64(8) || st["suppressed"] != false {
		t.Errorf("an admin's statistics: %v %v, want 8 points in all, nothing withheld", st, err)
	}

	log, err := admin.AccessLog(ctx, zhang, "", 0, &client.Options{Purpose: "audit"})
	ok(t, "an admin reads the access log", err)
	var seen []string
	for _, e := range log.Items {
		seen = append(seen, e.Actor+" "+e.Action+" "+e.Purpose)
	}
	joined := strings.Join(seen, ", ")
	for _, want := range []string{"recorder-7 add-subject", "recorder-7 dry-run", "recorder-7 reverse", "reviewer-2 explain objection 3", "reviewer-2 history objection 3"} {
		if !strings.Contains(joined, want) {
			t.Errorf("access log %q lacks %q", joined, want)
		}
	}
}
