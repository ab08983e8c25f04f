package main

import (
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"
)

// tally serve answers the CLI's remote mode, and stops cleanly when its
// context ends (as on SIGINT or SIGTERM).
func TestServeAndRemoteMode(t *testing.T) {
	c := newCLI(t)
	c.ok("init")
	c.ok("rules", "publish", "../../examples/village.yaml")
	c.ok("subjects", "add", "--id", "360426199101010071", "--name", "张三")
	c.ok("enrol", "--scheme", "jiakuang-majia", "--subject", "360426199101010071", "--consent")
	var tok struct{ Token string }
	if err := json.Unmarshal([]byte(c.ok("tokens", "create", "--name", "recorder-7", "--role", "recorder",
		"--schemes", "jiakuang-majia", "--json")), &tok); err != nil || !strings.HasPrefix(tok.Token, "tly_") {
		t.Fatalf("tokens create --json: %v %q", err, tok.Token)
	}
	var reviewer struct{ Token string }
	_ = json.Unmarshal([]byte(c.ok("tokens", "create", "--name", "reviewer-2", "--role", "reviewer", "--json")), &reviewer)

	ctx, stop := context.WithCancel(context.Background())
	out, w := io.Pipe()
	exited := make(chan int, 1)
	go func() {
		var errOut strings.Builder
		exited <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--db", c.db}, strings.NewReader(""), w, &errOut)
		w.Close()
	}()
	url := servedAt(t, out)

	remote := func(token string, args ...string) (int, string, string) {
		return c.run(append(args, "--server", url, "--token", token)...)
	}
	code, got, errOut := remote(tok.Token, "record", "--scheme", "jiakuang-majia", "--subject", "360426199101010071",
		"--rule", "labour.volunteer", "--fact", "hours=8", "--at", "2026-03-02", "--ref", "remote/1")
	if code != 0 || !strings.Contains(got, "+2") {
		t.Fatalf("remote record: exit %d %q %q", code, got, errOut)
	}
	code, _, errOut = remote(tok.Token, "score", "360426199101010071", "--scheme", "jiakuang-majia")
	if code != exitForbidden {
		t.Errorf("remote score as a recorder: exit %d %q, want %d (forbidden)", code, errOut, exitForbidden)
	}
	code, got, errOut = remote(reviewer.Token, "score", "360426199101010071", "--scheme", "jiakuang-majia", "--at", "2026-03-31", "--json")
	var score map[string]any
	if code != 0 || json.Unmarshal([]byte(got), &score) != nil || score["score"] != 2.0 {
		t.Errorf("remote score as a reviewer: exit %d %q %q, want score 2", code, got, errOut)
	}
	code, got, _ = remote(reviewer.Token, "history", "360426199101010071", "--scheme", "jiakuang-majia")
	if code != 0 || !strings.Contains(got, "labour.volunteer") {
		t.Errorf("remote history: exit %d %q", code, got)
	}
	code, _, errOut = remote("tly_forged", "history", "360426199101010071", "--scheme", "jiakuang-majia")
	if code != exitForbidden || !strings.Contains(errOut, "401") {
		t.Errorf("remote with a forged token: exit %d %q, want a 401 refusal", code, errOut)
	}

	stop()
	select {
	case code := <-exited:
		if code != 0 {
			t.Errorf("serve exited %d after its context ended, want 0", code)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop within 20s of its context ending")
	}
}

// A body limit of zero or less is refused before anything is served.
func TestServeRefusesBadBodyLimits(t *testing.T) {
	c := newCLI(t)
	c.ok("init")
	for _, flag := range []string{"--max-body", "--max-upload", "--max-public-form", "--max-form", "--max-form-upload", "--max-form-field"} {
		// A server that starts anyway stops at once: the context is done.
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		var out, errBuf strings.Builder
		code := run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--db", c.db, flag, "0"}, strings.NewReader(""), &out, &errBuf)
		errOut := errBuf.String()
		if code != exitInvalid || !strings.Contains(errOut, flag) {
			t.Errorf("serve %s 0: exit %d %q, want %d naming the flag", flag, code, errOut, exitInvalid)
		}
	}
}
