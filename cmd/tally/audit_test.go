package main

import (
	"context"
	"crypto/rand"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/tallycredit/tally/httpapi"
	"github.com/tallycredit/tally/internal/logtest"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/sqlite"
	"golang.org/x/mod/sumdb/note"
)

// mustNoteKey returns a new note key pair named name, as text.
func mustNoteKey(t *testing.T, name string) (signer, verifier string) {
	t.Helper()
	s, v, err := note.GenerateKey(rand.Reader, name)
	if err != nil {
		t.Fatal(err)
	}
	return s, v
}

// memLogOf returns a log in memory of records 1 to n signed by skey.
func memLogOf(t *testing.T, skey string, n int) *logtest.Log {
	t.Helper()
	s, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	l := logtest.New(s)
	for i := 1; i <= n; i++ {
		if err := l.Add(context.Background(), "record", strconv.Itoa(i)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := l.Sign(context.Background()); err != nil {
		t.Fatal(err)
	}
	return l
}

// serveMemLog serves log over the API on a real listener.
func serveMemLog(t *testing.T, log httpapi.Log) string {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "served.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	key, _ := ledger.ParseKey(ledger.GenerateKey())
	vault, _ := ledger.NewVault(key)
	api := httpapi.New(ledger.New(db, vault, ledger.Options{}), slog.New(slog.NewTextHandler(io.Discard, nil)), nil, httpapi.Config{Log: log})
	srv := httptest.NewServer(api)
	t.Cleanup(srv.Close)
	return srv.URL
}

// tally audit trusts a log, cosigns its checkpoints with a witness key,
// and stops with an alert in Chinese and English, exit 4 and the evidence
// kept when the log it follows is replaced by another history.
func TestAuditCommand(t *testing.T) {
	c := newCLI(t)
	skey, vkey := mustNoteKey(t, "city.example/log")
	wkey, _ := mustNoteKey(t, "auditor.example")
	keyFile := filepath.Join(t.TempDir(), "witness.key")
	writeFile(t, keyFile, wkey+"\n")
	state := filepath.Join(t.TempDir(), "state")

	url := serveMemLog(t, memLogOf(t, skey, 300))
	got := c.ok("audit", "--from", url, "--key", vkey, "--state", state, "--witness-key", keyFile, "--once")
	if !strings.Contains(got, "trusted 300 entries") || !strings.Contains(got, "— auditor.example ") {
		t.Errorf("audit of a new log: %q, want 300 entries trusted and the cosigned checkpoint", got)
	}
	if got := c.ok("audit", "--from", url, "--key", vkey, "--state", state, "--once"); !strings.Contains(got, "still 300 entries") {
		t.Errorf("audit again: %q", got)
	}

	earlier := serveMemLog(t, memLogOf(t, skey, 200))
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
