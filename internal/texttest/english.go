// Package texttest finds English sentences in text meant for a Chinese
// reader, for the tests of every part that prints or serves such text:
// identifiers, codes and abbreviations are let through.
package texttest

import (
	"regexp"
	"strings"
)

// latinWord is a run of letters with the joiners that make one word of
// an identifier or code: conduct.littering, SHA-256, jiakuang-majia.
var latinWord = regexp.MustCompile(`[A-Za-z0-9][A-Za-z0-9_.\-/@:]*`)

// EnglishSentences finds runs of three or more English words (two or
// more letters, not an allowed identifier or code) in a row, on one line.
func EnglishSentences(text string, allowed map[string]bool) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		var run []string
		flush := func() {
			if len(run) >= 3 {
				out = append(out, strings.Join(run, " "))
			}
			run = nil
		}
		rest := line
		for {
			loc := latinWord.FindStringIndex(rest)
			if loc == nil {
				break
			}
			// Anything but spaces and light punctuation between two words
			// (a Chinese character, a number) ends a sentence.
			if gap := rest[:loc[0]]; strings.Trim(gap, " \t,'’;()\"") != "" {
				flush()
			}
			w := strings.Trim(rest[loc[0]:loc[1]], ".:/-@_")
			rest = rest[loc[1]:]
			if isEnglishWord(w, allowed) {
				run = append(run, w)
			} else {
				flush()
			}
		}
		flush()
	}
	return out
}

// isEnglishWord is a word of ordinary English: letters only, two or more,
// not an abbreviation, code or account name.
func isEnglishWord(w string, allowed map[string]bool) bool {
	if len(w) < 2 || allowed[strings.ToLower(w)] {
		return false
	}
	for _, r := range w {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false // a code: conduct.littering, SHA-256, v1
		}
	}
	if strings.ToUpper(w) == w {
		return false // an abbreviation: PDF, ID, QR, AAA, CSV
	}
	return true
}
