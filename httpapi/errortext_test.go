package httpapi_test

import (
	"strings"
	"testing"

	"github.com/tallycredit/tally/httpapi"
)

// The sentence of an error the API or the ledger makes is the problem's
// detail in the request's language: Chinese by default, with no English
// sentence, and English when asked; its code and field stay the same.
func TestErrorSentencesSpeakTheRequestsLanguage(t *testing.T) {
	s := startServer(t, httpapi.Config{})
	s.publish("village.yaml")
	token := recorderToken(t, s)
	records := s.url + "/api/v1/schemes/jiakuang-majia/records"
	for _, tc := range []struct {
		name, method, url, body string
		code, field             string
		zh, en                  string
	}{
		{"a limit out of range", "GET", s.url + "/api/v1/schemes?limit=0", "", "invalid", "limit",
			"应为 1 到 ", "want a number from 1 to "},
		{"no such version", "GET", s.url + "/api/v1/schemes/jiakuang-majia/versions/9", "", "not_found", "",
			`jiakuang-majia 没有版本 "9"`, `scheme jiakuang-majia has no version "9"`},
		{"an unknown person", "POST", records,
			`{"subject": "360426199101010072", "rule": "labour.volunteer", "at": "2026-03-02T10:00:00+08:00", "ref": "zh/1", "facts": {"hours": 8}}`,
			"not_found", "", "没有证件号为 3604**********0072 的人或单位", "no subject with identifier 3604**********0072"},
	} {
		for lang, want := range map[string]string{"": tc.zh, "zh-CN": tc.zh, "en": tc.en} {
			status, _, p := raw(t, tc.method, tc.url, token, "application/json", tc.body, map[string]string{"Accept-Language": lang})
			detail, _ := p["detail"].(string)
			if p["code"] != tc.code || (tc.field != "" && p["field"] != tc.field) || !strings.Contains(detail, want) {
				t.Errorf("%s, Accept-Language %q: %d %v, want %s at %q saying %q", tc.name, lang, status, p, tc.code, tc.field, want)
			}
			if lang != "en" && strings.Contains(detail, tc.en) {
				t.Errorf("%s, Accept-Language %q: detail %q still says %q in English", tc.name, lang, detail, tc.en)
			}
		}
	}
}
