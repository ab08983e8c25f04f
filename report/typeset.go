package report

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"codeberg.org/go-pdf/fpdf"
)

// mark stands on paper for a character no font can print.
const mark = '□'

// The font families a typesetter registers with fpdf.
const (
	mainFamily     = "cjk"
	fallbackFamily = "cjk-fallback"
)

// A typesetter writes text on a page in the report font, in the
// fallback font (FallbackFontPaths) where the report font lacks a glyph,
// and as the mark □ where neither has one. fpdf prints only the Basic
// Multilingual Plane, so characters beyond it (CJK Extension B and
// later) are always marked. Missing lists the marked characters so that
// the page can name them in a footnote: nothing is dropped silently.
type typesetter struct {
	p        *fpdf.Fpdf
	faces    []face
	fallback string // the fallback font's file until it is loaded, on first need
	missing  []rune
}

// A face is a registered font family and the characters it has glyphs for.
type face struct {
	family string
	glyphs map[uint16]uint16
}

// A run is text in one font family.
type run struct {
	family, text string
}

// newTypesetter registers the report font at path with p and selects it.
func newTypesetter(p *fpdf.Fpdf, path string) (*typesetter, error) {
	ts := &typesetter{p: p, fallback: fallbackFont(path)}
	if err := ts.load(mainFamily, path); err != nil {
		return nil, err
	}
	p.SetFont(mainFamily, "", 10)
	return ts, nil
}

// load registers the TrueType font at path as family.
func (ts *typesetter) load(family, path string) error {
	cmap, err := fpdf.TtfParse(path)
	if err != nil {
		return fmt.Errorf("font %s: %w", path, err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read font: %w", err)
	}
	ts.p.AddUTF8FontFromBytes(family, "", b)
	if err := ts.p.Error(); err != nil {
		return fmt.Errorf("font %s: %w", path, err)
	}
	ts.faces = append(ts.faces, face{family: family, glyphs: cmap.Chars})
	return nil
}

// familyOf returns the family that prints r, or "" when none does.
func (ts *typesetter) familyOf(r rune) string {
	if r > 0xFFFF {
		return ""
	}
	for {
		for _, f := range ts.faces {
			if f.glyphs[uint16(r)] != 0 {
				return f.family
			}
		}
		if ts.fallback == "" {
			return ""
		}
		path := ts.fallback
		ts.fallback = ""
		if err := ts.load(fallbackFamily, path); err != nil {
			return "" // an unreadable fallback font leaves the mark
		}
	}
}

// runs splits s into runs by the family that prints each character; a
// character no family prints becomes the mark and is noted in missing.
func (ts *typesetter) runs(s string) []run {
	var rs []run
	for _, r := range s {
		family := ts.familyOf(r)
		if family == "" && r != ' ' {
			if !slices.Contains(ts.missing, r) {
				ts.missing = append(ts.missing, r)
			}
			r, family = mark, mainFamily
		}
		if family == "" {
			family = mainFamily
		}
		if n := len(rs); n > 0 && rs[n-1].family == family {
			rs[n-1].text += string(r)
			continue
		}
		rs = append(rs, run{family: family, text: string(r)})
	}
	return rs
}

// width returns how wide s prints in the current font size.
func (ts *typesetter) width(s string) float64 {
	pt, _ := ts.p.GetFontSize()
	w := 0.0
	for _, r := range ts.runs(s) {
		ts.p.SetFont(r.family, "", pt)
		w += ts.p.GetStringWidth(r.text)
	}
	ts.p.SetFont(mainFamily, "", pt)
	return w
}

// line writes one line of text in a box at (x, y) of width w and height
// h, aligned "L", "C" or "R", vertically centred as fpdf centres a cell.
func (ts *typesetter) line(x, y, w, h float64, s, align string) {
	switch align {
	case "C":
		x += (w - ts.width(s)) / 2
	case "R":
		x += w - ts.width(s)
	}
	_, size := ts.p.GetFontSize()
	ts.text(x, y+h/2+0.3*size, s)
}

// text writes s with its baseline starting at (x, base).
func (ts *typesetter) text(x, base float64, s string) {
	pt, _ := ts.p.GetFontSize()
	for _, r := range ts.runs(s) {
		ts.p.SetFont(r.family, "", pt)
		ts.p.Text(x, base, r.text)
		x += ts.p.GetStringWidth(r.text)
	}
	ts.p.SetFont(mainFamily, "", pt)
}

// block writes s from the current position wrapped to width w (0: up to
// the right margin), one line every h, breaking pages as fpdf would, and
// leaves the position at the left margin below it. A border "B" draws a
// line under it.
func (ts *typesetter) block(w, h float64, s, border, align string) {
	p := ts.p
	x, y := p.GetXY()
	pageW, pageH := p.GetPageSize()
	left, top, right, _ := p.GetMargins()
	auto, bottom := p.GetAutoPageBreak()
	if w == 0 {
		w = pageW - right - x
	}
	m := p.GetCellMargin()
	for _, l := range ts.lines(s, w-2*m) {
		if auto && y+h > pageH-bottom {
			p.AddPage()
			y = top
		}
		ts.line(x+m, y, w-2*m, h, l, align)
		y += h
	}
	if strings.Contains(border, "B") {
		p.Line(x, y, x+w, y)
	}
	p.SetXY(left, y)
}

// footnote returns the note that names each marked character by its code
// point after prefix, or "" when none was marked.
func (ts *typesetter) footnote(prefix string) string {
	if len(ts.missing) == 0 {
		return ""
	}
	codes := make([]string, len(ts.missing))
	for i, r := range ts.missing {
		codes[i] = fmt.Sprintf("U+%04X", r)
	}
	return prefix + " " + strings.Join(codes, ", ")
}
