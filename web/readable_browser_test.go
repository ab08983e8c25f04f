package web_test

import (
	"strconv"
	"testing"
)

// minFontPx is the smallest text a page may show: labels and hints under
// 12 px are unreadable on a cheap phone.
const minFontPx = 12

// smallTextJS lists the rendered elements whose own text is smaller than
// minFont pixels, with their size and the start of the text.
// Text in a drawing (SVG) is as large as its font size times the scale
// the drawing is shown at.
const smallTextJS = `(() => {
	const size = e => parseFloat(getComputedStyle(e).fontSize) * (e instanceof SVGGraphicsElement && e.getScreenCTM() ? Math.abs(e.getScreenCTM().a) : 1);
	return Array.from(document.querySelectorAll("body *")).filter(e => {
		if (!Array.from(e.childNodes).some(n => n.nodeType === Node.TEXT_NODE && n.textContent.trim())) return false;
		const r = e.getBoundingClientRect();
		return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== "hidden" && size(e) < minFont;
	}).map(e => e.tagName.toLowerCase() + (typeof e.className === "string" && e.className ? "." + e.className.replace(/ /g, ".") : "") +
		" " + size(e).toFixed(1) + "px " + JSON.stringify(e.textContent.trim().slice(0, 24)));
})()`

// smallText is what the current page shows under minFontPx.
func (b *browserTab) smallText() []string {
	b.t.Helper()
	return eval[[]string](b, "(() => { const minFont = "+strconv.Itoa(minFontPx)+"; return "+smallTextJS+"; })()")
}

// hasWayHome tells whether the current page shows a link to the site's
// home page or to home, the start page of the one signed in.
func (b *browserTab) hasWayHome(home string) bool {
	b.t.Helper()
	return eval[bool](b, `Array.from(document.querySelectorAll("a[href]")).some(a => {
		const u = new URL(a.href), r = a.getBoundingClientRect();
		return u.origin === location.origin && !u.search && (u.pathname === "/" || u.pathname === `+strconv.Quote(home)+`) && r.width > 0 && r.height > 0;
	})`)
}

// checkReadable fails the test when the current page shows text under
// minFontPx or has no way home.
func (b *browserTab) checkReadable(home string) {
	b.t.Helper()
	for _, e := range b.smallText() {
		b.t.Errorf("%s shows text under %d px: %s", b.where(), minFontPx, e)
	}
	if !b.hasWayHome(home) {
		b.t.Errorf("%s has no link home (/ or %s)", b.where(), home)
	}
}

// Every role's main page, in Chinese and in English, shows no text under
// 12 px and has a link home.
func TestBrowserReadableWithWayHome(t *testing.T) {
	homes := map[string]string{"": "/", "recorder": "/record", "zhang": "/me", "reviewer": "/review", "admin": "/admin"}
	walkMainPages(t, func(t *testing.T, b *browserTab, p mainPage, lang string) {
		b.checkReadable(homes[p.as])
	})
}

// The check of text size finds text under 12 px: a test built on it can
// fail.
func TestSmallTextSeesTinyText(t *testing.T) {
	s := newSite(t)
	b := newBrowser(t, s, "zh-CN", browserTimeout)
	b.open("/signin", 200)
	if got := b.smallText(); len(got) != 0 {
		t.Fatalf("the sign-in page has small text before anything is changed: %v", got)
	}
	eval[bool](b, `(() => { const p = document.createElement("p"); p.style.fontSize = "11px"; p.textContent = "小字";
		document.querySelector("main").appendChild(p); return true; })()`)
	if got := b.smallText(); len(got) != 1 {
		t.Errorf("with an 11 px paragraph, small text %q, want that paragraph", got)
	}
}
