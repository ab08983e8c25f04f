package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// Due process at the command line: a serious deduction waits for a second
// person (the recorder cannot approve it); an objection is filed, voided by
// another reviewer and the score comes back; a repair is applied for and
// refused; bad input names the flag.
func TestDueProcessAtTheCommandLine(t *testing.T) {
	c := newCLI(t)
	c.ok("init")
	c.ok("rules", "publish", "../../examples/city.yaml")
	const id = "360426199101010071"
	c.ok("subjects", "add", "--kind", "person", "--id", id, "--name", "张三")
	c.ok("enrol", "--scheme", "rongcheng-city", "--subject", id, "--consent")
	out := c.ok("record", "--scheme", "rongcheng-city", "--subject", id, "--rule", "utilities.theft", "--at", "2026-03-02",
		"--ref", "court/1", "--evidence", "judgment", "--by", "recorder-7", "--json")
	var rec struct {
		ID      int64  `json:"id"`
		Pending string `json:"pending"`
	}
	if err := json.Unmarshal([]byte(out), &rec); err != nil || rec.Pending == "" {
		t.Fatalf("record printed %s (%v), want it pending", out, err)
	}
	if out := c.ok("review", "pending"); !strings.Contains(out, "utilities.theft") {
		t.Errorf("review pending printed %q, want the theft", out)
	}
	if code, _, errOut := c.run("review", "approve", "1", "--by", "recorder-7"); code != exitForbidden || !strings.Contains(errOut, "second person") {
		t.Errorf("the recorder approving: exit %d %q, want 5", code, errOut)
	}
	c.ok("review", "approve", "1", "--by", "reviewer-2", "--reasons", "judgment seen")
	if out := c.ok("score", id, "--scheme", "rongcheng-city", "--json"); !strings.Contains(out, `"score": 940`) {
		t.Errorf("score after approval: %s, want 940", out)
	}

	c.ok("record", "--scheme", "rongcheng-city", "--subject", id, "--rule", "finance.loan-default", "--at", "2026-03-03",
		"--ref", "bank/1", "--evidence", "letter", "--by", "recorder-7")
	if code, _, errOut := c.run("objections", "file", "--scheme", "rongcheng-city", "--subject", id, "--record", "2"); code != exitInvalid || !strings.Contains(errOut, "grounds") {
		t.Errorf("an objection without grounds: exit %d %q, want 2 naming grounds", code, errOut)
	}
	out = c.ok("objections", "file", "--scheme", "rongcheng-city", "--subject", id, "--record", "2", "--grounds", "repaid in time", "--by", "张三")
	if !strings.Contains(out, "#1 objection") || !strings.Contains(out, "decide by") {
		t.Errorf("objections file printed %q", out)
	}
	if out := c.ok("objections", "list", "--open"); !strings.Contains(out, "repaid in time") {
		t.Errorf("objections list printed %q", out)
	}
	c.ok("objections", "ack", "1", "--by", "reviewer-2")
	out = c.ok("objections", "decide", "1", "--outcome", "voided", "--reasons", "bank confirms", "--by", "reviewer-2")
	if !strings.Contains(out, "decided voided") {
		t.Errorf("objections decide printed %q", out)
	}
	if out := c.ok("score", id, "--scheme", "rongcheng-city", "--json"); !strings.Contains(out, `"score": 940`) {
		t.Errorf("score after the void: %s, want 940", out)
	}
	if code, _, _ := c.run("objections", "appeal", "1", "--grounds", "x"); code != exitInvalid {
		t.Errorf("appeal of a decision in one's favour: exit %d, want 2", code)
	}
	if code, _, errOut := c.run("repair", "apply", "--scheme", "rongcheng-city", "--subject", id, "--record", "1", "--obligations", "paid"); code != exitInvalid || !strings.Contains(errOut, "after 1y") {
		t.Errorf("an early repair of a serious deduction: exit %d %q, want 2", code, errOut)
	}
}

// Notices at the command line: a record queues one; send delivers it to
// the log; a bad address names the flag.
func TestNoticesAtTheCommandLine(t *testing.T) {
	c := newCLI(t)
	c.ok("init")
	c.ok("rules", "publish", "../../examples/village.yaml")
	const id = "360426199101010071"
	c.ok("subjects", "add", "--kind", "person", "--id", id, "--name", "张三")
	c.ok("enrol", "--scheme", "jiakuang-majia", "--subject", id, "--consent")
	if code, _, errOut := c.run("notices", "contact", "--subject", id, "--email", "nope"); code != exitInvalid || !strings.Contains(errOut, "email") {
		t.Errorf("a bad address: exit %d %q, want 2 naming email", code, errOut)
	}
	c.ok("notices", "contact", "--subject", id, "--email", "zhang@example.cn")
	c.ok("record", "--scheme", "jiakuang-majia", "--subject", id, "--rule", "labour.volunteer", "--fact", "hours=8", "--at", "2026-03-02", "--ref", "r/1")
	if out := c.ok("notices", "list", "--open"); !strings.Contains(out, "undelivered") {
		t.Errorf("notices list printed %q, want one undelivered", out)
	}
	if out := c.ok("notices", "send"); !strings.Contains(out, "1 delivered") {
		t.Errorf("notices send printed %q", out)
	}
	if out := c.ok("notices", "list", "--open"); !strings.Contains(out, "no notices") {
		t.Errorf("after send: %q, want none open", out)
	}
	if code, _, errOut := c.run("notices", "send", "--smtp", "127.0.0.1:1"); code != exitInvalid || !strings.Contains(errOut, "from") {
		t.Errorf("smtp without --from: exit %d %q", code, errOut)
	}
}
