package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tallycredit/tally/internal/logtest"
)

// tally audit trusts a log, cosigns its checkpoints with a witness key,
// and stops with an alert in Chinese and English, exit 4 and the evidence
// kept when the log it follows is replaced by another history.
func TestAuditCommand(t *testing.T) {
	c := newCLI(t)
	log := logtest.NewKey(t, "city.example/log")
	vkey := log.Public
	keyFile := filepath.Join(t.TempDir(), "witness.key")
	writeFile(t, keyFile, logtest.NewKey(t, "auditor.example").Private+"\n")
	state := filepath.Join(t.TempDir(), "state")

	url := logtest.Serve(t, logtest.API(t, logtest.Grown(t, log.Signer, "", 300)))
	got := c.ok("audit", "--from", url, "--key", vkey, "--state", state, "--witness-key", keyFile, "--once")
	if !strings.Contains(got, "trusted 300 entries") || !strings.Contains(got, "— auditor.example ") {
		t.Errorf("audit of a new log: %q, want 300 entries trusted and the cosigned checkpoint", got)
	}
	if got := c.ok("audit", "--from", url, "--key", vkey, "--state", state, "--once"); !strings.Contains(got, "still 300 entries") {
		t.Errorf("audit again: %q", got)
	}

	earlier := logtest.Serve(t, logtest.API(t, logtest.Grown(t, log.Signer, "", 200)))
	code, out, errOut := c.run("audit", "--from", earlier, "--key", vkey, "--state", state, "--once")
	if code != exitConflict || !strings.Contains(errOut, "告警") || !strings.Contains(errOut, "ALERT: rollback") {
		t.Errorf("audit of a rolled-back log: exit %d %q %q, want %d and the alert in both languages", code, out, errOut, exitConflict)
	}
	evidence, _ := filepath.Glob(filepath.Join(state, "evidence-*-rollback", "refused"))
	if len(evidence) != 1 {
		t.Errorf("evidence kept: %v, want the refused checkpoint", evidence)
	}

	for _, tc := range []struct {
		args  []string
		field string
	}{
		{[]string{"--key", vkey, "--state", state}, "--from"},
		{[]string{"--from", url, "--key", vkey}, "--state"},
		{[]string{"--from", url, "--key", "not-a-key", "--state", state}, "--key"},
		{[]string{"--from", url, "--key", vkey, "--state", state, "--every", "0s"}, "--every"},
	} {
		code, _, errOut := c.run(append([]string{"audit", "--once"}, tc.args...)...)
		if code != exitInvalid || !strings.Contains(errOut, tc.field) {
			t.Errorf("audit %v: exit %d %q, want %d naming %s", tc.args, code, errOut, exitInvalid, tc.field)
		}
	}
	if _, err := os.Stat(filepath.Join(state, "cosigned")); err != nil {
		t.Errorf("the cosigned checkpoint is not kept: %v", err)
	}
}
