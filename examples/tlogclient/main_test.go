package main

import (
	"bytes"
	"context"
	"go/parser"
	"go/token"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/tallycredit/tally/internal/logtest"
)

// The client is what an outsider can write from the specifications: it
// imports the standard library and golang.org/x/mod's note and tlog, and
// nothing of tally's.
func TestImportsOnlyTheStandardLibraryAndXMod(t *testing.T) {
	allowed := map[string]bool{"golang.org/x/mod/sumdb/note": true, "golang.org/x/mod/sumdb/tlog": true}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			first, _, _ := strings.Cut(path, "/")
			if !allowed[path] && strings.Contains(first, ".") {
				t.Errorf("%s imports %s: the client may use only the standard library, note and tlog", name, path)
			}
		}
		checked++
	}
	if checked == 0 {
		t.Fatal("no source file checked")
	}
}

// tamper serves next, but with the byte at of the answers to path flipped.
func tamper(next http.Handler, path string, at int) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != path {
			next.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		body := rec.Body.Bytes()
		body[at] ^= 1
		w.WriteHeader(rec.Code)
		_, _ = w.Write(body)
	})
}

// The client checks a log of 300 leaves served by tally's API (a full
// tile and a partial one), and refuses a tampered hash tile, a tampered
// entry bundle and a checkpoint signed by another key.
func TestChecksAServedLog(t *testing.T) {
	key := logtest.NewKey(t, "city.example/log")
	vkey, otherKey := key.Public, logtest.NewKey(t, "city.example/log").Public
	api := logtest.API(t, logtest.Grown(t, key.Signer, "", 300))
	ctx := context.Background()

	srv := httptest.NewServer(api)
	defer srv.Close()
	for _, leaf := range []int64{-1, 0, 255, 256} {
		var out bytes.Buffer
		if err := check(ctx, srv.Client(), srv.URL, vkey, leaf, &out); err != nil {
			t.Errorf("leaf %d: %v", leaf, err)
		}
		if !strings.Contains(out.String(), "as signed") || !strings.Contains(out.String(), "is in the tree") {
			t.Errorf("leaf %d: %s", leaf, out.String())
		}
	}
	if err := check(ctx, srv.Client(), srv.URL, otherKey, -1, io.Discard); err == nil {
		t.Error("a checkpoint checked with another key of the same name passed")
	}
	for _, tc := range []struct {
		path string
		at   int
		leaf int64
	}{
		{"/log/tile/0/000", 3*32 + 7, 3},
		{"/log/tile/0/001.p/44", 43*32 + 1, -1},
		{"/log/tile/1/000.p/1", 0, 3},
		{"/log/tile/entries/000", 2 + 33 + 2 + 9, 1}, // in leaf 1, after leaf 0 and its length
	} {
		bad := httptest.NewServer(tamper(api, tc.path, tc.at))
		err := check(ctx, bad.Client(), bad.URL, vkey, tc.leaf, io.Discard)
		bad.Close()
		if err == nil {
			t.Errorf("%s tampered, leaf %d: the client accepted the log", tc.path, tc.leaf)
		} else if strings.Contains(err.Error(), "GET /log/") {
			t.Errorf("%s tampered, leaf %d: %v, want the tampering found, not a failed request", tc.path, tc.leaf, err)
		}
	}
}

// The tile paths are C2SP's.
func TestTilePath(t *testing.T) {
	for _, tc := range []struct {
		level string
		n, w  int64
		want  string
	}{
		{"0", 0, 256, "tile/0/000"},
		{"1", 5, 3, "tile/1/005.p/3"},
		{"entries", 1234067, 256, "tile/entries/x001/x234/067"},
		{"2", 1000, 255, "tile/2/x001/000.p/255"},
	} {
		if got := tilePath(tc.level, tc.n, tc.w); got != tc.want {
			t.Errorf("tilePath(%s, %d, %d) = %q, want %q", tc.level, tc.n, tc.w, got, tc.want)
		}
	}
}
