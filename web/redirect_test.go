package web_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Redirect targets a page accepts from its request (sign-in's next=, the
// language switch's back=): a bad one must be refused before a browser
// gets to normalise it into another site's address.
var (
	badTargets = []string{
		"/\t/evil.example",
		"/\n/evil.example",
		"/\r\n/evil.example",
		"/\x00/evil.example",
		"\x00",
		"/\x7f/evil.example",
		"/\\evil.example",
		"/\\/evil.example",
		"\\\\evil.example",
		"//evil",
		"//evil.example/me",
		"///evil.example",
		"https://evil",
		"http:evil.example",
		"javascript:alert(1)",
		"data:text/html,hi",
		"https:/evil.example",
		" /x",
		"\t/x",
		"/x ",
		"evil.example",
		"me",
		"",
		"/%09/evil.example",
		"/%0a/evil.example",
		"/%0D%0A/evil.example",
		"/%00",
		"/%5Cevil.example",
		"/%5c/evil.example",
		"/%2F/evil.example",
		"/%2f%2fevil.example",
		"%2F%2Fevil.example",
		"/%zz",
		"/me\\",
		"//user@evil.example",
		"/" + strings.Repeat("a", 3000),
	}
	goodTargets = []string{
		"/me",
		"/record?x=1",
		"/record/jiakuang-majia/1/labour.volunteer?note=two+lines%0D%0Aof+text&ref=web-1",
		"/schemes/jiakuang-majia",
		"/admin#accounts",
		"/",
	}
)

// where sends a request without following its redirect, through the
// transport alone (a client would refuse to parse a bad Location), and
// returns the status and the Location header.
func where(t *testing.T, req *http.Request) (int, string) {
	t.Helper()
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return 0, err.Error()
	}
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("Location")
}

// The language switch goes back only to a page on this site; anything
// else goes to the home page.
func TestLanguageSwitchRedirectsOnlyHome(t *testing.T) {
	s := newSite(t)
	check := func(target, want string) {
		t.Helper()
		req, _ := http.NewRequest("GET", s.url+"/lang/en?back="+url.QueryEscape(target), nil)
		if status, got := where(t, req); status != http.StatusSeeOther || got != want {
			t.Errorf("back=%q: %d to %q, want 303 to %q", target, status, got, want)
		}
	}
	for _, target := range badTargets {
		check(target, "/")
	}
	for _, target := range goodTargets {
		check(target, target)
	}
}

// Sign-in goes on to next= only when it is a page on this site; anything
// else goes to the role's own page.
func TestSignInRedirectsOnlyHome(t *testing.T) {
	s := newSite(t)
	check := func(target, want string) {
		t.Helper()
		form := url.Values{"name": {"zhang"}, "password": {password}, "next": {target}}
		req, _ := http.NewRequest("POST", s.url+"/signin", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if status, got := where(t, req); status != http.StatusSeeOther || got != want {
			t.Errorf("next=%q: %d to %q, want 303 to %q", target, status, got, want)
		}
	}
	for _, target := range badTargets {
		check(target, "/me")
	}
	for _, target := range goodTargets {
		check(target, target)
	}
	// The sign-in page does not carry a bad next= into its form either.
	resp, err := http.Get(s.url + "/signin?next=" + url.QueryEscape("/\t/evil.example"))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var page strings.Builder
	_, _ = io.Copy(&page, resp.Body)
	if !strings.Contains(page.String(), `name="next" value=""`) {
		t.Error("the sign-in page carries a bad next= in its form")
	}
}
