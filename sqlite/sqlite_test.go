package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/sqlite"
	"github.com/tallycredit/tally/storetest"

	msqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) ledger.Store {
		return mustOpen(t, filepath.Join(t.TempDir(), "t.db"))
	})
}

// mustOpen opens the database at path and closes it when the test ends.
func mustOpen(tb testing.TB, path string) *sqlite.DB {
	tb.Helper()
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Errorf("Close: %v", err)
		}
	})
	return db
}

// rawOpen opens path with the bare driver, bypassing the store, to look at
// or tamper with the file as another program could.
func rawOpen(tb testing.TB, path string) *sql.DB {
	tb.Helper()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = raw.Close() })
	return raw
}

// appliedMigrations returns the rows of schema_migrations as name@applied_at.
func appliedMigrations(tb testing.TB, path string) []string {
	tb.Helper()
	rows, err := rawOpen(tb, path).Query(`SELECT name, applied_at FROM schema_migrations ORDER BY name`)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	return storetest.AppliedMigrations(tb, rows)
}

func TestReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.db")
	db, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	if db.Path() != path {
		t.Errorf("Path: got %q, want %q", db.Path(), path)
	}
	sub := &tally.Subject{Kind: tally.Person, Name: "王芳", Lookup: []byte("lookup"), Sealed: []byte("sealed"), Created: time.Now()}
	err = db.Update(t.Context(), func(tx ledger.Tx) error { return tx.InsertSubject(t.Context(), sub) })
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	before := appliedMigrations(t, path)
	if len(before) == 0 || !strings.HasPrefix(before[0], "0001_init.sql@") {
		t.Fatalf("schema_migrations after the first Open: got %v, want 0001_init.sql first", before)
	}

	db = mustOpen(t, path)
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
	if after := appliedMigrations(t, path); strings.Join(after, " ") != strings.Join(before, " ") {
		t.Errorf("schema_migrations after reopening: got %v, want %v unchanged", after, before)
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.db")
	db := mustOpen(t, path)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	raw := rawOpen(t, path)
	if _, err := raw.Exec(`INSERT INTO schema_migrations (name, applied_at) VALUES ('9999_future.sql', 0)`); err != nil {
		t.Fatal(err)
	}
	if err := raw.Close(); err != nil {
		t.Fatal(err)
	}

	db, err := sqlite.Open(t.Context(), path)
	if err == nil {
		_ = db.Close()
		t.Fatal("Open of a database with an unknown migration: got nil error")
	}
	for _, want := range []string{"9999_future.sql", "newer"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Open error %q does not mention %q", err, want)
		}
	}
}

// TestOpenWhileWriting checks that opening a database that is up to date
// does not wait for another process's write transaction: `tally` commands
// run beside a server that is importing.
func TestOpenWhileWriting(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.db")
	if err := mustOpen(t, path).Close(); err != nil {
		t.Fatal(err)
	}
	conn, err := rawOpen(t, path).Conn(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	if _, err := conn.ExecContext(t.Context(), `BEGIN IMMEDIATE`); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(t.Context(), `INSERT INTO meta (name, value) VALUES ('writing', 'yes')`); err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatalf("Open while another connection writes: %v", err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(t.Context(), `COMMIT`); err != nil {
		t.Fatal(err)
	}
}

func TestOpenBadPath(t *testing.T) {
	for _, path := range []string{"", "x.db?mode=ro", filepath.Join(t.TempDir(), "missing", "t.db")} {
		if db, err := sqlite.Open(t.Context(), path); err == nil {
			_ = db.Close()
			t.Errorf("Open(%q): got nil error, want one", path)
		}
	}
}

// TestAppendOnly checks that the triggers refuse to change or remove
// subjects, rulebooks, consents, records, access-log entries (live or
// archived) and the transparency log, even for a program that bypasses
// the store.
func TestAppendOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.db")
	db := mustOpen(t, path)
	err := db.Update(t.Context(), func(tx ledger.Tx) error { return storetest.AppendOnlyRows(t.Context(), tx) })
	if err != nil {
		t.Fatal(err)
	}

	raw := rawOpen(t, path)
	// The store no longer writes log_hashes (migration 0018): its row
	// is one an older tally wrote.
	if _, err := raw.Exec(`INSERT INTO log_hashes (id, hash) VALUES (0, x'01')`); err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{
		`UPDATE records SET awarded = 500`,
		`DELETE FROM records`,
		`UPDATE consents SET given = 0`,
		`DELETE FROM consents`,
		`UPDATE rulebooks SET source = 'y'`,
		`DELETE FROM rulebooks`,
		`UPDATE subjects SET name = 'x'`,
		`UPDATE subjects SET lookup = sealed`,
		`DELETE FROM subjects`,
		`UPDATE access_log SET purpose = 'x'`,
		`DELETE FROM access_log`,
		`UPDATE access_log_archive SET purpose = 'x'`,
		`DELETE FROM access_log_archive`,
		`UPDATE log_leaves SET data = 'x'`,
		`DELETE FROM log_leaves`,
		`UPDATE log_hashes SET hash = 'x'`,
		`DELETE FROM log_hashes`,
		`UPDATE log_checkpoints SET note = 'x'`,
		`DELETE FROM log_checkpoints`,
	} {
		_, err := raw.Exec(stmt)
		var e *msqlite.Error
		if !errors.As(err, &e) || e.Code() != sqlite3.SQLITE_CONSTRAINT_TRIGGER {
			t.Errorf("%s: got error %v, want SQLITE_CONSTRAINT_TRIGGER", stmt, err)
		}
	}
	err = db.View(t.Context(), func(tx ledger.Tx) error {
		r, err := tx.RecordByRef(t.Context(), "s", "ref")
		if err != nil {
			return err
		}
		if r.Awarded != 5 {
			t.Errorf("after a refused UPDATE: got awarded %d, want 5", r.Awarded)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestTwoHandles checks that writers through two DB values on one file, as
// two processes would have, wait for each other instead of failing with
// SQLITE_BUSY: each Update reads before it writes, which only BEGIN
// IMMEDIATE and the busy timeout make safe.
func TestTwoHandles(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.db")
	dbs := []*sqlite.DB{mustOpen(t, path), mustOpen(t, path)}
	var subject int64
	err := dbs[0].Update(t.Context(), func(tx ledger.Tx) error {
		s := &tally.Subject{Kind: tally.Person, Lookup: []byte("l"), Sealed: []byte("s"), Created: time.Now()}
		err := tx.InsertSubject(t.Context(), s)
		subject = s.ID
		return err
	})
	if err != nil {
		t.Fatal(err)
	}

	const perWriter = 25
	errs := make(chan error, 4*perWriter)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			db := dbs[w%2]
			for i := range perWriter {
				errs <- db.Update(t.Context(), func(tx ledger.Tx) error {
					if _, err := tx.SumAwarded(t.Context(), "s", subject, "r", time.Time{}, time.Now()); err != nil {
						return err
					}
					return tx.InsertRecord(t.Context(), &tally.Record{Scheme: "s", SubjectID: subject, Rule: "r",
						Ref: fmt.Sprintf("%d/%d", w, i), HappenedAt: time.Now(), Awarded: 1})
				})
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("Update: %v", err)
		}
	}
	err = dbs[1].View(t.Context(), func(tx ledger.Tx) error {
		_, n, err := tx.Counts(t.Context(), "s")
		if err == nil && n != 4*perWriter {
			t.Errorf("records: got %d, want %d", n, 4*perWriter)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestUpdateWaitsForContext checks that an Update queued behind another
// gives up when its context ends instead of waiting for ever.
func TestUpdateWaitsForContext(t *testing.T) {
	db := mustOpen(t, filepath.Join(t.TempDir(), "t.db"))
	release := make(chan struct{})
	started := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- db.Update(t.Context(), func(tx ledger.Tx) error {
			close(started)
			<-release
			return nil
		})
	}()
	<-started
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	err := db.Update(ctx, func(tx ledger.Tx) error { return nil })
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("queued Update: got %v, want context.DeadlineExceeded", err)
	}
	close(release)
	if err := <-done; err != nil {
		t.Errorf("first Update: %v", err)
	}
}

// benchSubjects stores n subjects, each with perSubject records spread over
// two years, in batches, and returns their IDs.
func benchSubjects(b *testing.B, db *sqlite.DB, n, perSubject int) []int64 {
	b.Helper()
	start := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	ids := make([]int64, n)
	err := db.Update(b.Context(), func(tx ledger.Tx) error {
		for i := range ids {
			s := &tally.Subject{Kind: tally.Person, Name: fmt.Sprintf("subject %d", i),
				Lookup: fmt.Appendf(nil, "lookup %d", i), Sealed: []byte("sealed"), Created: start}
			if err := tx.InsertSubject(b.Context(), s); err != nil {
				return err
			}
			ids[i] = s.ID
			if err := tx.InsertEnrolment(b.Context(), &tally.Enrolment{Scheme: "city", SubjectID: s.ID, Enrolled: start}); err != nil {
				return err
			}
			for j := 0; j < perSubject; j++ {
				if err := tx.InsertRecord(b.Context(), benchRecord(s.ID, fmt.Sprintf("%d/%d", i, j), start.Add(time.Duration(j)*84*time.Hour))); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return ids
}

// benchRecord is a typical city record: a few facts, a one-year expiry.
func benchRecord(subject int64, ref string, happened time.Time) *tally.Record {
	return &tally.Record{
		Scheme: "city", Version: 1, SubjectID: subject, Rule: "volunteer",
		Facts:      map[string]any{"hours": 4, "place": "east gate", "verified": true},
		HappenedAt: happened, RecordedAt: happened.Add(time.Hour), RecordedBy: "clerk",
		Ref: ref, Evidence: "form " + ref, Requested: 1, Awarded: 1,
		ExpiresAt: happened.AddDate(1, 0, 0), Digest: "sha256:0123456789abcdef0123456789abcdef",
	}
}

// BenchmarkInsertRecord measures one Update per record, as the ledger
// records one command: lock the subject, check the cap, insert.
func BenchmarkInsertRecord(b *testing.B) {
	db := mustOpen(b, filepath.Join(b.TempDir(), "bench.db"))
	ids := benchSubjects(b, db, 100, 10)
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	i := 0
	for b.Loop() {
		// Each subject gets about one record a day.
		subject := ids[i%len(ids)]
		happened := start.Add(time.Duration(i) * 24 * time.Hour / time.Duration(len(ids)))
		err := db.Update(b.Context(), func(tx ledger.Tx) error {
			if err := tx.LockSubject(b.Context(), "city", subject); err != nil {
				return err
			}
			if _, err := tx.SumAwarded(b.Context(), "city", subject, "volunteer", happened.AddDate(0, -1, 0), happened); err != nil {
				return err
			}
			return tx.InsertRecord(b.Context(), benchRecord(subject, fmt.Sprintf("bench/%d", i), happened))
		})
		if err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkInEffect measures scoring one subject with 200 records among
// 50 subjects with as many.
func BenchmarkInEffect(b *testing.B) {
	db := mustOpen(b, filepath.Join(b.TempDir(), "bench.db"))
	ids := benchSubjects(b, db, 50, 200)
	at := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	var n int
	for b.Loop() {
		err := db.View(b.Context(), func(tx ledger.Tx) error {
			rs, err := tx.InEffect(b.Context(), "city", ids[len(ids)/2], at)
			n = len(rs)
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	if n == 0 {
		b.Fatal("InEffect returned no records")
	}
	b.ReportMetric(float64(n), "records/op")
}

func TestReadRowsStreamsEveryTable(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "rows.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Update(ctx, func(tx ledger.Tx) error {
		if err := tx.SetMeta(ctx, "a", "1"); err != nil {
			return err
		}
		return tx.SetMeta(ctx, "b", "二")
	})
	if err != nil {
		t.Fatal(err)
	}
	var got [][]any
	var cols []string
	if err := db.ReadRows(ctx, "meta", func(c []string, row []any) error {
		cols, got = c, append(got, row)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || cols[0] != "name" || got[1][0] != "b" || got[1][1] != "二" {
		t.Errorf("ReadRows(meta) = %v %v, want [name value] and rows a=1, b=二", cols, got)
	}
	for _, table := range sqlite.Tables {
		if err := db.ReadRows(ctx, table, func([]string, []any) error { return nil }); err != nil {
			t.Errorf("ReadRows(%s): %v", table, err)
		}
	}
	if err := db.ReadRows(ctx, "sqlite_master", func([]string, []any) error { return nil }); err == nil {
		t.Error("ReadRows(sqlite_master) worked, want an unknown-table error")
	}
	if m, err := db.Migrations(ctx); err != nil || len(m) == 0 || m[0] != "0001_init.sql" {
		t.Errorf("Migrations = %v, %v; want [0001_init.sql ...]", m, err)
	}
}
