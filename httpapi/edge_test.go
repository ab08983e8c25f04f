package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/httpapi"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/sqlite"
)

// faultyStore fails (or panics) on every call while fault is set: a store
// with a bug, or a broken disk.
type faultyStore struct {
	ledger.Store
	fault *atomic.Value // "error", "panic" or ""
}

func (f faultyStore) View(ctx context.Context, fn func(ledger.Tx) error) error {
	switch f.fault.Load() {
	case "error":
		return errors.New("disk on fire")
	case "panic":
		panic("store bug")
	}
	return f.Store.View(ctx, fn)
}

// syncBuffer is a log destination safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// edgeServer is a real server on a loopback port, served without the
// contract check (which reads every body whole), logging to a buffer.
type edgeServer struct {
	*server
	log   *syncBuffer
	fault *atomic.Value
}

func startEdgeServer(t *testing.T, cfg httpapi.Config) *edgeServer {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "edge.db"))
	if err != nil {
		t.Fatal(err)
	}
	key, _ := ledger.ParseKey(ledger.GenerateKey())
	vault, _ := ledger.NewVault(key)
	fault := &atomic.Value{}
	fault.Store("")
	svc := ledger.New(faultyStore{db, fault}, vault, ledger.Options{Now: func() time.Time { return now }})
	logs := &syncBuffer{}
	api := httpapi.New(svc, slog.New(slog.NewJSONHandler(logs, nil)), nil, cfg)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: api, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	t.Cleanup(func() {
		srv.Close()
		db.Close()
	})
	admin := ledger.WithPurpose(ledger.WithActor(context.Background(), &tally.Actor{Name: "admin", Role: tally.Admin}), "setup")
	return &edgeServer{server: &server{t: t, url: "http://" + ln.Addr().String(), svc: svc, db: db, admin: admin}, log: logs, fault: fault}
}

// endless is a body of n bytes without a newline that counts what the
// server took of it.
type endless struct {
	left int64
	read atomic.Int64
}

func (e *endless) Read(p []byte) (int, error) {
	if e.left <= 0 {
		return 0, io.EOF
	}
	n := int64(len(p))
	if n > e.left {
		n = e.left
	}
	for i := range p[:n] {
		p[i] = 'a'
	}
	e.left -= n
	e.read.Add(n)
	return int(n), nil
}

// An upload without a token is refused before its body is read: a caller
// without a token cannot make the server read 50 MB without a newline.
func TestUploadWithoutTokenRefusedUnread(t *testing.T) {
	s := startEdgeServer(t, httpapi.Config{})
	const size = 50 << 20
	for _, path := range []string{"/api/v1/imports?format=csv", "/api/v1/subjects/imports", "/api/v1/lists/imports?format=csv"} {
		body := &endless{left: size}
		req, err := http.NewRequest("POST", s.url+path, body)
		if err != nil {
			t.Fatal(err)
		}
		req.ContentLength = -1 // chunked: the server cannot know the size before reading
		req.Header.Set("Content-Type", "text/csv")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("POST %s: %v", path, err)
		}
		var p httpapi.Problem
		_ = json.NewDecoder(resp.Body).Decode(&p)
		resp.Body.Close()
		if resp.StatusCode != 401 || p.Code != "unauthorized" {
			t.Errorf("POST %s without a token: %d %q, want 401 unauthorized", path, resp.StatusCode, p.Code)
		}
		// What was taken is at most what the sockets buffer, far below the body.
		if n := body.read.Load(); n > size/4 {
			t.Errorf("POST %s without a token: the server took %d of %d bytes, want it refused unread", path, n, size)
		}
	}
}

// Bodies above the configured limits are refused with a 413 problem.
func TestOversizedBodiesAre413(t *testing.T) {
	s := startServer(t, httpapi.Config{MaxBody: 2 << 10, MaxUpload: 4 << 10})
	s.publish("village.yaml")
	token := recorderToken(t, s)
	big := strings.Repeat("x", 8<<10)
	for _, tc := range []struct{ path, contentType, body string }{
		{"/api/v1/imports?format=csv", "text/csv", "subject,rule,at\n" + big},
		{"/api/v1/schemes/jiakuang-majia/records", "application/json", `{"subject":"` + big + `"}`},
	} {
		status, header, p := raw(t, "POST", s.url+tc.path, token, tc.contentType, tc.body, nil)
		if status != 413 || p["code"] != "too_large" || header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("POST %s of %d bytes: %d %v %s, want a 413 too_large problem", tc.path, len(tc.body), status, p["code"], header.Get("Content-Type"))
		}
	}
	// Sent in chunks, the size is known only when the limit is hit, here
	// inside the header line.
	req, _ := http.NewRequest("POST", s.url+"/api/v1/imports?format=csv", io.MultiReader(strings.NewReader("scheme,"), strings.NewReader(big)))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "text/csv")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var p httpapi.Problem
	_ = json.NewDecoder(resp.Body).Decode(&p)
	resp.Body.Close()
	if resp.StatusCode != 413 || p.Code != "too_large" {
		t.Errorf("a chunked import over the limit: %d %q, want 413 too_large", resp.StatusCode, p.Code)
	}
	if n := s.records("jiakuang-majia"); n != 0 {
		t.Errorf("oversized bodies wrote %d records", n)
	}
}

// Every answer carries a request ID (a sane one the request brought, or a
// new one); a 500 puts it in the problem and in an error log line with
// the cause, and a panic is logged with it too.
func TestRequestIDsReachTheLog(t *testing.T) {
	s := startEdgeServer(t, httpapi.Config{})
	secret, _, err := s.svc.CreateToken(s.admin, ledger.TokenSpec{Name: "ops", Role: tally.Admin})
	if err != nil {
		t.Fatal(err)
	}
	status, header, _ := raw(t, "GET", s.url+"/api/v1/me", secret, "", "", map[string]string{"X-Request-Id": "lb-7f3a.01"})
	if status != 200 || header.Get("X-Request-Id") != "lb-7f3a.01" {
		t.Errorf("a sane inbound ID: %d %q, want 200 and the ID echoed", status, header.Get("X-Request-Id"))
	}
	for _, bad := range []string{strings.Repeat("a", 65), "<script>", "a b"} {
		_, header, _ = raw(t, "GET", s.url+"/healthz", "", "", "", map[string]string{"X-Request-Id": bad})
		if got := header.Get("X-Request-Id"); got == bad || len(got) < 8 {
			t.Errorf("inbound ID %q: answered with %q, want a new ID", bad, got)
		}
	}

	// The token list reads the store on every request (/me does not once
	// the token is remembered).
	for _, fault := range []string{"error", "panic"} {
		s.fault.Store(fault)
		status, header, p := raw(t, "GET", s.url+"/api/v1/tokens", secret, "", "", nil)
		s.fault.Store("")
		id := header.Get("X-Request-Id")
		if status != 500 || id == "" || p["request_id"] != id {
			t.Errorf("a store %s: %d, header ID %q, problem ID %v; want 500 with the same ID in both", fault, status, id, p["request_id"])
			continue
		}
		var logged bool
		for _, line := range strings.Split(s.log.String(), "\n") {
			var entry map[string]any
			if json.Unmarshal([]byte(line), &entry) != nil || entry["request_id"] != id {
				continue
			}
			cause, _ := entry["err"].(string)
			if cause == "" {
				cause, _ = entry["panic"].(string)
			}
			if entry["level"] == "ERROR" && (strings.Contains(cause, "disk on fire") || strings.Contains(cause, "store bug")) {
				logged = true
			}
		}
		if !logged {
			t.Errorf("a store %s: no error log line with request_id %s and the cause:\n%s", fault, id, s.log.String())
		}
	}
}

// A database that went away answers 503 with Retry-After, not 500.
func TestDatabaseOutageIs503(t *testing.T) {
	s := startServer(t, httpapi.Config{})
	s.publish("village.yaml")
	token := recorderToken(t, s)
	if err := s.db.Close(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ path, token string }{
		{"/api/v1/me", token},                             // authenticating the token
		{"/api/v1/schemes/jiakuang-majia/statistics", ""}, // a public read
	} {
		status, header, p := raw(t, "GET", s.url+tc.path, tc.token, "", "", nil)
		if status != 503 || p["code"] != "unavailable" || header.Get("Retry-After") == "" {
			t.Errorf("GET %s with the database closed: %d %v Retry-After %q, want 503 unavailable with Retry-After", tc.path, status, p["code"], header.Get("Retry-After"))
		}
	}
}

// The metrics are for operators: 401 without a token, 403 with a token of
// another role, 200 with an admin token.
func TestMetricsNeedAnAdminToken(t *testing.T) {
	s := startServer(t, httpapi.Config{})
	s.publish("village.yaml")
	recorder := recorderToken(t, s)
	admin, _, err := s.svc.CreateToken(s.admin, ledger.TokenSpec{Name: "ops", Role: tally.Admin})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		token string
		want  int
	}{{"", 401}, {"tly_not-a-token", 401}, {recorder, 403}, {admin, 200}} {
		req, _ := http.NewRequest("GET", s.url+"/metrics", nil)
		if tc.token != "" {
			req.Header.Set("Authorization", "Bearer "+tc.token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		text, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("GET /metrics with token %.8q: %d, want %d", tc.token, resp.StatusCode, tc.want)
		}
		if got := strings.Contains(string(text), "tally_http_requests_total"); got != (tc.want == 200) {
			t.Errorf("GET /metrics with token %.8q: metrics shown %v, want %v", tc.token, got, tc.want == 200)
		}
	}
}

// API answers that may be personal are not kept by caches; published
// rulebooks may be.
func TestPersonalAnswersAreNotCached(t *testing.T) {
	s := startServer(t, httpapi.Config{})
	s.publish("village.yaml")
	token := recorderToken(t, s)
	for _, tc := range []struct {
		path, token string
		noStore     bool
	}{
		{"/api/v1/me", token, true},
		{"/api/v1/schemes/jiakuang-majia/subjects/" + zhang + "/score?purpose=test", token, true},
		{"/api/v1/me", "", true}, // the 401 too
		{"/api/v1/schemes/jiakuang-majia", "", false},
	} {
		_, header, _ := raw(t, "GET", s.url+tc.path, tc.token, "", "", nil)
		if got := header.Get("Cache-Control") == "no-store"; got != tc.noStore {
			t.Errorf("GET %s: Cache-Control %q, want no-store %v", tc.path, header.Get("Cache-Control"), tc.noStore)
		}
	}
}
