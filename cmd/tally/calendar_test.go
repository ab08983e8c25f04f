package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The working-day calendar at the command line: the built-in years are
// shown with their notice; a year without one is an error naming the
// import command; a bad file is refused with its path and entry and
// imports nothing; a good one is imported and shown.
func TestCalendarAtTheCommandLine(t *testing.T) {
	c := newCLI(t)
	c.ok("init")
	out := c.ok("calendar", "show", "2026", "--lang", "zh")
	for _, want := range []string{"国务院办公厅关于2026年部分节假日安排的通知", "内置", "2026-02-14  调休上班", "2026-02-15  放假  春节"} {
		if !strings.Contains(out, want) {
			t.Errorf("calendar show 2026 printed %q, want %q", out, want)
		}
	}
	out = c.ok("calendar", "show", "2026")
	for _, want := range []string{"built in", "2026-02-14  make-up working day", "2026-02-15  off  春节"} {
		if !strings.Contains(out, want) {
			t.Errorf("calendar show 2026 --lang en printed %q, want %q", out, want)
		}
	}
	if code, _, errOut := c.run("calendar", "show", "2027"); code != exitNotFound || !strings.Contains(errOut, "tally calendar import FILE") {
		t.Errorf("calendar show 2027 before the import: exit %d %q, want %d naming the import", code, errOut, exitNotFound)
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte(`{"years":{"2027":{"source":"s","off":{"春节":["2027-02-06"]},"work":["2027-02-06"]}}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := c.run("calendar", "import", bad); code != exitInvalid || !strings.Contains(errOut, "bad.json: years.2027.work[0]") {
		t.Errorf("calendar import of a day both off and working: exit %d %q, want %d with the path", code, errOut, exitInvalid)
	}
	if code, _, _ := c.run("calendar", "show", "2027"); code != exitNotFound {
		t.Errorf("a refused file imported something: exit %d", code)
	}
	out = c.ok("calendar", "import", "../../workday/testdata/holidays-2027.json", "--by", "admin-1")
	if !strings.Contains(out, "imported 2027: 8 days off, 1 make-up working days") {
		t.Errorf("calendar import printed %q", out)
	}
	out = c.ok("calendar", "show", "2027")
	for _, want := range []string{"imported", "by admin-1", "2027-02-13  make-up working day", "2027-02-05  off  春节"} {
		if !strings.Contains(out, want) {
			t.Errorf("calendar show 2027 printed %q, want %q", out, want)
		}
	}
}

// tally calendar check exits 0 when the calendar holds every year needed
// and 3 (not found) naming each missing year that is needed, why, and the
// import command, in Chinese or English: the next year from 1 November,
// the current year always. An import closes the gap.
func TestCalendarCheck(t *testing.T) {
	c := newCLI(t)
	c.ok("init")
	if out := c.ok("calendar", "check", "--at", "2026-10-31"); !strings.Contains(out, "the calendar is complete") {
		t.Errorf("calendar check on 31 October 2026 printed %q, want complete", out)
	}
	for _, tt := range []struct {
		at, lang string
		want     []string
	}{
		{"2026-12-07", "zh", []string{"没有 2027 年的节假日安排", "明年", "周一至周五", "暂定", "tally calendar import FILE"}},
		{"2026-12-07", "en", []string{"no holiday calendar for 2027", "next year", "Monday to Friday", "provisional", "tally calendar import FILE"}},
		{"2028-03-01", "en", []string{"no holiday calendar for 2028", "this year"}},
	} {
		code, out, errOut := c.run("calendar", "check", "--at", tt.at, "--lang", tt.lang)
		if code != exitNotFound {
			t.Errorf("calendar check --at %s: exit %d (%q %q), want %d", tt.at, code, out, errOut, exitNotFound)
		}
		for _, want := range tt.want {
			if !strings.Contains(out, want) {
				t.Errorf("calendar check --at %s --lang %s printed %q, want %q", tt.at, tt.lang, out, want)
			}
		}
	}
	code, out, _ := c.run("calendar", "check", "--at", "2026-12-07", "--json")
	var got struct {
		Gaps []struct {
			Year int
			Why  string
		}
	}
	if code != exitNotFound || json.Unmarshal([]byte(out), &got) != nil || len(got.Gaps) != 1 || got.Gaps[0].Year != 2027 || got.Gaps[0].Why != "next" {
		t.Errorf("calendar check --json: exit %d %q, want the gap 2027 (next)", code, out)
	}
	c.ok("calendar", "import", "../../workday/testdata/holidays-2027.json")
	if out := c.ok("calendar", "check", "--at", "2026-12-07"); !strings.Contains(out, "the calendar is complete") {
		t.Errorf("calendar check after importing 2027 printed %q, want complete", out)
	}
	if code, _, errOut := c.run("calendar", "check", "--at", "yesterday"); code != exitInvalid || !strings.Contains(errOut, "at") {
		t.Errorf("calendar check --at yesterday: exit %d %q, want %d", code, errOut, exitInvalid)
	}
}
