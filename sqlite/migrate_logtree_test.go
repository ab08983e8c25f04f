package sqlite

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tallycredit/tally/storetest"
)

// Migration 0018 keeps each new leaf's hashes with the leaf: a log
// written before it goes on growing from its old tree, whose hashes are
// read from log_hashes.
func TestMigration0018(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if err := migrate(t.Context(), db, storetest.MigrationsBefore(t, migrations, "0018")); err != nil {
		t.Fatal(err)
	}
	leaves, hashes, mem := storetest.LogAsOf0017(t, 300)
	insertRows(t, db, `INSERT INTO log_leaves (idx, kind, ref, data, salt, at) VALUES (?, ?, ?, ?, ?, ?)`, leaves)
	insertRows(t, db, `INSERT INTO log_hashes (id, hash) VALUES (?, ?)`, hashes)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	store, err := Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close() })
	storetest.CheckLogAfter0018(t, store, mem)
}

// insertRows runs an INSERT of one row for each of rows, in one
// transaction.
func insertRows(t *testing.T, db *sql.DB, stmt string, rows [][]any) {
	t.Helper()
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if _, err := tx.Exec(stmt, r...); err != nil {
			t.Fatalf("%s: %v", strings.Fields(stmt)[2], err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}
