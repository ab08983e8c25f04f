package web_test

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tallycredit/tally/web"
)

var (
	kioskReportLink = regexp.MustCompile(`href="(/kiosk/report/[A-Za-z0-9_-]+)"`)
	kioskRefresh    = regexp.MustCompile(`<meta http-equiv="refresh" content="([0-9]+);\s*url=([^"]+)">`)
	kioskEndToken   = regexp.MustCompile(`name="session" value="([A-Za-z0-9_-]+)"`)
)

// kioskSite is a site with reports whose kiosk sessions last timeout
// (zero: the default).
func kioskSite(t *testing.T, timeout time.Duration) *site {
	t.Helper()
	s := newSite(t)
	return servedWith(t, s, web.Options{Reports: issuer(t, s), KioskTimeout: timeout})
}

// kioskSignIn gets a one-time code for id at the desk and types it at
// the kiosk, leaving the kiosk user on the page that follows.
func kioskSignIn(t *testing.T, s *site, id, lang string) *user {
	t.Helper()
	code := deskCode(t, s, id)
	kiosk := s.user(lang)
	kiosk.get("/kiosk")
	kiosk.post("/kiosk", url.Values{"id": {id}, "code": {code}, "purpose": {"home-loan"}})
	return kiosk
}

// deskCode is a one-time kiosk code for id, as the desk issues it.
func deskCode(t *testing.T, s *site, id string) string {
	t.Helper()
	desk := s.signIn("admin", "zh")
	desk.get("/kiosk/codes")
	desk.post("/kiosk/codes", url.Values{"id": {id}})
	m := kioskCode.FindStringSubmatch(desk.page)
	if m == nil {
		t.Fatalf("no code on the desk's page: %d\n%s", desk.status, desk.page)
	}
	return m[1]
}

// After the code is typed, the kiosk shows a page, not the PDF: whose
// session it is by the masked name only, a link to the report, and a
// refresh back to an empty kiosk after the default 60 s; nothing of it is
// kept by the browser.
func TestKioskSessionPage(t *testing.T) {
	s := kioskSite(t, 0)
	kiosk := kioskSignIn(t, s, zhang, "zh")
	if kiosk.status != 200 || strings.HasPrefix(kiosk.page, "%PDF") {
		t.Fatalf("after the code: %d %.100q, want a page", kiosk.status, kiosk.page)
	}
	kiosk.has("the session page", catalogueText(t, "zh", "kiosk.whose", "张*"))
	kiosk.lacks("the session page", "张伟", zhang, "3604**********0071")
	m := kioskRefresh.FindStringSubmatch(kiosk.page)
	if m == nil || m[1] != "60" || m[2] != "/kiosk" {
		t.Errorf("refresh %q, want 60 s back to /kiosk", m)
	}
	if !strings.Contains(kiosk.page, catalogueText(t, "zh", "kiosk.ends", 60)) {
		t.Errorf("the page does not say the session ends in 60 s")
	}
	link := kioskReportLink.FindStringSubmatch(kiosk.page)
	if link == nil {
		t.Fatalf("no report link on the session page:\n%s", kiosk.page)
	}
	resp := getRaw(t, s.url+link[1])
	if resp.status != 200 || !strings.HasPrefix(resp.body, "%PDF") || resp.header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("the report link: %d %s %.20q, want the PDF", resp.status, resp.header.Get("Content-Type"), resp.body)
	}
	if got := resp.header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("the PDF's Cache-Control is %q, want no-store", got)
	}
	page := postRaw(t, s.url+"/kiosk", url.Values{"id": {li}, "code": {"00000000"}, "purpose": {"job"}})
	if got := page.header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("the kiosk page's Cache-Control is %q, want no-store", got)
	}
}

// Both languages show the masked name; a two-character given name masks
// each hidden character.
func TestKioskSessionMasksName(t *testing.T) {
	s := kioskSite(t, 0)
	en := kioskSignIn(t, s, li, "en")
	en.has("the English session page", catalogueText(t, "en", "kiosk.whose", "李*"))
	en.lacks("the English session page", "李娜")
}

// The session's timeout is configurable; the report link stops working
// once it has passed, and at once when the resident ends the session.
func TestKioskSessionEnds(t *testing.T) {
	s := kioskSite(t, 90*time.Second)
	kiosk := kioskSignIn(t, s, zhang, "zh")
	if m := kioskRefresh.FindStringSubmatch(kiosk.page); m == nil || m[1] != "90" {
		t.Errorf("refresh %q, want 90 s", m)
	}
	link := kioskReportLink.FindStringSubmatch(kiosk.page)
	if link == nil {
		t.Fatalf("no report link:\n%s", kiosk.page)
	}
	s.clock.Add(89 * time.Second)
	if r := getRaw(t, s.url+link[1]); r.status != 200 {
		t.Errorf("the link within the session: %d, want 200", r.status)
	}
	s.clock.Add(2 * time.Second)
	r := getRaw(t, s.url+link[1])
	if r.status != 410 || strings.HasPrefix(r.body, "%PDF") {
		t.Errorf("the link after the session: %d %.20q, want 410 and no PDF", r.status, r.body)
	}
	if !strings.Contains(r.body, catalogueText(t, "zh", "kiosk.ended")) {
		t.Errorf("the expired link does not say the session ended:\n%s", r.body)
	}

	kiosk = kioskSignIn(t, s, li, "zh")
	link = kioskReportLink.FindStringSubmatch(kiosk.page)
	token := kioskEndToken.FindStringSubmatch(kiosk.page)
	if link == nil || token == nil {
		t.Fatalf("no report link or end button:\n%s", kiosk.page)
	}
	if !strings.Contains(kiosk.page, catalogueText(t, "zh", "kiosk.end_now")) {
		t.Errorf("no end-now button")
	}
	kiosk.post("/kiosk/end", url.Values{"session": {token[1]}})
	if kiosk.status != 200 || kiosk.where != "/kiosk" {
		t.Errorf("end now: %d at %s, want the empty kiosk", kiosk.status, kiosk.where)
	}
	if r := getRaw(t, s.url+link[1]); r.status != 410 {
		t.Errorf("the link after end now: %d, want 410", r.status)
	}
	if r := getRaw(t, s.url+"/kiosk/report/not-a-session"); r.status != 410 {
		t.Errorf("a made-up link: %d, want 410", r.status)
	}
}

// rawAnswer is an answer read without following redirects or keeping
// cookies: what a fresh browser at the kiosk gets.
type rawAnswer struct {
	status int
	header http.Header
	body   string
}

func getRaw(t *testing.T, u string) rawAnswer {
	t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	return doRaw(t, req)
}

func postRaw(t *testing.T, u string, form url.Values) rawAnswer {
	t.Helper()
	req, _ := http.NewRequest("POST", u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return doRaw(t, req)
}

func doRaw(t *testing.T, req *http.Request) rawAnswer {
	t.Helper()
	req.Header.Set("Accept-Language", "zh-CN")
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return rawAnswer{resp.StatusCode, resp.Header, string(body)}
}
