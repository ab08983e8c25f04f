package web

import (
	"strings"
	"unicode"

	"golang.org/x/text/width"
)

// chinesePunct maps the punctuation a Chinese input method types in a
// number or a code, and that width folding leaves alone, to its ASCII
// form.
var chinesePunct = strings.NewReplacer("。", ".", "—", "-", "–", "-", "、", ",")

// plain returns a number or short value typed on a form as ASCII:
// full-width digits, letters and punctuation (３７１０, ８．５, －) and
// Chinese punctuation become their narrow forms, and surrounding spaces,
// full-width ones included, go. Free text (names, notes, grounds) must
// not pass through it: it changes what a person wrote.
func plain(s string) string {
	return strings.TrimSpace(chinesePunct.Replace(width.Fold.String(s)))
}

// plainCode returns an identifier or a code typed on a form as plain
// does, without any space inside and in capitals, so that
// "3604 2619 9101 0100 7x" and "ａｂｃｄｅ－ｆｇｈｉｊ" match what was issued.
func plainCode(s string) string {
	return strings.ToUpper(strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, plain(s)))
}
