package main

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tallycredit/tally/report"
)

// A month closes from the command line, twice with the same sheet; the
// sheet, workbook, board and rewards come out; a report is issued and
// verified, and a changed byte is caught with exit code 2.
func TestCloseAndReportCommands(t *testing.T) {
	c := newCLI(t)
	t.Setenv("TALLY_SIGN_KEY_FILE", "")
	c.ok("init")
	c.ok("rules", "publish", "../../examples/village.yaml")
	c.ok("subjects", "add", "--kind", "person", "--id", "360426199101010071", "--name", "张三")
	c.ok("enrol", "--scheme", "jiakuang-majia", "--subject", "360426199101010071", "--unit", "一组", "--consent")
	c.ok("publication", "360426199101010071", "--scheme", "jiakuang-majia", "--yes", "--how", "signed form")
	c.ok("record", "--scheme", "jiakuang-majia", "--subject", "360426199101010071", "--rule", "donation",
		"--fact", "value=1300", "--at", "2025-06-02", "--ref", "r1", "--evidence", "receipt")
	if out := c.ok("close", "--scheme", "jiakuang-majia", "--period", "2025-06"); !strings.Contains(out, "1 records in the period") {
		t.Errorf("close: %s", out)
	}
	first := c.ok("sheet", "--scheme", "jiakuang-majia", "--period", "2025-06")
	if out := c.ok("close", "--scheme", "jiakuang-majia", "--period", "2025-06"); !strings.Contains(out, "already closed") {
		t.Errorf("close again: %s", out)
	}
	if again := c.ok("sheet", "--scheme", "jiakuang-majia", "--period", "2025-06"); again != first {
		t.Errorf("sheet after closing again:\n%s\nwant\n%s", again, first)
	}
	if !strings.HasPrefix(first, "\ufeff小组,证件号码,姓名,") || !strings.Contains(first, "一组,3604**********0071,张三,是,0,13,0,0,13,,,2,1,1") {
		t.Errorf("sheet:\n%s", first)
	}
	if en := c.ok("sheet", "--scheme", "jiakuang-majia", "--period", "2025-06", "--lang", "en"); !strings.HasPrefix(en, "\ufeffunit,subject,name,") ||
		!strings.Contains(en, "一组,3604**********0071,张三,yes,0,13,0,0,13,,,2,1,1") {
		t.Errorf("sheet --lang en:\n%s", en)
	}
	dir := t.TempDir()
	xlsx := filepath.Join(dir, "s.xlsx")
	c.ok("sheet", "--scheme", "jiakuang-majia", "--period", "2025-06", "--format", "xlsx", "--out", xlsx)
	zr, err := zip.OpenReader(xlsx)
	if err != nil {
		t.Fatalf("the workbook is not a zip: %v", err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	zr.Close()
	if !strings.Contains(strings.Join(names, " "), "xl/worksheets/sheet1.xml") {
		t.Errorf("workbook parts %v", names)
	}
	if out := c.ok("board", "--scheme", "jiakuang-majia", "--period", "2025-06"); !strings.Contains(out, "张三 一组: 13 points, 2 flags, 1 stars") {
		t.Errorf("board: %s", out)
	}
	if out := c.ok("rewards", "--scheme", "jiakuang-majia", "--period", "2025-06"); !strings.Contains(out, "rice,大米,1,公斤,一组,3604**********0071,张三,13,") {
		t.Errorf("rewards: %s", out)
	}
	if code, _, _ := c.run("close", "--scheme", "jiakuang-majia", "--period", "2025-13"); code != exitInvalid {
		t.Errorf("close 2025-13: exit %d, want %d", code, exitInvalid)
	}

	if _, err := report.FindFont(""); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	pdf := filepath.Join(dir, "r.pdf")
	if code, _, errOut := c.run("report", "360426199101010071", "--out", pdf); code != exitInvalid || !strings.Contains(errOut, "purpose") {
		t.Errorf("report without a purpose: exit %d %s", code, errOut)
	}
	c.ok("report", "360426199101010071", "--purpose", "home loan", "--out", pdf)
	if out := c.ok("verify", pdf); !strings.Contains(out, `genuine and unaltered`) || !strings.Contains(out, `"home loan"`) {
		t.Errorf("verify: %s", out)
	}
	doc, _ := os.ReadFile(pdf)
	bad := bytes.Clone(doc)
	bad[len(bad)/3] ^= 1
	if err := os.WriteFile(pdf, bad, 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := c.run("verify", pdf); code != exitInvalid || !strings.Contains(errOut, "not genuine") {
		t.Errorf("verify a changed file: exit %d %s", code, errOut)
	}
}
