package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// Credit commitments at the command line: signed and granted, listed,
// kept; another broken into a record, but not by the official who
// recorded it; bad input names the flag.
func TestCommitmentsAtTheCommandLine(t *testing.T) {
	c := newCLI(t)
	c.ok("init")
	c.ok("rules", "publish", "../../examples/city.yaml")
	const id = "360426199101010071"
	c.ok("subjects", "add", "--kind", "person", "--id", id, "--name", "张三")
	c.ok("enrol", "--scheme", "rongcheng-city", "--subject", id, "--consent")
	due := time.Now().AddDate(0, 1, 0).Format(time.DateOnly)
	sign := func(extra ...string) []string {
		return append([]string{"commitments", "sign", "--scheme", "rongcheng-city", "--subject", id, "--what", "补交完税证明",
			"--what-en", "supply the tax clearance", "--due", due, "--rule", "tax.arrears", "--permit", "营业执照 42", "--by", "tax-wang"}, extra...)
	}
	out := c.ok(sign()...)
	if !strings.Contains(out, "commitment #1") || !strings.Contains(out, "granted") || !strings.Contains(out, due) {
		t.Errorf("commitments sign printed %q, want #1 granted, due %s", out, due)
	}
	c.ok(sign()...)
	if out := c.ok("commitments", "fulfil", "1", "--note", "clearance received", "--by", "tax-wang"); !strings.Contains(out, "fulfilled") {
		t.Errorf("commitments fulfil printed %q", out)
	}
	if code, _, errOut := c.run("commitments", "breach", "2", "--note", "nothing came", "--by", "tax-wang"); code != exitForbidden ||
		!strings.Contains(errOut, "recorded commitment #2") {
		t.Errorf("the official who recorded it breaching it: exit %d %q, want 5", code, errOut)
	}
	out = c.ok("commitments", "breach", "2", "--note", "nothing came", "--by", "tax-li", "--json")
	var broken struct {
		State      string `json:"state"`
		Settlement struct {
			Record int64 `json:"record"`
		} `json:"settlement"`
	}
	if err := json.Unmarshal([]byte(out), &broken); err != nil || broken.State != "breached" || broken.Settlement.Record != 1 {
		t.Fatalf("commitments breach printed %s (%v), want breached with record #1", out, err)
	}
	if out := c.ok("history", id, "--scheme", "rongcheng-city"); !strings.Contains(out, "tax.arrears") {
		t.Errorf("history after the breach: %q, want the tax.arrears record", out)
	}
	if out := c.ok("commitments", "list", "--open"); !strings.Contains(out, "no commitments") {
		t.Errorf("commitments list --open printed %q, want none open", out)
	}
	if out := c.ok("commitments", "list", "--subject", id); strings.Count(out, "commitment #") != 2 {
		t.Errorf("commitments list printed %q, want both", out)
	}
	for _, tc := range []struct {
		args  []string
		field string
	}{
		{sign("--what-en", ""), "what.en"},
		{sign("--due", "2020-01-01"), "due"},
		{sign("--rule", "health.blood-donation"), "rule"},
	} {
		if code, _, errOut := c.run(tc.args...); code != exitInvalid || !strings.Contains(errOut, tc.field) {
			t.Errorf("%v: exit %d %q, want 2 naming %s", tc.args[len(tc.args)-2:], code, errOut, tc.field)
		}
	}
	if out := c.ok("commitments", "list"); strings.Count(out, "commitment #") != 2 {
		t.Errorf("bad input wrote a commitment: %q", out)
	}
}
