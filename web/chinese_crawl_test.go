package web_test

import (
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/demo"
	"github.com/tallycredit/tally/internal/texttest"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/web"
)

// crawlLimit bounds the pages one role's crawl opens: enough to reach
// every kind of page from the demo's start pages, small enough to be quick.
const crawlLimit = 250

// Every page each demo role can reach by following links, in Chinese (the
// default), has no English sentence in it: a Chinese reader must not meet
// legal bases, outcomes, purposes, grades or errors in English. This crawl
// reads the markup, so it also sees text the browser does not render on a
// screen (options of a closed list, what only the printer shows); the
// browser crawl (TestBrowserDemoPagesInChinese) reads what is rendered.
func TestDemoPagesInChineseHaveNoEnglishSentences(t *testing.T) {
	s, sum, allowed := demoCrawlSite(t)
	total := 0
	for _, a := range sum.Accounts {
		found, visited := crawlInChinese(t, s.url, a.Name, a.Password, allowed)
		t.Logf("%s: %d pages", a.Name, visited)
		if visited < 3 {
			t.Errorf("%s: the crawl reached only %d pages", a.Name, visited)
		}
		for _, f := range found {
			t.Errorf("%s: %s", a.Name, f)
		}
		total += len(found)
	}
	t.Logf("English sentences found: %d", total)
}

// demoCrawlSite serves a small demo village (every kind of page, one
// account per role) and returns it with the words the crawl lets through:
// the accounts' names.
func demoCrawlSite(t *testing.T) (*site, *demo.Summary, map[string]bool) {
	t.Helper()
	s := &site{t: t, clock: &clock{}, log: &logBuffer{}}
	s.clock.t = mustShanghai(t, 2026, 11, 26)
	s.admin = ledger.WithPurpose(ledger.WithActor(t.Context(), &tally.Actor{Name: "test-admin", Role: tally.Admin}), "test")
	s.path = filepath.Join(t.TempDir(), "demo.db")
	s.db, s.svc = openLedger(t, s.admin, s.path, s.clock.Now)
	sum, err := demo.Build(s.admin, s.svc, demo.Options{Villagers: 40, Residents: 3, Shops: 2, Now: s.clock.Now()})
	if err != nil {
		t.Fatal(err)
	}
	pages, err := web.New(s.svc, slog.New(slog.NewJSONHandler(io.Discard, nil)), web.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(pages)
	t.Cleanup(srv.Close)
	s.url = srv.URL
	allowed := map[string]bool{}
	for _, a := range sum.Accounts {
		allowed[strings.ToLower(a.Name)] = true
	}
	if len(sum.Accounts) < 5 {
		t.Fatalf("the demo has %d accounts, want one per role", len(sum.Accounts))
	}
	return s, sum, allowed
}

// crawlInChinese signs in and opens, breadth first, every same-site page
// linked from the start page, listing the English sentences it meets.
func crawlInChinese(t *testing.T, base, name, pass string, allowed map[string]bool) (found []string, visited int) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	get := func(path string) (string, string, int, string) {
		req, _ := http.NewRequest("GET", base+path, nil)
		req.Header.Set("Accept-Language", "zh-CN,zh;q=0.9")
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
		return string(body), resp.Request.URL.RequestURI(), resp.StatusCode, resp.Header.Get("Content-Type")
	}
	page, _, _, _ := get("/signin")
	form := url.Values{"name": {name}, "password": {pass}}
	if m := csrfField.FindStringSubmatch(page); m != nil {
		form.Set("csrf", m[1])
	}
	req, _ := http.NewRequest("POST", base+"/signin", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept-Language", "zh-CN,zh;q=0.9")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	start := resp.Request.URL.RequestURI()
	if strings.HasPrefix(start, "/signin") {
		t.Fatalf("%s could not sign in", name)
	}
	seen := map[string]bool{start: true}
	queue := []string{start}
	perPage := map[string]bool{}
	for len(queue) > 0 && visited < crawlLimit {
		path := queue[0]
		queue = queue[1:]
		body, where, status, ctype := get(path)
		visited++
		if !strings.HasPrefix(ctype, "text/html") {
			continue
		}
		if status >= 500 {
			t.Errorf("%s: %s answered %d", name, path, status)
		}
		found = append(found, newEnglish(where, visibleText(body), allowed, perPage)...)
		for _, link := range sameSiteLinks(body, base, where) {
			if !seen[link] && crawlable(link) && len(seen) < 4*crawlLimit {
				seen[link] = true
				queue = append(queue, link)
			}
		}
	}
	sort.Strings(found)
	return found, visited
}

// newEnglish lists the English sentences of a page's text at where that
// no page of the same shape showed before (as told by listed), leaving
// out what the demo's people typed.
func newEnglish(where, text string, allowed, listed map[string]bool) []string {
	for _, typed := range demo.TypedTexts() {
		text = strings.ReplaceAll(text, typed, " ")
	}
	var out []string
	for _, sentence := range texttest.EnglishSentences(text, allowed) {
		key := shapeOf(where) + " " + sentence
		if !listed[key] {
			listed[key] = true
			out = append(out, where+": "+sentence)
		}
	}
	return out
}

var (
	hrefAttr    = regexp.MustCompile(`href="([^"]*)"`)
	digitRun    = regexp.MustCompile(`[0-9]+`)
	hiddenParts = regexp.MustCompile(`(?is)<(script|style|head)\b.*?</(script|style|head)>`)
	anyTag      = regexp.MustCompile(`(?s)<[^>]*>`)
)

// shapeOf is a path with its numbers blurred, so that one finding on a
// thousand person pages is listed once.
func shapeOf(path string) string { return digitRun.ReplaceAllString(path, "N") }

// sameSiteLinks are the page's links that stay on the site, as paths.
func sameSiteLinks(body, base, here string) []string {
	b, _ := url.Parse(base + here)
	var out []string
	for _, m := range hrefAttr.FindAllStringSubmatch(body, -1) {
		u, err := b.Parse(html.UnescapeString(m[1]))
		if err != nil || u.Host != b.Host {
			continue
		}
		u.Fragment = ""
		out = append(out, u.RequestURI())
	}
	return out
}

// crawlable leaves out downloads, signing out and switching language.
func crawlable(path string) bool {
	p := strings.ToLower(strings.SplitN(path, "?", 2)[0])
	for _, skip := range []string{".pdf", ".csv", ".xlsx", ".png", ".svg", ".css", ".js", ".ico", "/signout", "/lang/", "/static/", "/api/", "/pdf", "/csv", "/xlsx", "/download", "/file"} {
		if strings.HasSuffix(p, skip) || strings.Contains(p, skip+"/") || strings.Contains(p, skip+"?") || strings.HasPrefix(p, skip) {
			return false
		}
	}
	return !strings.Contains(strings.ToLower(path), "format=")
}

// visibleText is what a reader sees of a page: no tags, scripts or styles.
func visibleText(body string) string {
	body = hiddenParts.ReplaceAllString(body, " ")
	return html.UnescapeString(anyTag.ReplaceAllString(body, "\n"))
}
