// Package chart draws small server-rendered SVG charts for tally's web
// pages: a score over time (Line) and counts per grade or category (Bars).
//
// The charts need no JavaScript, fonts or other files: each is one inline
// <svg> element, returned as template.HTML for html/template. Every text
// that comes from the caller is XML-escaped, so titles and labels may hold
// any characters, "<script>" included. A chart is accessible as one image:
// the root has role="img" and is labelled by its <title> and <desc>; the
// page is expected to show the same numbers in a table next to it.
//
// A chart scales to its container: it has a viewBox and width="100%" but no
// fixed size, and its text is sized so that it stays readable when the
// chart is about 360 pixels wide, as on a phone. The page's CSS may limit
// its width on wide screens (the root carries class="chart").
//
// Output is deterministic: the same input gives byte-identical SVG, so
// pages can be cached, compared and tested.
package chart

import (
	"encoding/xml"
	"hash/fnv"
	"math"
	"strconv"
	"strings"
	"unicode"
)

// The colours: dark text and series on white, with contrast ratios of at
// least 4.5:1 for text and 3:1 for lines that carry meaning.
const (
	colourText   = "#222"
	colourSeries = "#1f4e8c"
	colourAxis   = "#595959"
	colourMuted  = "#555"    // band labels
	colourBand   = "#8a8a8a" // reference lines
	colourGrid   = "#e3e3e3" // decorative grid lines
)

// fontFamily uses the reader's own fonts, which include CJK glyphs on every
// common system; nothing is downloaded.
const fontFamily = "system-ui, -apple-system, 'Segoe UI', 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif"

// canvas builds the SVG text of one chart.
type canvas struct {
	b strings.Builder
}

// open writes the root element with its title and description. The ids
// that aria-labelledby names are made from id.
func (c *canvas) open(id string, width, height float64, title, desc string) {
	c.raw(`<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="100%" viewBox="0 0 `)
	c.num(width)
	c.raw(" ")
	c.num(height)
	c.raw(`" aria-labelledby="`)
	c.raw(id + "-title " + id + "-desc")
	c.raw(`" font-family="`)
	c.text(fontFamily)
	c.raw(`" font-size="13" fill="` + colourText + `">`)
	c.raw(`<title id="` + id + `-title">`)
	c.text(title)
	c.raw(`</title><desc id="` + id + `-desc">`)
	c.text(desc)
	c.raw(`</desc>`)
	// A white background keeps the contrast right on pages with a tinted
	// or dark background.
	c.raw(`<rect width="100%" height="100%" fill="#fff"/>`)
}

// close ends the root element and returns the SVG.
func (c *canvas) close() string {
	c.raw("</svg>")
	return c.b.String()
}

// raw writes markup that is known to need no escaping.
func (c *canvas) raw(s string) { c.b.WriteString(s) }

// text writes s escaped for XML text or a quoted attribute value. Invalid
// UTF-8 and characters XML forbids (such as NUL) become U+FFFD, so the
// output stays well-formed whatever the caller passes.
func (c *canvas) text(s string) {
	_ = xml.EscapeText(&c.b, []byte(s)) // a strings.Builder never fails
}

// num writes a coordinate rounded to a tenth of a unit.
func (c *canvas) num(v float64) { c.raw(coord(v)) }

// line draws a straight line.
func (c *canvas) line(x1, y1, x2, y2 float64, stroke string, attrs string) {
	c.raw(`<line x1="`)
	c.num(x1)
	c.raw(`" y1="`)
	c.num(y1)
	c.raw(`" x2="`)
	c.num(x2)
	c.raw(`" y2="`)
	c.num(y2)
	c.raw(`" stroke="` + stroke + `"`)
	if attrs != "" {
		c.raw(" " + attrs)
	}
	c.raw("/>")
}

// label draws one line of text with its baseline at y. anchor is start,
// middle or end; attrs are extra trusted attributes.
func (c *canvas) label(x, y float64, anchor, s, attrs string) {
	c.raw(`<text x="`)
	c.num(x)
	c.raw(`" y="`)
	c.num(y)
	c.raw(`"`)
	if anchor != "start" {
		c.raw(` text-anchor="` + anchor + `"`)
	}
	if attrs != "" {
		c.raw(" " + attrs)
	}
	c.raw(">")
	c.text(s)
	c.raw("</text>")
}

// coord formats a coordinate with at most one decimal, without "-0".
func coord(v float64) string {
	v = math.Round(v*10) / 10
	if v == 0 {
		v = 0 // turn -0 into 0
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// formatValue formats a value for people: up to two decimals, and in
// scientific notation only when it is too long to read otherwise.
func formatValue(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	if math.Abs(v) >= 1e15 {
		return strconv.FormatFloat(v, 'g', 4, 64)
	}
	v = math.Round(v*100) / 100
	if v == 0 {
		v = 0
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// textWidth estimates the width of s at the given font size. Wide scripts
// (CJK, full-width forms) take about one em a character and others about
// 0.6 em; the estimate errs wide so that labels do not collide.
func textWidth(s string, size float64) float64 {
	w := 0.0
	for _, r := range s {
		if isWide(r) {
			w += 1.0
		} else {
			w += 0.6
		}
	}
	return w * size
}

// isWide reports whether r is usually drawn a full em wide.
func isWide(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hangul, unicode.Hiragana, unicode.Katakana) ||
		(r >= 0x3000 && r <= 0x303f) || // CJK punctuation
		(r >= 0xff00 && r <= 0xff60) || // full-width forms
		(r >= 0xffe0 && r <= 0xffe6)
}

// fit shortens s with an ellipsis until it is at most max wide at the given
// font size. The full text is still in the table the page shows next to
// the chart.
func fit(s string, size, max float64) string {
	if textWidth(s, size) <= max {
		return s
	}
	runes := []rune(s)
	for n := len(runes) - 1; n > 0; n-- {
		t := strings.TrimRight(string(runes[:n]), " ") + "…"
		if textWidth(t, size) <= max {
			return t
		}
	}
	return "…"
}

// chartID returns id made safe for an XML id and an aria-labelledby list,
// or, when id is empty, an id derived from the chart's content so that
// output stays deterministic. Two charts with the same content on one page
// then share ids, which still label each with the right text; give ID to
// avoid that.
func chartID(id string, content func(h func(string))) string {
	if id != "" {
		var b strings.Builder
		b.WriteString("chart-")
		for _, r := range id {
			if r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_') {
				b.WriteRune(r)
			} else {
				b.WriteByte('_')
			}
		}
		return b.String()
	}
	h := fnv.New64a()
	content(func(s string) {
		h.Write([]byte(s))
		h.Write([]byte{0})
	})
	return "chart-" + strconv.FormatUint(h.Sum64(), 36)
}

// finite reports whether v is a usable number.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// limit keeps values within ±1e300, so that the difference of any two stays
// finite; no real score comes near.
func limit(v float64) float64 {
	return math.Max(-1e300, math.Min(1e300, v))
}
