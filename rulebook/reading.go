package rulebook

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// reading is a text as the keyword match reads it, so that a word is
// found however it is typed: in full-width or half-width forms, in
// traditional or variant characters, with spaces, punctuation or
// invisible characters between its characters, or copied from a PDF that
// uses Kangxi radicals or compatibility ideographs.
type reading struct {
	src   string
	han   string   // the letters and digits of src, NFKC-normalised, lower-cased and folded
	spans [][2]int // for each character of han, the bytes of src it comes from
	latin string   // the words of src, as words gives them after NFKC
}

// read returns s as the keyword match reads it.
func (w protectedWords) read(s string) reading {
	r := reading{src: s, latin: words(norm.NFKC.String(s))}
	var han strings.Builder
	for i, c := range s {
		end := i + utf8.RuneLen(c)
		if c == utf8.RuneError {
			end = i + 1
		}
		for _, n := range norm.NFKC.String(string(c)) {
			n = unicode.ToLower(n)
			if f, ok := w.Fold[n]; ok {
				n = f
			}
			if unicode.IsLetter(n) || unicode.IsNumber(n) {
				han.WriteRune(n)
				r.spans = append(r.spans, [2]int{i, end})
			}
		}
	}
	r.han = han.String()
	return r
}

// blank is what an allowed phrase becomes: one character that is no
// letter or digit for each of its characters, so spans stay aligned.
const blank = "_"

// match returns the first word of l that r contains, outside l's allowed
// phrases, and, for a Chinese word, how src wrote it when that differs.
func (l wordList) match(r reading) (word, written string, ok bool) {
	latin := r.latin
	for _, p := range l.allowLatin {
		latin = strings.ReplaceAll(latin, p, " ")
	}
	for i, k := range l.enKeys {
		if strings.Contains(latin, k) {
			return l.En[i], "", true
		}
	}
	han := r.han
	for _, p := range l.allowHan {
		han = strings.ReplaceAll(han, p, strings.Repeat(blank, utf8.RuneCountInString(p)))
	}
	for i, k := range l.zhKeys {
		at := strings.Index(han, k)
		if at < 0 {
			continue
		}
		first := utf8.RuneCountInString(han[:at])
		last := first + utf8.RuneCountInString(k) - 1
		written = r.src[r.spans[first][0]:r.spans[last][1]]
		if written == l.Zh[i] {
			written = ""
		}
		return l.Zh[i], written, true
	}
	return "", "", false
}
