package web_test

import (
	"html"
	"regexp"
	"strings"
	"testing"
)

// kioskLink is every place a kiosk page can send its reader: links,
// forms and refreshes.
var kioskLink = regexp.MustCompile(`(?:href|action)="([^"]*)"|url=([^"]+)"`)

// A person at the city-hall kiosk cannot wander off: the kiosk and its
// session page show no header navigation (no sign-in, no role page), only
// a language switch that comes back to the kiosk, in both languages.
func TestKioskHasNoWayOut(t *testing.T) {
	s := kioskSite(t, 0)
	for _, lang := range []string{"zh", "en"} {
		empty := s.user(lang)
		empty.get("/kiosk")
		session := kioskSignIn(t, s, zhang, lang)
		for _, u := range []*user{empty, session} {
			if u.status != 200 {
				t.Fatalf("%s kiosk page %s: status %d", lang, u.where, u.status)
			}
			u.lacks(lang+" kiosk header", `href="/signin"`, `href="/"`, `action="/signout"`)
			switches := 0
			for _, m := range kioskLink.FindAllStringSubmatch(u.page, -1) {
				to := html.UnescapeString(m[1] + m[2])
				switch {
				case to == "/kiosk", strings.HasPrefix(to, "/kiosk/"), to == "#main", strings.HasPrefix(to, "/static/"):
				case strings.HasPrefix(to, "/lang/") && strings.HasSuffix(to, "?back=%2Fkiosk"):
					switches++
				default:
					t.Errorf("%s kiosk page %s links to %q, off the kiosk", lang, u.where, to)
				}
			}
			if switches != 1 {
				t.Errorf("%s kiosk page %s has %d language switches back to the kiosk, want 1", lang, u.where, switches)
			}
		}
	}
	u := s.user("zh")
	u.get("/kiosk")
	m := regexp.MustCompile(`href="(/lang/en[^"]*)"`).FindStringSubmatch(u.page)
	if m == nil {
		t.Fatal("no language switch on the kiosk")
	}
	u.get(html.UnescapeString(m[1]))
	if u.status != 200 || u.where != "/kiosk" {
		t.Errorf("the language switch went to %s (%d), want back to /kiosk", u.where, u.status)
	}
	u.has("the kiosk in English", "Print my credit report")
}
