package report

import (
	"strings"
	"unicode"
)

// Punctuation a line may not start with, and punctuation it may not end
// with (the common core of the Chinese line-breaking rules).
const (
	noLineStart = "，。、；：！？）》」』】〕〉”’…·,.;:!?)]}%"
	noLineEnd   = "（《「『【〔〈“‘([{"
)

// lines breaks s into lines no wider than w in the current font size:
// at its line breaks, between Chinese characters, and at spaces, keeping
// a Latin word whole unless it alone is wider than a line. Every
// character of s is on exactly one line, in order, except the spaces a
// line ends at.
func (ts *typesetter) lines(s string, w float64) []string {
	var out []string
	for _, para := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		out = append(out, ts.wrap(para, w)...)
	}
	return out
}

// wrap breaks one paragraph into lines no wider than w.
func (ts *typesetter) wrap(s string, w float64) []string {
	var out []string
	var line strings.Builder
	used := 0.0
	flush := func() {
		out = append(out, strings.TrimRight(line.String(), " "))
		line.Reset()
		used = 0
	}
	for _, tok := range tokens(s) {
		tw := ts.width(tok)
		if used+tw > w && line.Len() > 0 {
			flush()
			if tok == " " {
				continue
			}
		}
		if tw <= w {
			line.WriteString(tok)
			used += tw
			continue
		}
		for _, r := range tok {
			rw := ts.width(string(r))
			if used+rw > w && line.Len() > 0 {
				flush()
			}
			line.WriteRune(r)
			used += rw
		}
	}
	return append(out, line.String())
}

// tokens splits s where a line may break.
func tokens(s string) []string {
	var toks []string
	start := 0
	var prev rune
	for i, r := range s {
		if i > start && mayBreak(prev, r) {
			toks = append(toks, s[start:i])
			start = i
		}
		prev = r
	}
	if start < len(s) {
		toks = append(toks, s[start:])
	}
	return toks
}

// mayBreak reports whether a line may break between a and b.
func mayBreak(a, b rune) bool {
	switch {
	case strings.ContainsRune(noLineStart, b), strings.ContainsRune(noLineEnd, a):
		return false
	case a == ' ' || b == ' ':
		return true
	default:
		return wide(a) || wide(b)
	}
}

// wide reports whether r is written without spaces between words:
// Chinese, Japanese and Korean characters and full-width forms.
func wide(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) ||
		(r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFFEF) || r == mark
}
