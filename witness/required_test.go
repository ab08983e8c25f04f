package witness_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/catalog"
	"github.com/tallycredit/tally/internal/logtest"
	"github.com/tallycredit/tally/witness"
	"golang.org/x/mod/sumdb/note"
)

// thirdParty is a witness run by somebody else: it audits the copy of the
// log it is shown, cosigns it, and serves what it cosigned.
type thirdParty struct {
	w   *witness.Witness
	url string // where it serves its cosigned checkpoint
	key string // its verifier key in the cosignature/v1 form
}

func newThirdParty(t *testing.T, name, logURL string, log note.Verifier) *thirdParty {
	t.Helper()
	k := logtest.NewKey(t, name)
	cosigner, err := witness.NewCosigner(k.Private)
	if err != nil {
		t.Fatal(err)
	}
	vkey, err := witness.CosignerKey(k.Private)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	return &thirdParty{
		w:   &witness.Witness{From: logURL, Log: log, Dir: dir, Cosigner: cosigner},
		url: logtest.Serve(t, witness.Handler(dir, slog.New(slog.NewTextHandler(io.Discard, nil)))),
		key: vkey,
	}
}

// required is what a gate is told of the witness: its address and key.
func (p *thirdParty) required(t *testing.T) witness.Required {
	t.Helper()
	v, err := witness.NewCosignatureVerifier(p.key)
	if err != nil {
		t.Fatal(err)
	}
	return witness.Required{URL: p.url, Key: v}
}

// gateClock is the time a gate reads: the real time (which cosignatures
// carry) moved on by a test.
type gateClock struct{ ahead atomic.Int64 }

func (c *gateClock) now() time.Time          { return time.Now().Add(time.Duration(c.ahead.Load())) }
func (c *gateClock) advance(d time.Duration) { c.ahead.Add(int64(d)) }

func heard(t *testing.T, g *witness.Gate, when string) {
	t.Helper()
	if err := g.Heard(); err != nil {
		t.Fatalf("%s: %v, want an answer", when, err)
	}
}

func notHeard(t *testing.T, g *witness.Gate, when, says string) {
	t.Helper()
	err := g.Heard()
	if tally.ErrorCodeOf(err) != tally.EUnavailable || !strings.Contains(err.Error(), says) {
		t.Fatalf("%s: %v, want unavailable saying %q", when, err, says)
	}
	if zh := catalog.ErrorText("zh", err); !strings.Contains(zh, "无法答复") || !strings.Contains(zh, "见证") {
		t.Errorf("%s: in Chinese %q", when, zh)
	}
}

// A gate that requires N witnesses answers once N of them cosigned a
// checkpoint consistent with the one it audited: one shown an earlier
// copy of the log counts (a consistency proof shows it extends), one
// whose cosignature does not verify with the key the gate was given does
// not.
func TestGateRequiresAQuorumOfWitnesses(t *testing.T) {
	logKey, logVerifier := mustKey(t, "court/log")
	url, _ := serve(t, logtest.Grown(t, logKey, "r", 20, 40))
	earlierURL, _ := serve(t, logtest.Grown(t, logKey, "r", 20))
	behind := newThirdParty(t, "behind.example", earlierURL, logVerifier)
	current := newThirdParty(t, "current.example", url, logVerifier)
	misnamed := newThirdParty(t, "misnamed.example", url, logVerifier)
	wrong := misnamed.required(t)
	otherKey, err := witness.CosignerKey(logtest.NewKey(t, "misnamed.example").Private) // the gate was given another key
	if err != nil {
		t.Fatal(err)
	}
	if wrong.Key, err = witness.NewCosignatureVerifier(otherKey); err != nil {
		t.Fatal(err)
	}
	witnesses := []witness.Required{behind.required(t), current.required(t), wrong}
	ctx := context.Background()

	two := &witness.Gate{Witness: &witness.Witness{From: url, Log: logVerifier, Dir: t.TempDir()}, MaxLag: time.Minute, Witnesses: witnesses, Quorum: 2}
	var told bytes.Buffer
	three := &witness.Gate{Witness: &witness.Witness{From: url, Log: logVerifier, Dir: t.TempDir()}, MaxLag: time.Minute, Witnesses: witnesses, Quorum: 3,
		Log: slog.New(slog.NewTextHandler(&told, nil))}
	two.CheckOnce(ctx)
	notHeard(t, two, "before the witnesses cosigned", "0 witnesses of the log court/log")

	for _, p := range []*thirdParty{behind, current, misnamed} {
		mustCheck(t, p.w)
	}
	two.CheckOnce(ctx)
	heard(t, two, "two of three witnesses cosigned")
	three.CheckOnce(ctx)
	notHeard(t, three, "three required, the key of one wrong", "2 witnesses of the log court/log cosigned a checkpoint consistent with the one audited within 1m0s; 3 required")
	// The operator is told which witness does not count and why, once
	// while it stays so.
	three.CheckOnce(ctx)
	if n := strings.Count(told.String(), "a witness does not count"); n != 1 || !strings.Contains(told.String(), "witness=misnamed.example") {
		t.Errorf("after two rounds with the key of misnamed.example wrong, the gate told %d times:\n%s", n, told.String())
	}
}

// A witness counts while its cosignature is recent: one that stopped
// cosigning longer ago than MaxLag no longer does, though the gate's own
// audit is fresh.
func TestGateDoesNotCountAStaleCosignature(t *testing.T) {
	logKey, logVerifier := mustKey(t, "court/log")
	url, _ := serve(t, logtest.Grown(t, logKey, "r", 20))
	p := newThirdParty(t, "w.example", url, logVerifier)
	var clock gateClock
	g := &witness.Gate{Witness: &witness.Witness{From: url, Log: logVerifier, Dir: t.TempDir()}, MaxLag: time.Minute, Now: clock.now,
		Witnesses: []witness.Required{p.required(t)}, Quorum: 1}
	ctx := context.Background()
	mustCheck(t, p.w)
	g.CheckOnce(ctx)
	heard(t, g, "a fresh cosignature")

	clock.advance(61 * time.Second)
	g.CheckOnce(ctx)
	notHeard(t, g, "the cosignature older than the bound", "0 witnesses")

	clock.advance(-3 * time.Minute) // now the cosignature is two minutes ahead of the gate's clock
	g.CheckOnce(ctx)
	notHeard(t, g, "a cosignature from the future", "0 witnesses")
}

// A witness shown another history than the gate (a split view: the log
// signed two histories and showed each to someone else) stops the gate's
// answers for good, with both checkpoints kept as evidence; whether the
// witness's checkpoint is of the gate's size or smaller.
func TestGateDetectsASplitView(t *testing.T) {
	logKey, logVerifier := mustKey(t, "court/log")
	for _, size := range []int{20, 10} {
		url, _ := serve(t, logtest.Grown(t, logKey, "r", 20))
		forkURL, _ := serve(t, logtest.Grown(t, logKey, "other-", size))
		deceived := newThirdParty(t, "deceived.example", forkURL, logVerifier)
		honest := newThirdParty(t, "honest.example", url, logVerifier)
		mustCheck(t, deceived.w)
		mustCheck(t, honest.w)
		dir := t.TempDir()
		g := &witness.Gate{Witness: &witness.Witness{From: url, Log: logVerifier, Dir: dir}, MaxLag: time.Minute,
			Witnesses: []witness.Required{honest.required(t), deceived.required(t)}, Quorum: 1}
		ctx := context.Background()
		g.CheckOnce(ctx)
		notHeard(t, g, "a witness shown another history", "showed the witness deceived.example a history other than the one audited")

		evidence, _ := filepath.Glob(filepath.Join(dir, "evidence-*-split-view-deceived.example"))
		if len(evidence) != 1 {
			t.Fatalf("size %d: evidence %v, want one directory", size, evidence)
		}
		trusted, _ := os.ReadFile(filepath.Join(dir, witness.TrustedFile))
		kept, _ := os.ReadFile(filepath.Join(evidence[0], witness.EvidenceTrusted))
		cosigned, _ := os.ReadFile(filepath.Join(deceived.w.Dir, witness.CosignedFile))
		refused, _ := os.ReadFile(filepath.Join(evidence[0], witness.EvidenceRefused))
		if len(trusted) == 0 || string(kept) != string(trusted) || string(refused) != string(cosigned) {
			t.Errorf("size %d: evidence trusted %q refused %q, want %q and the witness's %q", size, kept, refused, trusted, cosigned)
		}
		g.CheckOnce(ctx)
		notHeard(t, g, "the next round", "showed the witness deceived.example")
	}
}

// A witness serves its latest cosigned checkpoint at GET /checkpoint, 404
// before the first, and nothing else.
func TestWitnessServesItsCosignedCheckpoint(t *testing.T) {
	logKey, logVerifier := mustKey(t, "court/log")
	url, _ := serve(t, logtest.Grown(t, logKey, "r", 20))
	p := newThirdParty(t, "w.example", url, logVerifier)
	get := func(method string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, p.url+witness.CheckpointPath, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b := new(strings.Builder)
		_, _ = io.Copy(b, resp.Body)
		return resp.StatusCode, b.String()
	}
	if code, _ := get("GET"); code != 404 {
		t.Errorf("before the first cosignature: %d, want 404", code)
	}
	seen := mustCheck(t, p.w)
	if code, body := get("GET"); code != 200 || body != string(seen.Cosigned) {
		t.Errorf("after: %d %q, want 200 and %q", code, body, seen.Cosigned)
	}
	if code, _ := get("POST"); code != 405 {
		t.Errorf("POST: %d, want 405", code)
	}

	// A state it cannot read is a fault: 500, and told to the log.
	broken := t.TempDir()
	if err := os.Mkdir(filepath.Join(broken, witness.CosignedFile), 0o755); err != nil {
		t.Fatal(err)
	}
	var told bytes.Buffer
	srv := httptest.NewServer(witness.Handler(broken, slog.New(slog.NewTextHandler(&told, nil))))
	defer srv.Close()
	resp, err := http.Get(srv.URL + witness.CheckpointPath)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 500 || !strings.Contains(told.String(), "cannot read the cosigned checkpoint") {
		t.Errorf("an unreadable state: %d, told %q; want 500, logged", resp.StatusCode, told.String())
	}
}
