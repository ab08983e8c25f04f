package postgres

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/tallycredit/tally/postgres/pgtest"
	"github.com/tallycredit/tally/storetest"
)

// Migration 0018 keeps each new leaf's hashes with the leaf: a log
// written before it goes on growing from its old tree, whose hashes are
// read from log_hashes.
func TestMigration0018(t *testing.T) {
	addr := pgtest.Fresh(t)
	pool, err := pgxpool.New(context.Background(), addr)
	if err != nil {
		t.Fatal(err)
	}
	if err := migrate(t.Context(), pool, storetest.MigrationsBefore(t, migrations, "0018")); err != nil {
		t.Fatal(err)
	}
	leaves, hashes, mem := storetest.LogAsOf0017(t, 300)
	for _, c := range []struct {
		table string
		cols  []string
		rows  [][]any
	}{
		{"log_leaves", []string{"idx", "kind", "ref", "data", "salt", "at"}, leaves},
		{"log_hashes", []string{"id", "hash"}, hashes},
	} {
		if _, err := pool.CopyFrom(t.Context(), pgx.Identifier{c.table}, c.cols, pgx.CopyFromRows(c.rows)); err != nil {
			t.Fatal(c.table, err)
		}
	}
	pool.Close()
	store, err := Open(t.Context(), addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close() })
	storetest.CheckLogAfter0018(t, store, mem)
}
