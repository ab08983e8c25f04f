package tally_test

import (
	"testing"

	"github.com/tallycredit/tally"
)

func TestSafeCell(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`=HYPERLINK("http://x","y")`, `'=HYPERLINK("http://x","y")`},
		{"+1+1", "'+1+1"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"-2+3", "'-2+3"},
		{"\tx", "'\tx"},
		{"\r=1", "'\r=1"},
		{"  =1+1", "'  =1+1"},
		{"张三", "张三"},
		{"a=b", "a=b"},
		{"", ""},
		{"   ", "   "},
		{"'quoted", "'quoted"},
	} {
		if got := tally.SafeCell(tc.in); got != tc.want {
			t.Errorf("SafeCell(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
