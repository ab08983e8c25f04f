package main

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// A table's columns line up on a terminal when cells hold Chinese, whose
// characters take two columns each: every second cell starts at the same
// display column.
func TestTableLinesUpWideCharacters(t *testing.T) {
	var b bytes.Buffer
	tw := newTable(&b)
	fmt.Fprintln(tw, "编号\t持有人\t角色")
	fmt.Fprintln(tw, "1\trecorder-7\t记录员")
	fmt.Fprintln(tw, "12\t工商银行威海分行\tverifier")
	fmt.Fprintln(tw, "no tab at all")
	if err := tw.Flush(); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	want := []string{
		"编号  持有人            角色",
		"1     recorder-7        记录员",
		"12    工商银行威海分行  verifier",
		"no tab at all",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("table:\n%s\nwant\n%s", b.String(), strings.Join(want, "\n"))
	}
	for _, tc := range []struct {
		s    string
		cols int
	}{{"abc", 3}, {"角色", 4}, {"ａ１", 4}, {"A组", 3}, {"", 0}} {
		if got := displayWidth(tc.s); got != tc.cols {
			t.Errorf("displayWidth(%q) = %d, want %d", tc.s, got, tc.cols)
		}
	}
}
