package web_test

import (
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

const (
	// browserCrawlTimeout bounds the browser crawl of every demo role.
	browserCrawlTimeout = 6 * time.Minute
	// shapeVisits is how many pages of one shape (a path with its numbers
	// blurred: one person page of many) the browser crawl opens.
	shapeVisits = 3
)

// readPage is what a reader meets on a rendered page, found by
// readPageJS with the text to type into search fields: the visible text with every folded part unfolded, the texts
// in attributes a reader sees or hears (title, alt, aria-label,
// placeholder, the labels of input buttons), the links, and the addresses
// the page's GET forms lead to with the search fields typed into.
type readPage struct {
	Text  string   `json:"text"`
	Links []string `json:"links"`
	Forms []string `json:"forms"`
}

const readPageJS = `((typed) => {
	for (const d of document.querySelectorAll("details")) d.open = true;
	const out = [document.title, document.body ? document.body.innerText : ""];
	for (const e of document.querySelectorAll("[title],[alt],[aria-label],[placeholder]"))
		for (const a of ["title", "alt", "aria-label", "placeholder"]) {
			const v = e.getAttribute(a);
			if (v) out.push(v);
		}
	for (const e of document.querySelectorAll("input[type=submit],input[type=button],input[type=reset]"))
		if (e.value) out.push(e.value);
	const forms = Array.from(document.querySelectorAll("form"))
		.filter(f => f.method === "get")
		.map(f => {
			const data = new FormData(f);
			for (const i of f.querySelectorAll("input[type=text],input[type=search],input:not([type])"))
				if (i.name && !i.value) data.set(i.name, typed);
			const u = new URL(f.action);
			u.search = new URLSearchParams(data).toString();
			return u.href;
		});
	return {text: out.join("\n"), links: Array.from(document.querySelectorAll("a[href]"), a => a.href), forms};
})`

// Every page each demo role (and the public, from the home page, the
// verify page and the kiosk) can reach in headless Chromium, by links and
// by sending the pages' GET forms with part of a villager's name typed
// in, reads in Chinese as rendered: no English sentence in the visible
// text, the page title, or what alt, title, aria-label,
// placeholder and input buttons say. Every page also shows no text under
// 12 px and has a link home.
func TestBrowserDemoPagesInChinese(t *testing.T) {
	s, sum, allowed := demoCrawlSite(t)
	first := newBrowser(t, s, "zh-CN", browserCrawlTimeout)
	type role struct{ name, pass string }
	roles := []role{{"", ""}} // the public
	for _, a := range sum.Accounts {
		roles = append(roles, role{a.Name, a.Password})
	}
	typed := string([]rune(sum.Try[village].Name)[:1])
	total, formAnswers := 0, 0
	for _, r := range roles {
		who := r.name
		if who == "" {
			who = "public"
		}
		t.Run(who, func(t *testing.T) {
			b := first.fresh()
			b.t = t
			starts := []string{"/", "/verify", "/kiosk"}
			if r.name != "" {
				starts = []string{b.signInAs(r.name, r.pass)}
			}
			found, visited, forms := browserCrawl(b, starts, typed, allowed)
			formAnswers += forms
			t.Logf("%s: %d pages, %d of them GET-form answers", who, visited, forms)
			if visited < 3 {
				t.Errorf("the crawl reached only %d pages", visited)
			}
			for _, f := range found {
				t.Errorf("%s", f)
			}
			total += len(found)
		})
	}
	t.Logf("English sentences found: %d", total)
	if formAnswers == 0 {
		t.Error("no GET form was sent: the crawl saw no search results")
	}
}

// signInAs signs in through the form with a demo account's password and
// returns the page it lands on.
func (b *browserTab) signInAs(name, pass string) string {
	b.t.Helper()
	b.open("/signin", 200)
	b.typeInto("#name", name)
	b.typeInto("#password", pass)
	b.press(`main form[action="/signin"] button[type=submit]`, 200)
	where := b.where()
	if strings.HasPrefix(where, "/signin") {
		b.t.Fatalf("%s could not sign in: %s", name, b.bodyText())
	}
	return where
}

// browserCrawl opens, breadth first from the start pages, every
// same-site page the tab can reach by a link or a GET form (typed into its
// search fields), at most shapeVisits of a shape and crawlLimit in all,
// and lists the English sentences it reads. Each page must also be
// readable and lead home, the first start page (checkReadable), or the
// kiosk for the kiosk's pages.
func browserCrawl(b *browserTab, starts []string, typed string, allowed map[string]bool) (found []string, visited, formAnswers int) {
	b.t.Helper()
	base, err := url.Parse(b.s.url)
	if err != nil {
		b.t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, p := range starts {
		seen[p] = true
	}
	fromForm := map[string]bool{}
	shapes := map[string]int{}
	queue := append([]string(nil), starts...)
	listed := map[string]bool{}
	for len(queue) > 0 && visited < crawlLimit {
		path := queue[0]
		queue = queue[1:]
		if shapes[shapeOf(path)]++; shapes[shapeOf(path)] > shapeVisits {
			continue
		}
		resp, err := chromedp.Run(b.ctx, chromedp.NavigateResponse(b.s.url+path))
		if err != nil {
			b.t.Fatalf("open %s: %v", path, err)
		}
		visited++
		if fromForm[path] {
			formAnswers++
		}
		if resp.Status >= 500 {
			b.t.Errorf("%s answered %d", path, resp.Status)
		}
		if !strings.HasPrefix(resp.MimeType, "text/html") {
			continue
		}
		where := b.where()
		home := starts[0]
		if where == "/kiosk" || strings.HasPrefix(where, "/kiosk/") {
			home = "/kiosk" // the kiosk's pages lead back to the kiosk only
		}
		b.checkReadable(home)
		page := eval[readPage](b, readPageJS+"("+strconv.Quote(typed)+")")
		found = append(found, newEnglish(where, page.Text, allowed, listed)...)
		next := func(links []string, byForm bool) {
			for _, l := range links {
				u, err := url.Parse(l)
				if err != nil || u.Host != base.Host {
					continue
				}
				p := u.RequestURI()
				if !seen[p] && crawlable(p) {
					seen[p] = true
					fromForm[p] = byForm
					queue = append(queue, p)
				}
			}
		}
		next(page.Links, false)
		next(page.Forms, true)
	}
	sort.Strings(found)
	return found, visited, formAnswers
}
