package httpapi_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/client"
	"github.com/tallycredit/tally/examples"
	"github.com/tallycredit/tally/httpapi"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/sqlite"
)

// The fixed clock of these tests, and identifiers from the project's
// public examples.
var now = time.Date(2026, 11, 26, 12, 0, 0, 0, time.FixedZone("CST", 8*3600))

const (
	zhang = "360426199101010071"
	li    = "34052419800101001X"
)

// server is a real tally server on a loopback port over a SQLite file.
type server struct {
	t     testing.TB
	url   string
	path  string // the SQLite file
	svc   *ledger.Service
	db    *sqlite.DB
	admin context.Context
}

func startServer(t testing.TB, cfg httpapi.Config) *server {
	t.Helper()
	path := filepath.Join(t.TempDir(), "api.db")
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	key, _ := ledger.ParseKey(ledger.GenerateKey())
	vault, _ := ledger.NewVault(key)
	svc := ledger.New(db, vault, ledger.Options{Now: func() time.Time { return now }})
	api := httpapi.New(svc, slog.New(slog.NewTextHandler(io.Discard, nil)), nil, cfg)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: checkContract(t, api), ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	t.Cleanup(func() {
		srv.Close()
		db.Close()
	})
	admin := ledger.WithPurpose(ledger.WithActor(context.Background(), &tally.Actor{Name: "admin", Role: tally.Admin}), "setup")
	return &server{t: t, url: "http://" + ln.Addr().String(), path: path, svc: svc, db: db, admin: admin}
}

// publish publishes an example rulebook as the admin.
func (s *server) publish(name string) {
	s.t.Helper()
	src, err := examples.Rulebooks.ReadFile(name)
	if err != nil {
		s.t.Fatal(err)
	}
	if _, err := s.svc.Publish(s.admin, name, src); err != nil {
		s.t.Fatal(err)
	}
}

// client returns a client holding a new token for spec ("" role: none).
func (s *server) client(spec ledger.TokenSpec) *client.Client {
	s.t.Helper()
	if spec.Role == "" {
		return client.New(s.url, "", nil)
	}
	secret, _, err := s.svc.CreateToken(s.admin, spec)
	if err != nil {
		s.t.Fatal(err)
	}
	return client.New(s.url, secret, nil)
}

// records counts the records of a scheme.
func (s *server) records(scheme string) int64 {
	s.t.Helper()
	var n int64
	err := s.db.View(context.Background(), func(tx ledger.Tx) error {
		var err error
		_, n, err = tx.Counts(context.Background(), scheme)
		return err
	})
	if err != nil {
		s.t.Fatal(err)
	}
	return n
}

// wantStatus checks that err is a problem with the given status and code.
func wantStatus(t *testing.T, what string, err error, status int, code string) {
	t.Helper()
	var e *client.Error
	if !errors.As(err, &e) {
		t.Errorf("%s: %v, want a %d %s problem", what, err, status, code)
		return
	}
	if e.Status != status || e.Code != code {
		t.Errorf("%s: %d %s (%s), want %d %s", what, e.Status, e.Code, e.Detail, status, code)
	}
}

func ok(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Errorf("%s: %v, want it allowed", what, err)
	}
}
