package tally

import (
	"unicode/utf8"
)

// TextLimits bounds, in characters (runes), each kind of text a person
// types into tally. See Limits.
type TextLimits struct {
	Name     int // a subject's, account's or token's name
	Unit     int // a household, group or unit within a scheme
	Ref      int // a record's source reference
	Evidence int // the evidence a record or objection cites, as text
	Title    int // an evidence file's or list entry's title
	Fact     int // one string value of a fact
	Reason   int // reasons, grounds, statements and decisions: several lines
	Purpose  int // the purpose a read is made for
}

// Limits is the one table of text limits. The ledger applies it, with
// CheckText, wherever text enters; docs/API.md lists it. It is not to be
// changed at run time.
var Limits = TextLimits{
	Name:     100,
	Unit:     100,
	Ref:      200,
	Evidence: 500,
	Title:    200,
	Fact:     500,
	Reason:   4000,
	Purpose:  200,
}

// CheckText returns an EInvalid error naming field unless s is valid
// UTF-8 of at most max runes without control characters or bidirectional
// formatting characters. A multiline text may hold line breaks (\n, \r)
// and tabs; no text may hold NUL or any other C0 or C1 control, DEL, or
// the bidirectional marks, embeddings, overrides and isolates (U+061C,
// U+200E, U+200F, U+202A–U+202E, U+2066–U+2069), which can make a text
// read differently from what it holds.
func CheckText(field, s string, max int, multiline bool) error {
	n := 0
	for i, r := range s {
		n++
		switch {
		case r == utf8.RuneError && !isRuneError(s[i:]):
			return FieldErrorf(field, "is not valid UTF-8 (at byte %d)", i)
		case r == 0:
			return FieldErrorf(field, "contains a NUL character (at character %d)", n)
		case multiline && (r == '\n' || r == '\r' || r == '\t'):
		case r < 0x20 || (r >= 0x7f && r <= 0x9f):
			return FieldErrorf(field, "contains the control character U+%04X (at character %d)%s", r, n, lineHint(r, multiline))
		case isBidi(r):
			return FieldErrorf(field, "contains the bidirectional formatting character U+%04X (at character %d)", r, n)
		}
	}
	if n > max {
		return FieldErrorf(field, "is %d characters long; at most %d are accepted", n, max)
	}
	return nil
}

// isRuneError reports whether s starts with an encoded U+FFFD, which is
// valid text, rather than a byte that is not UTF-8.
func isRuneError(s string) bool {
	_, size := utf8.DecodeRuneInString(s)
	return size == 3
}

// isBidi reports whether r is a bidirectional formatting character.
func isBidi(r rune) bool {
	return r == 0x061c || r == 0x200e || r == 0x200f || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}

// lineHint explains that a line break is refused where one line is due.
func lineHint(r rune, multiline bool) string {
	if !multiline && (r == '\n' || r == '\r' || r == '\t') {
		return ": it takes one line"
	}
	return ""
}
