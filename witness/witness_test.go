package witness_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/tallycredit/tally/internal/logtest"
	"github.com/tallycredit/tally/translog"
	"github.com/tallycredit/tally/wire"
	"github.com/tallycredit/tally/witness"
	"golang.org/x/mod/sumdb/note"
)

// served is the log an instance serves, which a test may swap for
// another, as an operator restoring an old backup would.
type served struct {
	mu  sync.Mutex
	log *logtest.Log
}

func (s *served) now() *logtest.Log { s.mu.Lock(); defer s.mu.Unlock(); return s.log }

func (s *served) swap(l *logtest.Log) { s.mu.Lock(); defer s.mu.Unlock(); s.log = l }

func (s *served) Checkpoint(ctx context.Context) ([]byte, error) { return s.now().Checkpoint(ctx) }

func (s *served) Tile(ctx context.Context, path string) ([]byte, error) {
	return s.now().Tile(ctx, path)
}

func (s *served) Inclusion(ctx context.Context, kind, ref string, size int64) (*wire.LogProof, error) {
	return s.now().Inclusion(ctx, kind, ref, size)
}

func (s *served) Consistency(ctx context.Context, from, to int64) (translog.ConsistencyProof, error) {
	return s.now().Consistency(ctx, from, to)
}

// serve serves log on a real listener and returns its address and the
// means to swap it.
func serve(t *testing.T, log *logtest.Log) (string, *served) {
	t.Helper()
	s := &served{log: log}
	return logtest.Serve(t, logtest.API(t, s)), s
}

// mustKey returns a new key pair named name.
func mustKey(t *testing.T, name string) (note.Signer, note.Verifier) {
	k := logtest.NewKey(t, name)
	return k.Signer, k.Verifier
}

func mustCheck(t *testing.T, w *witness.Witness) *witness.Seen {
	t.Helper()
	seen, err := w.Check(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return seen
}

// A witness trusts the first checkpoint it sees, then each one a
// consistency proof shows extends it; it keeps the latest in its state
// directory and, with a key, cosigns it.
func TestWitnessFollowsAGrowingLog(t *testing.T) {
	logKey, logVerifier := mustKey(t, "city.example/log")
	witnessKey, witnessVerifier := mustKey(t, "auditor.example")
	lg := logtest.Grown(t, logKey, "r", 10)
	url, _ := serve(t, lg)
	w := &witness.Witness{From: url, Log: logVerifier, Dir: t.TempDir(), Cosigner: witnessKey}

	if seen := mustCheck(t, w); seen.Checkpoint.Size != 10 || !seen.Grew {
		t.Errorf("first check: %+v, want 10 entries, new", seen)
	}
	if seen := mustCheck(t, w); seen.Grew {
		t.Errorf("second check of the same log: %+v, want nothing new", seen)
	}
	signed, err := lg.Grow(context.Background(), "r", 300)
	if err != nil {
		t.Fatal(err)
	}
	seen := mustCheck(t, w)
	if seen.Checkpoint.Size != 300 || !seen.Grew {
		t.Errorf("after growth: %+v, want 300 entries, new", seen)
	}
	trusted, err := os.ReadFile(filepath.Join(w.Dir, witness.TrustedFile))
	if err != nil || string(trusted) != string(signed) {
		t.Errorf("trusted file: %q, %v; want the checkpoint of 300", trusted, err)
	}
	cosigned, err := os.ReadFile(filepath.Join(w.Dir, witness.CosignedFile))
	if err != nil {
		t.Fatal(err)
	}
	c, names, err := translog.Cosigners(cosigned, note.VerifierList(logVerifier, witnessVerifier))
	if err != nil || c.Size != 300 || len(names) != 1 || names[0] != "auditor.example" {
		t.Errorf("cosigned: %+v by %v, %v; want 300 entries cosigned by auditor.example", c, names, err)
	}
}

// alertOf runs a check that must raise an alert of finding f and returns it.
func alertOf(t *testing.T, w *witness.Witness, f translog.Finding) *witness.Alert {
	t.Helper()
	trustedBefore, _ := os.ReadFile(filepath.Join(w.Dir, witness.TrustedFile))
	_, err := w.Check(context.Background())
	var a *witness.Alert
	if !errors.As(err, &a) || a.Finding != f {
		t.Fatalf("check: %v, want an alert of %s", err, f)
	}
	trustedAfter, _ := os.ReadFile(filepath.Join(w.Dir, witness.TrustedFile))
	if string(trustedAfter) != string(trustedBefore) {
		t.Errorf("after the alert the trusted checkpoint changed to %q", trustedAfter)
	}
	kept, err := os.ReadFile(filepath.Join(a.Evidence, witness.EvidenceTrusted))
	if err != nil || string(kept) != string(trustedBefore) {
		t.Errorf("evidence: trusted %q, %v; want %q", kept, err, trustedBefore)
	}
	if _, err := os.ReadFile(filepath.Join(a.Evidence, witness.EvidenceRefused)); err != nil {
		t.Errorf("evidence: no refused checkpoint: %v", err)
	}
	return a
}

// The log rolled back: the instance serves an earlier copy of itself.
func TestWitnessDetectsARollback(t *testing.T) {
	logKey, logVerifier := mustKey(t, "city.example/log")
	earlier := logtest.Grown(t, logKey, "r", 200)
	url, srv := serve(t, logtest.Grown(t, logKey, "r", 200, 300))
	w := &witness.Witness{From: url, Log: logVerifier, Dir: t.TempDir()}
	mustCheck(t, w)
	srv.swap(earlier)
	a := alertOf(t, w, translog.Rollback)
	refused, _ := os.ReadFile(filepath.Join(a.Evidence, witness.EvidenceRefused))
	if want, _ := earlier.Checkpoint(context.Background()); string(refused) != string(want) {
		t.Errorf("evidence: refused %q, want the earlier copy's %q", refused, want)
	}
}

// The log forked: another history signed by the same key, larger or of
// the same size.
func TestWitnessDetectsAFork(t *testing.T) {
	logKey, logVerifier := mustKey(t, "city.example/log")
	for _, size := range []int{300, 200} {
		url, srv := serve(t, logtest.Grown(t, logKey, "r", 200))
		w := &witness.Witness{From: url, Log: logVerifier, Dir: t.TempDir()}
		mustCheck(t, w)
		srv.swap(logtest.Grown(t, logKey, "other-", size))
		alertOf(t, w, translog.Fork)
	}
}

// The log's key changed: a checkpoint under the log's name signed by
// another key.
func TestWitnessDetectsAKeyChange(t *testing.T) {
	logKey, logVerifier := mustKey(t, "city.example/log")
	newKey, _ := mustKey(t, "city.example/log")
	url, srv := serve(t, logtest.Grown(t, logKey, "r", 20))
	w := &witness.Witness{From: url, Log: logVerifier, Dir: t.TempDir()}
	mustCheck(t, w)
	srv.swap(logtest.Grown(t, newKey, "r", 20, 40))
	alertOf(t, w, translog.KeyChanged)
}
