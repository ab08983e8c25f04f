package httpapi_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/client"
	"github.com/tallycredit/tally/examples"
	"github.com/tallycredit/tally/httpapi"
	"github.com/tallycredit/tally/internal/logtest"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/sqlite"
	"github.com/tallycredit/tally/translog"
	"golang.org/x/mod/sumdb/note"
)

var _ httpapi.Log = (*logtest.Log)(nil)

// mustMemLog returns a log in memory of n records (refs 1 to n), signed.
func mustMemLog(t testing.TB, n int) *logtest.Log {
	t.Helper()
	return logtest.Grown(t, logtest.NewKey(t, "test.example/log").Signer, "", n)
}

// mustGrow grows lg to n records and returns the checkpoint it signs.
func mustGrow(t testing.TB, lg *logtest.Log, n int) []byte {
	t.Helper()
	msg, err := lg.Grow(context.Background(), "", n)
	if err != nil {
		t.Fatal(err)
	}
	return msg
}

// get returns an answer's status, headers and body; header is pairs of
// name and value, a pair whose value ends in a space left out.
func get(t *testing.T, url string, header ...string) (int, http.Header, []byte) {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		if !strings.HasSuffix(header[i+1], " ") {
			req.Header.Set(header[i], header[i+1])
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, body
}

// The log is served to the public as C2SP tlog-tiles: the signed
// checkpoint, hash tiles and entry bundles, full tiles cached for ever,
// the checkpoint and partial tiles briefly; a tile beyond the checkpoint
// is a 404 and a path that names no tile a 400.
func TestLogIsServedAsTiles(t *testing.T) {
	key := logtest.NewKey(t, "test.example/log")
	lg, v := logtest.New(key.Signer), key.Verifier
	srv := startServer(t, httpapi.Config{Log: lg})

	if status, _, body := get(t, srv.url+"/log/checkpoint"); status != http.StatusNotFound {
		t.Errorf("checkpoint before the first: %d %s, want 404", status, body)
	}
	signed := mustGrow(t, lg, 300)
	status, h, body := get(t, srv.url+"/log/checkpoint")
	if status != http.StatusOK || string(body) != string(signed) {
		t.Fatalf("checkpoint: %d %q, want 200 %q", status, body, signed)
	}
	if ct, cc := h.Get("Content-Type"), h.Get("Cache-Control"); !strings.HasPrefix(ct, "text/plain") || cc != "public, max-age=10" {
		t.Errorf("checkpoint: Content-Type %q, Cache-Control %q", ct, cc)
	}
	c, err := translog.OpenCheckpoint(body, note.VerifierList(v))
	if err != nil || c.Size != 300 {
		t.Fatalf("checkpoint: %+v, %v", c, err)
	}

	for _, tc := range []struct {
		path   string
		status int
		cache  string
		size   int
	}{
		{"tile/0/000", 200, "public, max-age=31536000, immutable", 256 * 32},
		{"tile/0/001.p/44", 200, "public, max-age=10", 44 * 32},
		{"tile/1/000.p/1", 200, "public, max-age=10", 32},
		{"tile/entries/000", 200, "public, max-age=31536000, immutable", 256 * (2 + translog.CommitmentSize)},
		{"tile/entries/001.p/44", 200, "public, max-age=10", 44 * (2 + translog.CommitmentSize)},
		{"tile/0/001", 404, "", 0},
		{"tile/0/001.p/45", 404, "", 0},
		{"tile/0/002", 404, "", 0},
		{"tile/entries/x001/000", 404, "", 0},
		{"tile/0/1", 400, "", 0},
		{"tile/0/000.p/256", 400, "", 0},
		{"tile/x/000", 400, "", 0},
		{"tile/entries", 400, "", 0},
	} {
		status, h, body := get(t, srv.url+"/log/"+tc.path)
		if status != tc.status {
			t.Errorf("%s: %d %.200s, want %d", tc.path, status, body, tc.status)
			continue
		}
		if tc.status != 200 {
			if ct := h.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("%s: Content-Type %q, want a problem", tc.path, ct)
			}
			continue
		}
		if ct, cc := h.Get("Content-Type"), h.Get("Cache-Control"); ct != "application/octet-stream" || cc != tc.cache {
			t.Errorf("%s: Content-Type %q, Cache-Control %q, want application/octet-stream and %q", tc.path, ct, cc, tc.cache)
		}
		if len(body) != tc.size {
			t.Errorf("%s: %d bytes, want %d", tc.path, len(body), tc.size)
		}
	}
	// The client reads the same bytes.
	tile, err := client.New(srv.url, "", nil).LogTile(context.Background(), "tile/entries/000")
	if err != nil {
		t.Fatal(err)
	}
	leaves, err := translog.ParseBundle(tile)
	if err != nil || len(leaves) != 256 || string(leaves[6]) != string(logtest.Leaf("record", "7")) {
		t.Errorf("bundle 0: %d leaves, %v; leaf 6 is not record 7's", len(leaves), err)
	}
}

// By default the API serves the ledger's own log: nothing before its
// first checkpoint (said in Chinese unless English is asked for), then
// the checkpoint the ledger signed and proofs of its entries.
func TestLogIsTheLedgers(t *testing.T) {
	key := logtest.NewKey(t, "test.example/log")
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "log.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	vkey, _ := ledger.ParseKey(ledger.GenerateKey())
	vault, _ := ledger.NewVault(vkey)
	svc := ledger.New(db, vault, ledger.Options{Now: func() time.Time { return now }, Log: ledger.LogSettings{Signer: key.Signer}})
	srv := httptest.NewServer(httpapi.New(svc, slog.New(slog.DiscardHandler), nil, httpapi.Config{}))
	t.Cleanup(srv.Close)
	admin := ledger.WithActor(context.Background(), &tally.Actor{Name: "admin", Role: tally.Admin})
	src, _ := examples.Rulebooks.ReadFile("village.yaml")
	if _, err := svc.Publish(admin, "village.yaml", src); err != nil {
		t.Fatal(err)
	}

	status, _, zh := get(t, srv.URL+"/log/checkpoint")
	_, _, en := get(t, srv.URL+"/log/checkpoint", "Accept-Language", "en")
	if status != http.StatusNotFound || string(zh) == string(en) || !strings.Contains(string(en), "checkpoint") {
		t.Errorf("checkpoint before the first: %d, zh %s, en %s; want 404 in each language", status, zh, en)
	}
	c, err := svc.SignLogCheckpoint(admin)
	if err != nil {
		t.Fatal(err)
	}
	if status, _, body := get(t, srv.URL+"/log/checkpoint"); status != http.StatusOK || string(body) != string(c.Note) {
		t.Errorf("checkpoint: %d %q, want the ledger's %q", status, body, c.Note)
	}
	p, err := client.New(srv.URL, "", nil).LogProof(context.Background(), "rulebook", "jiakuang-majia/1", 0)
	if err != nil {
		t.Fatal(err)
	}
	signed, err := translog.OpenCheckpoint([]byte(p.Checkpoint), note.VerifierList(key.Verifier))
	if err != nil || p.Proof.Verify(p.Leaf, signed.Root) != nil {
		t.Errorf("the rulebook's proof does not verify against %+v: %v", signed, err)
	}
}

// Inclusion and consistency proofs, over the API and the client, check
// against the signed checkpoints; what cannot be proved is refused with
// the field at fault.
func TestLogProofs(t *testing.T) {
	key := logtest.NewKey(t, "test.example/log")
	lg, v := logtest.New(key.Signer), key.Verifier
	srv := startServer(t, httpapi.Config{Log: lg})
	ctx := context.Background()
	cl := client.New(srv.url, "", nil)

	first := mustGrow(t, lg, 70)
	second := mustGrow(t, lg, 300)
	old, err := translog.OpenCheckpoint(first, note.VerifierList(v))
	if err != nil {
		t.Fatal(err)
	}
	latest, err := translog.OpenCheckpoint(second, note.VerifierList(v))
	if err != nil {
		t.Fatal(err)
	}

	for _, size := range []int64{0, 70} {
		p, err := cl.LogProof(ctx, "record", "42", size)
		if err != nil {
			t.Fatalf("proof of record 42 at %d: %v", size, err)
		}
		c, err := translog.OpenCheckpoint([]byte(p.Checkpoint), note.VerifierList(v))
		if err != nil {
			t.Fatal(err)
		}
		want := map[int64]translog.Checkpoint{0: latest, 70: old}[size]
		if c.Size != want.Size || c.Root != want.Root || p.Proof.Size != want.Size || p.Proof.Index != 41 {
			t.Errorf("proof at %d: checkpoint %+v, proof %d of %d", size, c, p.Proof.Index, p.Proof.Size)
		}
		if err := p.Proof.Verify(p.Leaf, c.Root); err != nil {
			t.Errorf("proof at %d does not verify: %v", size, err)
		}
	}
	cp, err := cl.LogConsistency(ctx, 70, 300)
	if err != nil {
		t.Fatal(err)
	}
	if err := cp.Verify(old.Root, latest.Root); err != nil {
		t.Errorf("consistency 70 → 300 does not verify: %v", err)
	}
	if _, err := translog.Audit(v, old, second, *cp); err != nil {
		t.Errorf("an auditor refuses the served proof: %v", err)
	}

	for _, tc := range []struct {
		query  string
		status int
		field  string
	}{
		{"log/proof?kind=record&ref=999", 404, ""},
		{"log/proof?kind=record&ref=42&size=71", 404, ""},
		{"log/proof?ref=42", 400, "kind"},
		{"log/proof?kind=record", 400, "ref"},
		{"log/proof?kind=record&ref=42&size=-1", 400, "size"},
		{"log/consistency?from=70", 400, "to"},
		{"log/consistency?from=x&to=300", 400, "from"},
		{"log/consistency?from=300&to=70", 400, ""},
		{"log/consistency?from=70&to=301", 404, ""},
	} {
		status, _, p := raw(t, "GET", srv.url+"/api/v1/"+tc.query, "", "", "", nil)
		if status != tc.status || (tc.field != "" && p["field"] != tc.field) {
			t.Errorf("%s: %d %v, want %d at %q", tc.query, status, p, tc.status, tc.field)
		}
	}
	var ce *client.Error
	if _, err := cl.InLanguage("en").LogProof(ctx, "record", "", 0); !errors.As(err, &ce) || !strings.Contains(ce.Detail, "name the entry") {
		t.Errorf("proof without a ref, in English: %v", err)
	}
	if _, err := cl.LogProof(ctx, "record", "", 0); !errors.As(err, &ce) || strings.Contains(ce.Detail, "name the entry") {
		t.Errorf("proof without a ref, by default: %v, want Chinese", err)
	}
}

// A client catching up on the log reads many tiles in a row: they have a
// rate limit of their own, far above the API's, but still a limit.
func TestTilesHaveARateLimitOfTheirOwn(t *testing.T) {
	key := logtest.NewKey(t, "test.example/log")
	lg := logtest.New(key.Signer)
	srv := startServer(t, httpapi.Config{Log: lg, Rate: 1, Burst: 3})
	mustGrow(t, lg, 300)
	got := map[int]int{}
	for range 100 {
		status, _, _ := get(t, srv.url+"/log/tile/0/000")
		got[status]++
	}
	if got[200] != 100 {
		t.Errorf("100 tiles in a row under an API burst of 3: %v, want all 200", got)
	}
	for range 200 {
		status, _, _ := get(t, srv.url+"/log/tile/0/000")
		got[status]++
	}
	if got[http.StatusTooManyRequests] == 0 {
		t.Errorf("300 tiles in a row: %v, want some refused once their own burst is spent", got)
	}
}
