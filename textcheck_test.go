package tally_test

import (
	"strings"
	"testing"

	"github.com/tallycredit/tally"
)

func TestCheckText(t *testing.T) {
	for _, c := range []struct {
		name      string
		s         string
		max       int
		multiline bool
		want      string // a part of the error; "" for none
	}{
		{"plain", "张伟", 2, false, ""},
		{"empty", "", 10, false, ""},
		{"at the limit", strings.Repeat("字", 100), 100, false, ""},
		{"over the limit", strings.Repeat("字", 101), 100, false, "101 characters long; at most 100"},
		{"replacement character", "a\uFFFDb", 10, false, ""},
		{"invalid UTF-8", "a\xffb", 10, false, "not valid UTF-8 (at byte 1)"},
		{"NUL", "Zhang\x00Wei", 100, false, "NUL character (at character 6)"},
		{"NUL in multiline", "a\x00", 100, true, "NUL"},
		{"line break in a name", "a\nb", 100, false, "U+000A (at character 2): it takes one line"},
		{"tab in a name", "a\tb", 100, false, "U+0009"},
		{"lines in a reason", "first\r\nsecond\tthird", 100, true, ""},
		{"escape", "a\x1b[31m", 100, true, "U+001B"},
		{"DEL", "a\x7f", 100, true, "U+007F"},
		{"C1 control", "a\u0085", 100, true, "U+0085"},
		{"right-to-left override", "fee\u202Egnp.exe", 100, true, "bidirectional formatting character U+202E (at character 4)"},
		{"left-to-right embedding", "\u202A", 100, false, "U+202A"},
		{"pop directional formatting", "\u202C", 100, false, "U+202C"},
		{"isolate", "a\u2066b", 100, false, "U+2066"},
		{"pop isolate", "a\u2069b", 100, false, "U+2069"},
		{"left-to-right mark", "\u200E", 100, false, "U+200E"},
		{"right-to-left mark", "\u200F", 100, false, "U+200F"},
		{"Arabic letter mark", "\u061C", 100, false, "U+061C"},
		{"zero-width joiner is text", "👨\u200D👩", 100, false, ""},
		{"Arabic text is text", "مرحبا", 100, false, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := tally.CheckText("reason", c.s, c.max, c.multiline)
			if c.want == "" {
				if err != nil {
					t.Fatalf("CheckText(%q) = %v, want nil", c.s, err)
				}
				return
			}
			var e *tally.Error
			if err == nil || tally.ErrorCodeOf(err) != tally.EInvalid || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("CheckText(%q) = %v, want an invalid error with %q", c.s, err, c.want)
			}
			if e, _ = err.(*tally.Error); e.Field != "reason" {
				t.Errorf("field = %q, want reason", e.Field)
			}
		})
	}
}
