package web_test

// Browser tests: the pages as a person sees them, in headless Chromium
// driven by chromedp, at the width of a cheap phone. They need a Chromium
// binary (chromium, chromium-browser or google-chrome on PATH); without one
// they are skipped on a developer's machine and fail in CI (CI=true), where
// .ci/run installs it. The browser talks only to the test server on
// loopback. Screenshots go to artifacts/screenshots at the repository
// root, or to $TALLY_ARTIFACTS/screenshots.

import (
	"bytes"
	"context"
	"fmt"
	"github.com/tallycredit/tally/catalog"
	"image/png"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

const (
	// browserTimeout bounds a browser test, browser start included;
	// walkTimeout bounds one that walks every main page in both
	// languages (about 10 s on an idle machine, under -race).
	browserTimeout = 60 * time.Second
	walkTimeout    = 3 * time.Minute
	// phoneWidth and phoneHeight are the viewport of a small phone.
	phoneWidth, phoneHeight = 360, 740
	// village is the example scheme the site publishes.
	village = "jiakuang-majia"
	// volunteer is the village rule used throughout: hours/4 points.
	volunteer = "labour.volunteer"
)

// findChromium returns the browser to drive. Without one the test is
// skipped, except in CI, where every test must run.
func findChromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	missing(t, "no Chromium on PATH (chromium, chromium-browser or google-chrome)")
	return ""
}

// browserTab is one tab of a headless Chromium, pointed at a test site.
type browserTab struct {
	t   *testing.T
	s   *site
	ctx context.Context
}

// newBrowser starts a headless Chromium whose language (Accept-Language)
// is lang, with a phone-sized viewport, and returns its first tab. The
// browser stops at the end of the test, or after timeout.
func newBrowser(t *testing.T, s *site, lang string, timeout time.Duration) *browserTab {
	t.Helper()
	path := findChromium(t)
	server, err := url.Parse(s.url)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	t.Cleanup(cancel)
	var out lockedBuffer
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox, // CI runs as root
		chromedp.DisableGPU,
		chromedp.Flag("disable-dev-shm-usage", true),
		// The language headless Chromium asks pages for: --lang and the
		// locale variables leave it at en-US, --accept-lang sets it
		// (Accept-Language and navigator.languages).
		chromedp.Flag("accept-lang", lang),
		chromedp.WindowSize(phoneWidth, phoneHeight),
		// Loopback only: no proxy, no host but the test server's resolves,
		// no background fetches.
		chromedp.Flag("no-proxy-server", true),
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND , EXCLUDE "+server.Hostname()),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-domain-reliability", true),
		chromedp.Flag("no-pings", true),
		chromedp.CombinedOutput(&out),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	tabCtx, cancelTab := chromedp.NewContext(allocCtx)
	t.Cleanup(cancelTab)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("chromium's output:\n%s", out.tail(4000))
		}
	})
	if err := chromedp.Do(tabCtx); err != nil {
		t.Fatalf("start %s: %v\n%s", path, err, out.tail(4000))
	}
	b := &browserTab{t: t, s: s, ctx: tabCtx}
	b.do("phone viewport", chromedp.EmulateViewport(phoneWidth, phoneHeight))
	return b
}

// fresh opens a tab in a new browser context of the same browser: no
// cookies, as another person's phone.
func (b *browserTab) fresh() *browserTab {
	b.t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	b.t.Cleanup(cancel)
	nb := &browserTab{t: b.t, s: b.s, ctx: ctx}
	nb.do("phone viewport", chromedp.EmulateViewport(phoneWidth, phoneHeight))
	return nb
}

// do runs actions, failing the test on an error.
func (b *browserTab) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// open loads a page of the site and fails unless it answers with status.
func (b *browserTab) open(path string, status int64) {
	b.t.Helper()
	resp, err := chromedp.Run(b.ctx, chromedp.NavigateResponse(b.s.url+path))
	if err != nil {
		b.t.Fatalf("open %s: %v", path, err)
	}
	if resp.Status != status {
		b.t.Fatalf("open %s: status %d, want %d; page: %s", path, resp.Status, status, b.bodyText())
	}
}

// press clicks the element sel (a link or a submit button), waits for the
// page it leads to, and fails unless that page answers with status.
func (b *browserTab) press(sel string, status int64) {
	b.t.Helper()
	resp, err := chromedp.RunResponse(b.ctx, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
	if err != nil {
		b.t.Fatalf("press %s: %v", sel, err)
	}
	if resp.Status != status {
		b.t.Fatalf("press %s: status %d at %s, want %d; page: %s", sel, resp.Status, resp.URL, status, b.bodyText())
	}
}

// typeInto types text into the input sel, as keystrokes.
func (b *browserTab) typeInto(sel, text string) {
	b.t.Helper()
	b.do("type into "+sel, chromedp.SendKeys(chromedp.CSS(sel), text, chromedp.NodeVisible))
}

// text is the rendered text of the first element sel on the current page;
// the test fails at once when there is none.
func (b *browserTab) text(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(sel), chromedp.AtLeast(0)))
	if err != nil {
		b.t.Fatalf("text of %s on %s: %v; page: %s", sel, b.where(), err, b.bodyText())
	}
	return strings.TrimSpace(s)
}

// attr is the attribute name of the first element sel; ok is false when
// the element lacks it. The test fails at once when there is no element.
func (b *browserTab) attr(sel, name string) (value string, ok bool) {
	b.t.Helper()
	nodes, err := chromedp.Run(b.ctx, chromedp.Nodes(chromedp.CSS(sel), chromedp.AtLeast(0)))
	if err != nil || len(nodes) == 0 {
		b.t.Fatalf("attribute %s of %s on %s: no such element (%v)", name, sel, b.where(), err)
	}
	return nodes[0].Attribute(name)
}

// count is how many elements match sel on the current page.
func (b *browserTab) count(sel string) int {
	b.t.Helper()
	nodes, err := chromedp.Run(b.ctx, chromedp.Nodes(chromedp.CSSAll(sel), chromedp.AtLeast(0)))
	if err != nil {
		b.t.Fatalf("count %s: %v", sel, err)
	}
	return len(nodes)
}

// eval evaluates a JavaScript expression in the page (DevTools is not
// bound by the page's no-script policy).
func eval[T any](b *browserTab, expr string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("evaluate %s on %s: %v", expr, b.where(), err)
	}
	return v
}

// where is the path and query of the current page.
func (b *browserTab) where() string {
	loc, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		return "?"
	}
	if u, err := url.Parse(loc); err == nil {
		return u.RequestURI()
	}
	return loc
}

// bodyText is the page's text, shortened, for failure messages.
func (b *browserTab) bodyText() string {
	s, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
	if err != nil {
		return fmt.Sprintf("(unreadable: %v)", err)
	}
	if r := []rune(s); len(r) > 600 {
		s = string(r[:600]) + "…"
	}
	return strings.Join(strings.Fields(s), " ")
}

// pageLang is the <html lang> of the current page.
func (b *browserTab) pageLang() string {
	b.t.Helper()
	v, _ := b.attr("html", "lang")
	return v
}

// signInThroughForm signs in as name the way a person does: the sign-in
// page, name and password typed, the button pressed. It fails unless the
// browser lands on wantPath.
func (b *browserTab) signInThroughForm(name, wantPath string) {
	b.t.Helper()
	b.open("/signin", 200)
	b.typeInto("#name", name)
	b.typeInto("#password", password)
	b.press(`main form[action="/signin"] button[type=submit]`, 200)
	if got := b.where(); got != wantPath {
		b.t.Fatalf("signed in as %s, landed on %s, want %s; page: %s", name, got, wantPath, b.bodyText())
	}
}

// catalogueText is a message of the catalogue, formatted with args as the
// pages do: the tests expect what the catalogue says, not a copy.
func catalogueText(t *testing.T, lang, key string, args ...any) string {
	t.Helper()
	set, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	s, ok := set[lang][key]
	if !ok {
		t.Fatalf("messages/%s.json has no %q", lang, key)
	}
	if len(args) > 0 {
		s = fmt.Sprintf(s, args...)
	}
	return s
}

// htmlLang is the <html lang> of a page in a catalogue language.
func htmlLang(lang string) string {
	if lang == "zh" {
		return "zh-CN"
	}
	return lang
}

// ruleTitle is a village rule's published title in lang, from the
// rulebook in force.
func ruleTitle(t *testing.T, s *site, code, lang string) string {
	t.Helper()
	book, err := s.svc.BookInForce(s.admin, village, s.svc.Now())
	if err != nil {
		t.Fatal(err)
	}
	rule, ok := book.Rule(code)
	if !ok {
		t.Fatalf("the village has no rule %s", code)
	}
	return rule.Title.In(lang)
}

// findPerson searches for name on the recorder's page, as typed in the
// search box, and returns the href of the one result that is that person.
func (b *browserTab) findPerson(typed, name string) string {
	b.t.Helper()
	b.open("/record", 200)
	b.typeInto("#q", typed)
	b.press(`main form[action="/record"] button[type=submit]`, 200)
	nodes, err := chromedp.Run(b.ctx, chromedp.Nodes(chromedp.CSSAll("main ul.list a.row"), chromedp.AtLeast(0)))
	if err != nil {
		b.t.Fatal(err)
	}
	var hrefs []string
	for _, n := range nodes {
		text, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.NodeIDs{n.NodeID}))
		if err != nil {
			b.t.Fatal(err)
		}
		if strings.HasPrefix(strings.TrimSpace(text), name) {
			hrefs = append(hrefs, n.AttributeValue("href"))
		}
	}
	if len(hrefs) != 1 {
		b.t.Fatalf("searching %q finds %s %d times among %d results, want once; page: %s", typed, name, len(hrefs), len(nodes), b.bodyText())
	}
	return hrefs[0]
}

// TestBrowserRecorderToResident is the main scenario, on a phone: a
// recorder signs in through the form, finds 张伟 by part of the name,
// picks the volunteer rule, types 8 hours, sees +2 points before anything
// is written, confirms and lands on today's entries with the notice. Then
// 张伟, on another phone, sees the score of 2, the rule among what moves
// it, and the recorder's access in the log.
func TestBrowserRecorderToResident(t *testing.T) {
	s := newSite(t)
	rec := newBrowser(t, s, "zh-CN", browserTimeout)
	rec.signInThroughForm("recorder", "/record")
	if got, want := rec.text("main h1"), catalogueText(t, "zh", "find.title"); got != want {
		t.Errorf("recorder's page h1 = %q, want %q", got, want)
	}

	person := rec.findPerson("张", "张伟")
	rec.press(`main a.row[href="`+person+`"]`, 200)
	title := ruleTitle(t, s, volunteer, "zh")
	ruleLink := `main a.row[href="` + person + "/" + volunteer + `"]`
	if got := rec.text(ruleLink); !strings.Contains(got, title) {
		t.Errorf("the rule link reads %q, want it to name %q", got, title)
	}
	rec.press(ruleLink, 200)
	if got := rec.text("main h1"); got != title {
		t.Errorf("the form's h1 = %q, want the rule's title %q", got, title)
	}

	rec.typeInto(`#f\.hours`, "8")
	rec.press(`main form.card button[type=submit]`, 200)
	if got, want := rec.text("main h1"), catalogueText(t, "zh", "confirm.title"); got != want {
		t.Errorf("after checking, h1 = %q, want %q", got, want)
	}
	if got := rec.text("#preview-points"); got != "+2" {
		t.Errorf("the confirmation shows %q points, want +2", got)
	}
	if h := s.history(zhang); len(h) != 0 {
		t.Fatalf("checking the points wrote %d records, want none", len(h))
	}

	rec.press("#confirm", 200)
	h := s.history(zhang)
	if len(h) != 1 || h[0].Awarded != 2 || h[0].Rule != volunteer || h[0].RecordedBy != "recorder" {
		t.Fatalf("after confirming, 张伟's history is %+v, want one record of +2 for %s by recorder", h, volunteer)
	}
	if got := rec.where(); !strings.HasPrefix(got, "/record/today?") {
		t.Errorf("after confirming, the recorder is on %s, want today's entries", got)
	}
	if got, want := rec.text("#done"), catalogueText(t, "zh", "today.done", h[0].ID); got != want {
		t.Errorf("the done notice reads %q, want %q", got, want)
	}
	if got := rec.text("main ul.list"); !strings.Contains(got, "张伟") || !strings.Contains(got, "+2") {
		t.Errorf("today's entries read %q, want 张伟's +2", got)
	}

	res := rec.fresh()
	res.open("/", 200)
	if n := res.count(`header a[href="/signin"]`); n != 1 {
		t.Fatalf("a new browser context should be signed out, but its header has %d sign-in links", n)
	}
	res.signInThroughForm("zhang", "/me")
	if got, want := res.text("main h1"), catalogueText(t, "zh", "me.title"); got != want {
		t.Errorf("resident's page h1 = %q, want %q", got, want)
	}
	if got := res.text("#score-" + village); got != "2" {
		t.Errorf("张伟's score reads %q, want 2", got)
	}
	if got := res.text("#factors-" + village); !strings.Contains(got, title) || !strings.Contains(got, "+2") {
		t.Errorf("what moves 张伟's score reads %q, want %s with +2", got, title)
	}
	rows := res.count("#access-log tbody tr")
	byRecorder := 0
	for i := 1; i <= rows; i++ {
		who := res.text(fmt.Sprintf("#access-log tbody tr:nth-child(%d) td:nth-child(2)", i))
		if strings.HasPrefix(who, "recorder ") {
			byRecorder++
		}
	}
	if byRecorder == 0 {
		t.Errorf("张伟's access log has no entry by recorder; it reads %q", res.text("#access-log"))
	}
}

// TestBrowserLanguageSwitch proves that a browser set to English gets
// English pages, that the switch link turns them Chinese, and that the
// choice is remembered on the next page.
func TestBrowserLanguageSwitch(t *testing.T) {
	s := newSite(t)
	b := newBrowser(t, s, "en-US", browserTimeout)
	b.open("/", 200)
	if got := b.pageLang(); got != "en" {
		t.Fatalf("a browser set to en-US gets <html lang=%q>, want en (Accept-Language: %s)", got,
			eval[string](b, "navigator.languages.join(',')"))
	}
	if got, want := b.text("main h1"), catalogueText(t, "en", "home.title"); got != want {
		t.Errorf("English home h1 = %q, want %q", got, want)
	}
	if got, want := b.text("a.lang"), catalogueText(t, "en", "nav.other_language"); got != want {
		t.Errorf("the switch reads %q, want %q", got, want)
	}

	b.press("a.lang", 200)
	if got := b.where(); got != "/" {
		t.Errorf("the switch leads to %s, want back to /", got)
	}
	if got := b.pageLang(); got != "zh-CN" {
		t.Errorf("after the switch, <html lang=%q>, want zh-CN", got)
	}
	if got, want := b.text("main h1"), catalogueText(t, "zh", "home.title"); got != want {
		t.Errorf("after the switch, h1 = %q, want %q", got, want)
	}
	if got, want := b.text("a.lang"), catalogueText(t, "zh", "nav.other_language"); got != want {
		t.Errorf("after the switch, it reads %q, want %q", got, want)
	}

	// Another page, reached by a link, stays Chinese although the browser
	// still asks for English.
	b.press(`main a[href="/schemes/`+village+`"]`, 200)
	if got := b.pageLang(); got != "zh-CN" {
		t.Errorf("on the rulebook after the switch, <html lang=%q>, want zh-CN", got)
	}
	if got, want := b.text(`main a[href="/schemes/`+village+`/statistics"]`), catalogueText(t, "zh", "home.statistics"); got != want {
		t.Errorf("the rulebook's statistics link reads %q, want %q", got, want)
	}
	b.open("/signin", 200)
	if got, want := b.text("main h1"), catalogueText(t, "zh", "signin.title"); got != want {
		t.Errorf("sign-in page h1 after the switch = %q, want %q", got, want)
	}
}

// TestBrowserBadInputNextToField proves that a number field filled with
// letters comes back with the catalogue's error right after the input,
// the input marked invalid and still holding what was typed, and that
// nothing is recorded.
func TestBrowserBadInputNextToField(t *testing.T) {
	s := newSite(t)
	b := newBrowser(t, s, "zh-CN", browserTimeout)
	b.signInThroughForm("recorder", "/record")
	form := b.findPerson("张伟", "张伟") + "/" + volunteer
	b.open(form, 200)
	lang := "zh"
	if got := b.pageLang(); got != htmlLang(lang) {
		t.Fatalf("the form is in <html lang=%q>, want %s", got, htmlLang(lang))
	}

	b.typeInto(`#f\.hours`, "abc")
	b.press(`main form.card button[type=submit]`, 422)
	if got := b.where(); got != form {
		t.Errorf("after sending bad input the page is %s, want the form %s", got, form)
	}
	if got, want := b.text(`#f\.hours-error`), catalogueText(t, lang, "err.number"); got != want {
		t.Errorf("the error next to hours reads %q, want %q", got, want)
	}
	if next := eval[string](b, `document.getElementById("f.hours").nextElementSibling.id`); next != "f.hours-error" {
		t.Errorf("the element right after the hours input is #%s, want the error #f.hours-error", next)
	}
	if v, _ := b.attr(`#f\.hours`, "aria-invalid"); v != "true" {
		t.Errorf("the hours input has aria-invalid=%q, want true", v)
	}
	if v, _ := b.attr(`#f\.hours`, "aria-describedby"); v != "f.hours-error" {
		t.Errorf("the hours input has aria-describedby=%q, want f.hours-error", v)
	}
	if v := eval[string](b, `document.getElementById("f.hours").value`); v != "abc" {
		t.Errorf("the hours input holds %q, want what was typed, abc", v)
	}
	if n := b.count("[aria-invalid=true]"); n != 1 {
		t.Errorf("%d fields are marked invalid, want only hours", n)
	}
	if h := s.history(zhang); len(h) != 0 {
		t.Errorf("bad input recorded %+v, want nothing", h)
	}
}

// mainPage is one role's main page, for the phone-width checks and the
// screenshots.
type mainPage struct {
	name string // the screenshot's file name, without language and .png
	as   string // the account signed in; "" for the public
	path string // "" for the conduct form, whose path is found by search
}

var mainPages = []mainPage{
	{"home", "", "/"},
	{"rulebook", "", "/schemes/" + village},
	{"statistics", "", "/schemes/" + village + "/statistics"},
	{"agreements", "", "/agreements"},
	{"record-find", "recorder", "/record?scheme=" + village + "&q=" + url.QueryEscape("张")},
	{"record-conduct", "recorder", ""},
	{"record-today", "recorder", "/record/today"},
	{"me", "zhang", "/me"},
	{"review", "reviewer", "/review"},
	{"admin", "admin", "/admin"},
}

// seedPages gives the main pages something to show: records of each kind
// for 张伟 and 李娜, among them a deduction with a long legal basis for the
// reviewer's queue, made by the recorder today.
func seedPages(t *testing.T, s *site) {
	t.Helper()
	recorder := ledger.WithPurpose(ledger.WithActor(context.Background(),
		&tally.Actor{Name: "recorder", Role: tally.Recorder, Schemes: []string{village}}), "record")
	for i, c := range []ledger.Conduct{
		{Identifier: zhang, Rule: volunteer, FactArgs: []string{"hours=8"}},
		{Identifier: zhang, Rule: "family.neglect-elderly", Evidence: "村委会 2026-11-20 会议记录第 3 页：长期未尽赡养义务，经调解无效"},
		{Identifier: li, Rule: "donation", FactArgs: []string{"value=3000"}, Evidence: "收据 No.000123456789"},
		{Identifier: li, Rule: "neighbours.help"},
	} {
		c.Scheme, c.At, c.Ref = village, s.clock.Now().Add(-time.Hour), "seed-"+strconv.Itoa(i)
		if _, err := s.svc.Record(recorder, c); err != nil {
			t.Fatalf("seed %s: %v", c.Rule, err)
		}
	}
	courtToAirline(t, s) // for the public page of agreements
	// The pages are looked at a little later. (At the very instant of the
	// records, the reviewer's queue would not list them yet: it asks the
	// store for records before now+1ns, which the store's microseconds
	// round down to now.)
	s.clock.Add(time.Minute)
}

// walkMainPages opens every main page in both languages at phone width,
// signed in as the page's role, and calls check on each.
func walkMainPages(t *testing.T, check func(t *testing.T, b *browserTab, p mainPage, lang string)) {
	s := newSite(t)
	seedPages(t, s)
	first := newBrowser(t, s, "zh-CN", walkTimeout)
	tabs := map[string]*browserTab{}
	conduct := ""
	for _, lang := range []string{"zh", "en"} {
		for _, p := range mainPages {
			t.Run(lang+"/"+p.name, func(t *testing.T) {
				b := tabs[p.as]
				if b == nil {
					b = first.fresh()
					b.t = t
					if p.as != "" {
						b.signInThroughForm(p.as, map[string]string{"recorder": "/record", "zhang": "/me", "reviewer": "/review", "admin": "/admin"}[p.as])
					}
					tabs[p.as] = b
				}
				b.t = t
				path := p.path
				if path == "" {
					if conduct == "" {
						conduct = b.findPerson("张", "张伟") + "/" + volunteer
					}
					path = conduct
				}
				// The switch sets the language and comes back to the page.
				b.open("/lang/"+lang+"?back="+url.QueryEscape(path), 200)
				if got := b.pageLang(); got != htmlLang(lang) {
					t.Fatalf("%s in %s has <html lang=%q>, want %s", path, lang, got, htmlLang(lang))
				}
				check(t, b, p, lang)
			})
		}
	}
}

// TestBrowserFitsPhone proves that every role's main page, in Chinese and
// in English, fits a 360-pixel-wide phone without sideways scrolling, and
// has a heading.
func TestBrowserFitsPhone(t *testing.T) {
	walkMainPages(t, func(t *testing.T, b *browserTab, p mainPage, lang string) {
		width := eval[int](b, `document.documentElement.scrollWidth`)
		if width > phoneWidth {
			wide := eval[[]string](b, `Array.from(document.querySelectorAll("body *"))
				.filter(e => e.getBoundingClientRect().right > `+strconv.Itoa(phoneWidth)+`)
				.slice(0, 8)
				.map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className && typeof e.className === "string" ? "." + e.className.replace(/ /g, ".") : "") + " right=" + Math.round(e.getBoundingClientRect().right))`)
			t.Errorf("%s scrolls sideways at %dpx: scrollWidth %d; widest elements: %v", b.where(), phoneWidth, width, wide)
		}
		if n := b.count("h1"); n != 1 {
			t.Errorf("%s has %d h1 elements, want 1", b.where(), n)
		} else if b.text("h1") == "" {
			t.Errorf("%s has an empty h1", b.where())
		}
	})
}

// artifactsDir is where the tests leave files for people to look at:
// $TALLY_ARTIFACTS, else artifacts/ at the repository root.
func artifactsDir() string {
	if dir := os.Getenv("TALLY_ARTIFACTS"); dir != "" {
		return dir
	}
	return filepath.Join("..", "artifacts")
}

// TestBrowserScreenshots saves a full-page PNG of every main page in both
// languages at phone width, under artifacts/screenshots, for review by
// eye; it proves each is a real image of the phone's width.
func TestBrowserScreenshots(t *testing.T) {
	dir := filepath.Join(artifactsDir(), "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	walkMainPages(t, func(t *testing.T, b *browserTab, p mainPage, lang string) {
		shot, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot of %s: %v", b.where(), err)
		}
		img, err := png.DecodeConfig(bytes.NewReader(shot))
		if err != nil {
			t.Fatalf("screenshot of %s is no PNG: %v", b.where(), err)
		}
		if img.Width != phoneWidth || img.Height < 100 {
			t.Errorf("screenshot of %s is %d×%d, want %d wide", b.where(), img.Width, img.Height, phoneWidth)
		}
		file := filepath.Join(dir, lang+"-"+p.name+".png")
		if err := os.WriteFile(file, shot, 0o644); err != nil {
			t.Fatal(err)
		}
	})
	t.Logf("screenshots in %s", dir)
}

// lockedBuffer collects the browser's output for failure messages.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// tail is the last n bytes written, less the lines about D-Bus, which a
// headless browser without a desktop always complains about.
func (l *lockedBuffer) tail(n int) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var keep []string
	for _, line := range strings.Split(l.buf.String(), "\n") {
		if !strings.Contains(line, "dbus") {
			keep = append(keep, line)
		}
	}
	s := strings.Join(keep, "\n")
	if len(s) > n {
		s = s[len(s)-n:]
	}
	return s
}
