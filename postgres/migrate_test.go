package postgres_test

import (
	"context"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/postgres"
	"github.com/tallycredit/tally/postgres/pgtest"
	"github.com/tallycredit/tally/storetest"
)

// appliedMigrations returns the rows of schema_migrations as name@applied_at.
func appliedMigrations(tb testing.TB, addr string) []string {
	tb.Helper()
	rows, err := rawConn(tb, addr).Query(context.Background(), `SELECT name, applied_at FROM schema_migrations ORDER BY name`)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	return storetest.AppliedMigrations(tb, rows)
}

// migrationFiles returns the names of the files in dir, sorted.
func migrationFiles(tb testing.TB, dir string) []string {
	tb.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		tb.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

// TestMigrationNames checks that the PostgreSQL migrations have the names
// of the SQLite ones, one for one.
func TestMigrationNames(t *testing.T) {
	pg, lite := migrationFiles(t, "migrations"), migrationFiles(t, "../sqlite/migrations")
	if !slices.Equal(pg, lite) {
		t.Errorf("postgres/migrations %v, sqlite/migrations %v: want the same names", pg, lite)
	}
}

func TestReopen(t *testing.T) {
	addr := pgtest.Fresh(t)
	db, err := postgres.Open(t.Context(), addr)
	if err != nil {
		t.Fatal(err)
	}
	sub := &tally.Subject{Kind: tally.Person, Name: "王芳", Lookup: []byte("lookup"), Sealed: []byte("sealed"), Created: time.Now()}
	if err := db.Update(t.Context(), func(tx ledger.Tx) error { return tx.InsertSubject(t.Context(), sub) }); err != nil {
		t.Fatal(err)
	}
	got, err := db.Migrations(t.Context())
	if want := migrationFiles(t, "migrations"); err != nil || !slices.Equal(got, want) {
		t.Errorf("Migrations: got %v, %v; want %v", got, err, want)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	before := appliedMigrations(t, addr)

	db = mustOpen(t, addr)
	err = db.View(t.Context(), func(tx ledger.Tx) error {
		got, err := tx.SubjectByLookup(t.Context(), []byte("lookup"))
		if err != nil {
			return err
		}
		if got.ID != sub.ID || got.Name != "王芳" {
			t.Errorf("after reopening: got subject %d %q, want %d %q", got.ID, got.Name, sub.ID, "王芳")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if after := appliedMigrations(t, addr); !slices.Equal(after, before) {
		t.Errorf("schema_migrations after reopening: got %v, want %v unchanged", after, before)
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	addr := pgtest.Fresh(t)
	if err := mustOpen(t, addr).Close(); err != nil {
		t.Fatal(err)
	}
	_, err := rawConn(t, addr).Exec(context.Background(), `INSERT INTO schema_migrations (name, applied_at) VALUES ('9999_future.sql', 0)`)
	if err != nil {
		t.Fatal(err)
	}
	db, err := postgres.Open(t.Context(), addr)
	if err == nil {
		_ = db.Close()
		t.Fatal("Open of a database with an unknown migration: got nil error")
	}
	for _, want := range []string{"9999_future.sql", "database schema is newer than this tally"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Open error %q does not mention %q", err, want)
		}
	}
}

// TestOpenTogether checks that servers starting together on a new database
// all succeed and apply each migration once.
func TestOpenTogether(t *testing.T) {
	addr := pgtest.Fresh(t)
	const servers = 6
	var wg sync.WaitGroup
	errs := make([]error, servers)
	for i := range servers {
		wg.Go(func() {
			db, err := postgres.Open(t.Context(), addr)
			if err == nil {
				err = db.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("Open %d: %v", i, err)
		}
	}
	got := appliedMigrations(t, addr)
	want := migrationFiles(t, "migrations")
	if len(got) != len(want) {
		t.Errorf("schema_migrations: got %v, want each of %v once", got, want)
	}
	for i := range min(len(got), len(want)) {
		if !strings.HasPrefix(got[i], want[i]+"@") {
			t.Errorf("schema_migrations: got %v, want each of %v once", got, want)
		}
	}
}
