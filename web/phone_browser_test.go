package web_test

import (
	"bytes"
	"image/png"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
)

// phoneMisfitsJS lists what does not fit a phone's width: the page
// scrolling sideways, and every visible form control (input, list, text
// box, button) reaching past either edge of the viewport.
const phoneMisfitsJS = `(() => {
	const w = document.documentElement.clientWidth, out = [];
	if (document.documentElement.scrollWidth > w)
		out.push("the page scrolls sideways: " + document.documentElement.scrollWidth + "px wide at " + w + "px");
	for (const e of document.querySelectorAll("input:not([type=hidden]), select, textarea, button")) {
		const r = e.getBoundingClientRect();
		if (r.width === 0 || r.height === 0) continue;
		if (r.left < 0 || r.right > w)
			out.push(e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.name ? "[name=" + e.name + "]" : "") +
				" spans " + Math.round(r.left) + ".." + Math.round(r.right) + "px of " + w);
	}
	return out;
})()`

// phoneMisfits is what on the current page does not fit the viewport.
func (b *browserTab) phoneMisfits() []string {
	b.t.Helper()
	return eval[[]string](b, phoneMisfitsJS)
}

// shoot saves a full-page screenshot of the current page as
// artifacts/screenshots/name.png and checks it is a phone-wide PNG.
func (b *browserTab) shoot(name string) {
	b.t.Helper()
	dir := filepath.Join(artifactsDir(), "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	shot, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("screenshot of %s: %v", b.where(), err)
	}
	if img, err := png.DecodeConfig(bytes.NewReader(shot)); err != nil || img.Width != phoneWidth {
		b.t.Errorf("screenshot of %s: %+v, %v; want a PNG %d wide", b.where(), img, err, phoneWidth)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), shot, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// The check of a phone's width finds a page that scrolls sideways and a
// form control past the edge: a test built on it can fail.
func TestPhoneMisfitsSeesOverflow(t *testing.T) {
	s := newSite(t)
	b := newBrowser(t, s, "zh-CN", browserTimeout)
	b.open("/signin", 200)
	if got := b.phoneMisfits(); len(got) != 0 {
		t.Fatalf("the sign-in page does not fit before anything is changed: %v", got)
	}
	eval[bool](b, `(() => { const i = document.createElement("input"); i.id = "wide"; i.style.width = "500px";
		document.querySelector("main").appendChild(i); return true; })()`)
	got := b.phoneMisfits()
	if len(got) != 2 {
		t.Errorf("with a 500 px input, misfits %q, want the sideways scroll and the input", got)
	}
}

// homeOfDemo is the start page of each demo account used here.
var homeOfDemo = map[string]string{"recorder": "/record", "reviewer": "/review", "resident": "/me"}

// The tally sheet, the reviewer's page of one person (score and records)
// and the resident's objection form fit a 360×740 phone: no sideways scrolling, every form
// control within the screen, no text under 12 px, a link home. Screenshots are left in
// artifacts/screenshots/phone-*.png.
func TestBrowserFormsFitPhone(t *testing.T) {
	s, sum, _ := demoCrawlSite(t)
	try := sum.Try[village]
	first := newBrowser(t, s, "zh-CN", walkTimeout)
	pass := map[string]string{}
	for _, a := range sum.Accounts {
		pass[a.Name] = a.Password
	}
	for _, p := range []struct {
		name, as, path string
		prepare        func(b *browserTab)
	}{
		{name: "sheet", as: "recorder", path: sheetPath},
		{name: "person", as: "reviewer", path: "/review/person?" + url.Values{"scheme": {village}, "q": {try.Identifier}, "purpose": {"核查异议"}}.Encode(), prepare: func(b *browserTab) {
			b.press(`main ul a.row[href*="subject="]`, 200)
			if b.count(`main .card`) < 2 {
				b.t.Fatalf("the person page shows no person's card; page: %s", b.bodyText())
			}
		}},
		{name: "objection", as: "resident", path: "/me", prepare: func(b *browserTab) {
			if b.count(`form[action="/me/objections"]`) == 0 {
				b.t.Fatalf("/me has no objection form; page: %s", b.bodyText())
			}
			b.do("unfold the objection form", chromedp.Click(chromedp.CSS(`details:has(form[action="/me/objections"]) summary`), chromedp.NodeVisible))
			if b.count(`form[action="/me/objections"] input[name=grounds]:not([type=hidden])`) == 0 || eval[int](b, `document.querySelector('form[action="/me/objections"] input[name=grounds]').getBoundingClientRect().width`) == 0 {
				b.t.Fatal("the objection form does not show after its summary is pressed")
			}
		}},
	} {
		t.Run(p.name, func(t *testing.T) {
			b := first.fresh()
			b.t = t
			b.signInAs(p.as, pass[p.as])
			b.open(p.path, 200)
			if p.prepare != nil {
				p.prepare(b)
			}
			b.checkReadable(homeOfDemo[p.as])
			for _, m := range b.phoneMisfits() {
				t.Errorf("%s at %d×%d: %s", b.where(), phoneWidth, phoneHeight, m)
			}
			b.shoot("phone-" + p.name)
		})
	}
}
