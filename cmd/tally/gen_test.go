package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// tally gen writes files that the import commands take whole: every
// person, shop, record and list entry is accepted, none is bad; the same
// flags write the same bytes.
func TestGenFilesImportCleanly(t *testing.T) {
	c := newCLI(t)
	c.ok("init")
	c.ok("rules", "publish", "../../examples/city.yaml")
	c.ok("rules", "publish", "../../examples/market.yaml")
	dir := t.TempDir()
	flags := []string{"--persons", "400", "--shops", "30", "--records", "3000", "--list-entries", "25", "--end", "2026-11-01"}
	if out := c.ok(append([]string{"gen", "--out", dir}, flags...)...); !strings.Contains(out, "3000 records") {
		t.Errorf("gen said %q", out)
	}
	for _, step := range []struct {
		args []string
		want string
	}{
		{[]string{"subjects", "import", filepath.Join(dir, "people.csv")}, "430 added, 0 already known, 430 enrolled, 0 bad"},
		{[]string{"import", filepath.Join(dir, "records.csv")}, "3000 recorded, 0 unchanged, 0 bad"},
		{[]string{"lists", "import", filepath.Join(dir, "lists.csv")}, "25 listed, 0 unchanged, 0 bad"},
	} {
		if got := c.ok(step.args...); !strings.Contains(got, step.want) {
			t.Errorf("%v: %q, want %q", step.args, got, step.want)
		}
	}
	again := t.TempDir()
	c.ok(append([]string{"gen", "--out", again}, flags...)...)
	for _, name := range []string{"people.csv", "records.csv", "lists.csv"} {
		a, _ := os.ReadFile(filepath.Join(dir, name))
		b, _ := os.ReadFile(filepath.Join(again, name))
		if len(a) == 0 || string(a) != string(b) {
			t.Errorf("%s: %d bytes, then %d different bytes from the same flags", name, len(a), len(b))
		}
	}
	if code, _, errOut := c.run("gen", "--persons", "10"); code != exitInvalid || !strings.Contains(errOut, "out") {
		t.Errorf("gen without --out: exit %d %q, want 2 naming out", code, errOut)
	}
}

// A command with verbs names them when none, or an unknown one, is given.
func TestVerbsAreNamed(t *testing.T) {
	c := newCLI(t)
	if code, _, errOut := c.run("tokens", "mint"); code != exitInvalid || !strings.Contains(errOut, "want create, list or revoke") {
		t.Errorf("tokens mint: exit %d %q", code, errOut)
	}
	if code, _, errOut := c.run("review", "frob"); code != exitInvalid || !strings.Contains(errOut, "unknown 'review frob': want pending, approve or reject") {
		t.Errorf("review frob: exit %d %q", code, errOut)
	}
}
