package logtest

import (
	"context"
	"crypto/rand"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/tallycredit/tally/httpapi"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/sqlite"
	"golang.org/x/mod/sumdb/note"
)

// Key is a note key pair, with its texts.
type Key struct {
	Signer   note.Signer
	Verifier note.Verifier
	// Private is the signer key (PRIVATE+KEY+name+hash+base64), Public
	// the verifier key (name+hash+base64).
	Private, Public string
}

// NewKey returns a new key pair named name.
func NewKey(tb testing.TB, name string) Key {
	tb.Helper()
	skey, vkey, err := note.GenerateKey(rand.Reader, name)
	if err != nil {
		tb.Fatal(err)
	}
	s, err := note.NewSigner(skey)
	if err != nil {
		tb.Fatal(err)
	}
	v, err := note.NewVerifier(vkey)
	if err != nil {
		tb.Fatal(err)
	}
	return Key{Signer: s, Verifier: v, Private: skey, Public: vkey}
}

// Grown returns a log signed by signer of the records prefix1, prefix2,
// ..., with a checkpoint signed at each of sizes, the last the log's size.
func Grown(tb testing.TB, signer note.Signer, prefix string, sizes ...int) *Log {
	tb.Helper()
	l := New(signer)
	for _, n := range sizes {
		if _, err := l.Grow(context.Background(), prefix, n); err != nil {
			tb.Fatal(err)
		}
	}
	return l
}

// Grow adds records prefix(size+1) to prefixN and signs a checkpoint of
// N entries, which it returns.
func (l *Log) Grow(ctx context.Context, prefix string, n int) ([]byte, error) {
	size, err := l.store.TreeSize(ctx)
	if err != nil {
		return nil, err
	}
	var refs []string
	for i := int(size) + 1; i <= n; i++ {
		refs = append(refs, prefix+strconv.Itoa(i))
	}
	if err := l.Add(ctx, "record", refs...); err != nil {
		return nil, err
	}
	return l.Sign(ctx)
}

// API returns tally's API serving log, over a ledger in a throwaway
// SQLite file, without rate limits.
func API(tb testing.TB, log httpapi.Log) http.Handler {
	tb.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(tb.TempDir(), "served.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	key, _ := ledger.ParseKey(ledger.GenerateKey())
	vault, _ := ledger.NewVault(key)
	return httpapi.New(ledger.New(db, vault, ledger.Options{}), slog.New(slog.NewTextHandler(io.Discard, nil)), nil,
		httpapi.Config{Log: log, Rate: 1e6, Burst: 1e6})
}

// Serve serves h on a real listener until the test ends and returns its
// address.
func Serve(tb testing.TB, h http.Handler) string {
	srv := httptest.NewServer(h)
	tb.Cleanup(srv.Close)
	return srv.URL
}
