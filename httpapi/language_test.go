package httpapi_test

import (
	"strings"
	"testing"

	"github.com/tallycredit/tally/httpapi"
)

// A problem's title and detail are in the language the request asks for,
// Chinese when it asks for none; its type, code, status and field are the
// same in both, for clients to branch on, and the data a detail names
// (a field, a line, a size) is kept.
func TestProblemsSpeakTheRequestsLanguage(t *testing.T) {
	s := startServer(t, httpapi.Config{MaxBody: 512})
	s.publish("village.yaml")
	token := recorderToken(t, s)
	records := s.url + "/api/v1/schemes/jiakuang-majia/records"
	for _, tc := range []struct {
		name, method, url, contentType, body string
		status                               int
		code, field                          string
		zh, en                               []string // the title, then what the detail says
	}{
		{"a field at fault", "POST", records, "application/json", `{"subject": "x", "colour": "red"}`, 400, "malformed", "/colour",
			[]string{"请求格式有误", `未知字段 "colour"`}, []string{"Malformed request", `unknown field "colour"`}},
		{"a row at fault", "POST", s.url + "/api/v1/imports", "text/csv",
			"scheme,subject,rule,at,ref\njiakuang-majia,360426199101010071,\"labour.volunteer,2026-03-02,q/1\n", 400, "invalid", "rule",
			[]string{"输入有误", "因此未导入任何内容：第 2 行第 35 列（rule）"}, []string{"Invalid input", "nothing was imported: line 2, column 35 (rule)"}},
		{"a value refused", "GET", s.url + "/api/v1/schemes?limit=0", "", "", 400, "invalid", "limit",
			[]string{"输入有误", "输入有误，未作任何更改："}, []string{"Invalid input", "want a number"}},
		{"not found", "GET", s.url + "/api/v1/schemes/jiakuang-majia/versions/9", "", "", 404, "not_found", "",
			[]string{"未找到", "未找到：", `"9"`}, []string{"Not found", `"9"`}},
		{"forbidden", "GET", s.url + "/api/v1/schemes/jiakuang-majia/subjects/360426199101010071/score?purpose=test", "", "", 403, "forbidden", "",
			[]string{"无权操作", "无权这样做："}, []string{"Forbidden", "may not read"}},
		{"too large", "POST", records, "application/json", `{"evidence": "` + strings.Repeat("x", 600) + `"}`, 413, "too_large", "",
			[]string{"请求内容过大", "请求内容超过 512 字节"}, []string{"Request too large", "larger than 512 bytes"}},
	} {
		for lang, want := range map[string][]string{"": tc.zh, "en-GB,en;q=0.9": tc.en, "fr": tc.zh} {
			h := map[string]string{"Accept-Language": lang}
			status, header, p := raw(t, tc.method, tc.url, token, tc.contentType, tc.body, h)
			wantLang := "zh"
			if strings.HasPrefix(lang, "en") {
				wantLang = "en"
			}
			detail, _ := p["detail"].(string)
			if status != tc.status || p["code"] != tc.code || p["type"] != "urn:tally:problem:"+tc.code || p["status"] != float64(tc.status) ||
				(tc.field != "" && p["field"] != tc.field) || header.Get("Content-Language") != wantLang || p["title"] != want[0] {
				t.Errorf("%s, Accept-Language %q: %d %s %v, want %d %s at %q titled %q, Content-Language %s",
					tc.name, lang, status, header.Get("Content-Language"), p, tc.status, tc.code, tc.field, want[0], wantLang)
			}
			for _, says := range want[1:] {
				if !strings.Contains(detail, says) {
					t.Errorf("%s, Accept-Language %q: detail %q, want it to say %q", tc.name, lang, detail, says)
				}
			}
		}
	}

	if err := s.db.Close(); err != nil {
		t.Fatal(err)
	}
	for lang, want := range map[string][2]string{"": {"暂时无法处理", "数据库暂时无法应答"}, "en": {"Temporarily unavailable", "unavailable"}} {
		// The schemes are read on every request (the token, remembered, is not).
		status, header, p := raw(t, "GET", s.url+"/api/v1/schemes", token, "", "", map[string]string{"Accept-Language": lang})
		if detail, _ := p["detail"].(string); status != 503 || p["code"] != "unavailable" || p["title"] != want[0] || !strings.Contains(detail, want[1]) ||
			header.Get("Retry-After") == "" {
			t.Errorf("database closed, Accept-Language %q: %d %v, want 503 unavailable titled %q saying %q", lang, status, p, want[0], want[1])
		}
	}
}
