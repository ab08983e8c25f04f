package main

import (
	"strings"
	"testing"
	"time"
)

// Notice before listing at the command line: lists add on a list with a
// statement period proposes; a decision before the statement is refused;
// the proposer may not decide; another official lists after the
// statement, and the check is then denied.
func TestProposalsAtTheCommandLine(t *testing.T) {
	c := newCLI(t)
	c.ok("init")
	const id = "360426199101010071"
	today := time.Now().Format(time.DateOnly)
	out := c.ok("lists", "add", "--list", "serious-violators", "--subject", id, "--name", "张三", "--case", "荣市监罚〔2026〕7号",
		"--court", "荣成市市场监督管理局", "--decided", today, "--grounds", "sold counterfeit medicine", "--basis", "Drug Administration Law art. 116",
		"--by", "samr-wang")
	if !strings.Contains(out, "proposal #1") || !strings.Contains(out, "may state its case until") {
		t.Fatalf("lists add on a list with a statement period printed %q, want proposal #1 and the last day", out)
	}
	if code, _, _ := c.run("check", id, "--measure", "government-tender"); code != 0 {
		t.Errorf("check while proposed: exit %d, want allowed", code)
	}
	if code, _, errOut := c.run("proposals", "decide", "1", "--list", "--reasons", "proven", "--by", "reviewer-li"); code != exitConflict ||
		!strings.Contains(errOut, "may state its case") {
		t.Errorf("a decision before the statement: exit %d %q, want %d", code, errOut, exitConflict)
	}
	if out := c.ok("proposals", "state", "1", "--text", "the medicine was genuine", "--by", "张三"); !strings.Contains(out, "statement of") {
		t.Errorf("proposals state printed %q", out)
	}
	if code, _, errOut := c.run("proposals", "decide", "1", "--list", "--reasons", "proven", "--by", "samr-wang"); code != exitForbidden ||
		!strings.Contains(errOut, "proposed #1") {
		t.Errorf("the proposer deciding: exit %d %q, want %d", code, errOut, exitForbidden)
	}
	if code, _, errOut := c.run("proposals", "decide", "1", "--reasons", "proven", "--by", "reviewer-li"); code != exitInvalid ||
		!strings.Contains(errOut, "--list") {
		t.Errorf("a decision neither to list nor to drop: exit %d %q", code, errOut)
	}
	out = c.ok("proposals", "decide", "1", "--list", "--reasons", "the lab report shows it", "--by", "reviewer-li")
	if !strings.Contains(out, "listed") || !strings.Contains(out, "entry #1") {
		t.Errorf("proposals decide --list printed %q, want listed with entry #1", out)
	}
	if code, _, _ := c.run("check", id, "--measure", "government-tender"); code != checkDenied {
		t.Errorf("check after listing: exit %d, want denied (%d)", code, checkDenied)
	}
	if out := c.ok("proposals", "list", "--list", "serious-violators"); strings.Count(out, "proposal #") != 1 || !strings.Contains(out, "listed") {
		t.Errorf("proposals list printed %q", out)
	}
	if out := c.ok("proposals", "list", "--open"); !strings.Contains(out, "no proposals") {
		t.Errorf("proposals list --open printed %q, want none", out)
	}
}
