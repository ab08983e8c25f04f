package httpapi_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/examples"
	"github.com/tallycredit/tally/httpapi"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/sqlite"
)

// The check statistics asked without days are today's in the sanctions
// catalogue's zone (Beijing time), whatever the server's clock zone:
// 15:30 UTC is still 24 November there, 16:30 UTC already the 25th.
func TestCheckStatisticsDefaultDayIsTheCatalogues(t *testing.T) {
	var clock atomic.Int64
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "checkday.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	key, _ := ledger.ParseKey(ledger.GenerateKey())
	vault, _ := ledger.NewVault(key)
	svc := ledger.New(db, vault, ledger.Options{Now: func() time.Time { return time.Unix(0, clock.Load()).UTC() }})
	admin := ledger.WithPurpose(ledger.WithActor(context.Background(), &tally.Actor{Name: "admin", Role: tally.Admin}), "setup")
	if _, err := svc.PublishCatalogue(admin, "sanctions.yml", examples.Sanctions); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: httpapi.New(svc, slog.New(slog.NewTextHandler(io.Discard, nil)), nil, httpapi.Config{}), ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	for _, tc := range []struct {
		at   time.Time
		want string
	}{
		{time.Date(2026, 11, 24, 15, 30, 0, 0, time.UTC), "2026-11-24"},
		{time.Date(2026, 11, 24, 16, 30, 0, 0, time.UTC), "2026-11-25"},
	} {
		clock.Store(tc.at.UnixNano())
		status, _, st := raw(t, "GET", "http://"+ln.Addr().String()+"/api/v1/checks/statistics", "", "", "", nil)
		if status != 200 || st["from"] != tc.want || st["to"] != tc.want {
			t.Errorf("at %s: %d from %v to %v, want %s", tc.at, status, st["from"], st["to"], tc.want)
		}
	}
}
