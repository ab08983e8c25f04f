package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"path/filepath"
	"strings"
	"testing"
)

// cli runs tally in-process against a database in a temporary folder.
type cli struct {
	t  *testing.T
	db string
}

func newCLI(t *testing.T) *cli {
	t.Setenv("TALLY_KEY", "")
	t.Setenv("TALLY_KEY_FILE", "")
	t.Setenv("TALLY_DB", "")
	t.Setenv("TALLY_LANG", "en") // the tests read the English messages; lang_test.go reads the Chinese
	return &cli{t: t, db: filepath.Join(t.TempDir(), "tally.db")}
}

// run runs one command line and returns its exit code, stdout and stderr.
func (c *cli) run(args ...string) (int, string, string) {
	c.t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), append(args, "--db", c.db), strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

// runWithInput runs one command line with stdin as its standard input, a
// stream that cannot seek, as a pipe.
func (c *cli) runWithInput(stdin string, args ...string) (int, string, string) {
	c.t.Helper()
	var out, errOut bytes.Buffer
	pipe := struct{ io.Reader }{strings.NewReader(stdin)}
	code := run(context.Background(), append(args, "--db", c.db), pipe, &out, &errOut)
	return code, out.String(), errOut.String()
}

// ok runs a command that must succeed and returns its stdout.
func (c *cli) ok(args ...string) string {
	c.t.Helper()
	code, out, errOut := c.run(args...)
	if code != 0 {
		c.t.Fatalf("tally %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}

// The everyday path of docs/CLI.md works as written.
func TestEverydayPath(t *testing.T) {
	c := newCLI(t)
	c.ok("init")
	c.ok("rules", "publish", "../../examples/village.yaml")
	c.ok("subjects", "add", "--kind", "person", "--id", "360426199101010071", "--name", "张三")
	c.ok("enrol", "--scheme", "jiakuang-majia", "--subject", "360426199101010071", "--consent")
	out := c.ok("record", "--scheme", "jiakuang-majia", "--subject", "360426199101010071", "--rule", "labour.volunteer",
		"--fact", "hours=8", "--at", "2026-03-02", "--ref", "recorder-7/2026-03-02/1")
	if !strings.Contains(out, "+2") || strings.Contains(out, "360426199101010071") {
		t.Errorf("record printed %q, want +2 and no full identifier", out)
	}
	out = c.ok("score", "360426199101010071", "--scheme", "jiakuang-majia", "--at", "2026-03-31", "--json")
	var score map[string]any
	if err := json.Unmarshal([]byte(out), &score); err != nil {
		t.Fatalf("score --json is not JSON: %v\n%s", err, out)
	}
	for _, key := range []string{"subject", "scheme", "as_of", "score", "grade", "factors"} {
		if _, ok := score[key]; !ok {
			t.Errorf("score --json lacks %q: %s", key, out)
		}
	}
	if score["score"] != 2.0 || score["subject"] != "3604**********0071" {
		t.Errorf("score = %v for %v, want 2 for 3604**********0071", score["score"], score["subject"])
	}
	out = c.ok("explain", "360426199101010071", "--scheme", "jiakuang-majia", "--at", "2026-03-31")
	if !strings.Contains(out, "labour.volunteer") {
		t.Errorf("explain printed %q, want the volunteer record", out)
	}
	out = c.ok("history", "360426199101010071", "--scheme", "jiakuang-majia", "--json")
	if !strings.Contains(out, "recorder-7/2026-03-02/1") {
		t.Errorf("history printed %q, want the record's ref", out)
	}
	c.ok("access", "360426199101010071", "--by", "auditor", "--purpose", "yearly audit")
	out = c.ok("access", "360426199101010071")
	for _, want := range []string{"record", "score", "explain", "history", "access-log", "auditor", "yearly audit"} {
		if !strings.Contains(out, want) {
			t.Errorf("access printed %q, want %q in it", out, want)
		}
	}
}

func TestExitCodesTellErrorsApart(t *testing.T) {
	c := newCLI(t)
	c.ok("init")
	c.ok("rules", "publish", "../../examples/village.yaml")
	for _, tc := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{"subjects", "add", "--id", "340524198001010013", "--name", "李四"}, exitInvalid, "check character"},
		{[]string{"score", "360426199101010071", "--scheme", "jiakuang-majia"}, exitNotFound, "no subject"},
		{[]string{"rules", "show", "nowhere"}, exitNotFound, "nowhere"},
		{[]string{"record", "--scheme", "jiakuang-majia"}, exitInvalid, "subject"},
		{[]string{"frobnicate"}, exitInvalid, "unknown command"},
		{[]string{"rules", "lint", "../../examples/missing.yaml"}, exitNotFound, "missing.yaml"},
	} {
		code, out, errOut := c.run(tc.args...)
		if code != tc.code || !strings.Contains(out+errOut, tc.says) {
			t.Errorf("tally %s: exit %d %q, want exit %d mentioning %q", strings.Join(tc.args, " "), code, out+errOut, tc.code, tc.says)
		}
	}
	code, out, _ := c.run("subjects", "add", "--id", "340524198001010013", "--name", "李四", "--json")
	var e map[string]string
	if err := json.Unmarshal([]byte(out), &e); err != nil || code != exitInvalid || e["code"] != "invalid" || e["field"] != "id" {
		t.Errorf("--json error: exit %d %q, want exit 2 with code invalid and field id", code, out)
	}
}

func TestImportCommandReportsBadRows(t *testing.T) {
	c := newCLI(t)
	c.ok("init")
	c.ok("rules", "publish", "../../examples/village.yaml")
	c.ok("subjects", "add", "--id", "360426199101010071", "--name", "张三")
	c.ok("enrol", "--scheme", "jiakuang-majia", "--subject", "360426199101010071", "--consent")
	file := filepath.Join(t.TempDir(), "records.csv")
	writeFile(t, file, "scheme,subject,rule,at,ref,facts\n"+
		"jiakuang-majia,360426199101010071,labour.volunteer,2026-03-02,f/1,hours=8\n"+
		"jiakuang-majia,360426199101010071,labour.volunteer,2026-03-02,f/2,hours=-3\n")
	code, out, _ := c.run("import", file)
	if code != exitInvalid || !strings.Contains(out, "records.csv:3:") || !strings.Contains(out, "1 recorded") {
		t.Errorf("import: exit %d %q, want exit 2 naming line 3 and 1 recorded", code, out)
	}
	code, out, _ = c.run("import", file)
	if code != exitInvalid || !strings.Contains(out, "0 recorded, 1 unchanged") {
		t.Errorf("import again: exit %d %q, want 0 recorded, 1 unchanged", code, out)
	}
}

func TestDemoBuildsAndRebuilds(t *testing.T) {
	if testing.Short() {
		t.Skip("the demo takes a few seconds")
	}
	c := newCLI(t)
	args := []string{"demo", "--villagers", "30", "--residents", "60", "--shops", "8", "--serve=false"}
	out := c.ok(append(args, "--json")...)
	var sum struct {
		Schemes []struct {
			Scheme   string
			Subjects int
			Records  int
			Scored   int
		}
		Try map[string]struct{ Identifier string }
	}
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatalf("demo --json: %v\n%s", err, out)
	}
	if len(sum.Schemes) != 3 || sum.Schemes[1].Subjects != 60 || sum.Schemes[1].Records == 0 || sum.Schemes[1].Scored == 0 {
		t.Fatalf("demo summary = %+v, want 3 schemes, 60 city residents with records and scores", sum.Schemes)
	}
	city := sum.Try["rongcheng-city"].Identifier
	c.ok("score", city, "--scheme", "rongcheng-city")
	c.ok(args...) // a demo database is rebuilt, not refused
	other := newCLI(t)
	other.ok("init")
	if code, _, errOut := other.run("demo", "--serve=false"); code != exitConflict || !strings.Contains(errOut, "not a demo database") {
		t.Errorf("demo over a real database: exit %d %q, want a refusal", code, errOut)
	}
}

func TestSubjectsImportCommand(t *testing.T) {
	c := newCLI(t)
	c.ok("init")
	c.ok("rules", "publish", "../../examples/village.yaml")
	file := filepath.Join(t.TempDir(), "people.csv")
	writeFile(t, file, "kind,id,name,scheme,unit,consent\n"+
		"person,360426199101010071,张三,jiakuang-majia,一组,yes\n"+
		"person,340524198001010013,王五,jiakuang-majia,一组,yes\n")
	code, out, _ := c.run("subjects", "import", file)
	if code != exitInvalid || !strings.Contains(out, "people.csv:3:") || !strings.Contains(out, "1 added") {
		t.Errorf("subjects import: exit %d %q, want exit 2 naming line 3 and 1 added", code, out)
	}
	c.ok("score", "360426199101010071", "--scheme", "jiakuang-majia")
}
