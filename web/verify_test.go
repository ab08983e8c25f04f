package web_test

import (
	"crypto/ed25519"
	"net/url"
	"strings"
	"testing"

	"github.com/tallycredit/tally/report"
)

// Whoever holds a paper report types its code into the /verify form, in
// lowercase, with spaces or in full-width characters, and sees what was
// issued; a wrong code is named as wrong in the page's language. The page
// shows the public key that checks a report's signature offline.
func TestVerifyForm(t *testing.T) {
	s := newSite(t)
	is := issuer(t, s)
	s = withReportsFrom(t, s, is)
	october(t, s)
	issued, _, err := is.Issue(s.admin, zhang, "home loan", "zh")
	if err != nil {
		t.Fatal(err)
	}
	key := report.PublicKeyText(is.Key.Public().(ed25519.PublicKey))

	bank := s.user("zh")
	bank.get("/verify")
	if bank.status != 200 {
		t.Fatalf("GET /verify: %d, want the form", bank.status)
	}
	bank.has("verify form", `<form method="get" action="/verify"`, `name="code"`, key, "tally verify", "--public-key")

	lower := strings.ToLower(issued.Code)
	spaced := strings.Join(strings.Split(issued.Code, "-"), " - ")
	wide := toFullWidth(issued.Code)
	for _, typed := range []string{issued.Code, lower, " " + spaced + " ", wide} {
		bank.get("/verify?" + url.Values{"code": {typed}}.Encode())
		if bank.status != 200 {
			t.Errorf("code typed as %q: %d, want 200", typed, bank.status)
		}
		bank.has("verified as "+typed, "由本机构出具", issued.Code, "3604**********0071")
	}
	for _, lang := range []struct{ lang, says string }{{"zh", "没有以验证码"}, {"en", "No report was issued with the code"}} {
		u := s.user(lang.lang)
		u.get("/verify?code=AAAAA-BBBBB-CCCCC")
		if u.status != 404 {
			t.Errorf("a wrong code (%s): %d, want 404", lang.lang, u.status)
		}
		u.has("a wrong code ("+lang.lang+")", lang.says, "AAAAA-BBBBB-CCCCC", `name="code"`)
	}
	bank.get("/verify?code=")
	if bank.status != 200 {
		t.Errorf("an empty code: %d, want the form again", bank.status)
	}
}

// toFullWidth writes ASCII letters, digits and hyphens as their
// full-width forms, as a Chinese input method types them.
func toFullWidth(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r > ' ' && r < 0x7f {
			r += 0xFEE0
		}
		b.WriteRune(r)
	}
	return b.String()
}
