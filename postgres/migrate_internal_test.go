package postgres

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/tallycredit/tally/postgres/pgtest"
)

// TestMigrateRollsBack checks that a failing migration leaves neither its
// earlier statements nor a schema_migrations row, while the migrations
// before it stay applied, and that the fixed migration applies later.
func TestMigrateRollsBack(t *testing.T) {
	pool, err := pgxpool.New(context.Background(), pgtest.Fresh(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)

	fsys := fstest.MapFS{
		"0001_a.sql": {Data: []byte(`CREATE TABLE a (x BIGINT NOT NULL);`)},
		"0002_b.sql": {Data: []byte(`CREATE TABLE b (x BIGINT NOT NULL); INSERT INTO nowhere VALUES (1);`)},
	}
	err = migrate(t.Context(), pool, fsys)
	if err == nil || !strings.Contains(err.Error(), "0002_b.sql") || !strings.Contains(err.Error(), "rolled back") {
		t.Fatalf("migrate: got error %v, want one saying 0002_b.sql was rolled back", err)
	}
	var a, b bool
	err = pool.QueryRow(t.Context(), `SELECT to_regclass('a') IS NOT NULL, to_regclass('b') IS NOT NULL`).Scan(&a, &b)
	if err != nil {
		t.Fatal(err)
	}
	if !a || b {
		t.Errorf("tables after a failed migration: got a %v, b %v; want a without b", a, b)
	}
	db := &DB{pool: pool}
	if got, err := db.Migrations(t.Context()); err != nil || strings.Join(got, " ") != "0001_a.sql" {
		t.Errorf("Migrations after a failed migration: got %v, %v; want [0001_a.sql]", got, err)
	}

	fsys["0002_b.sql"] = &fstest.MapFile{Data: []byte(`CREATE TABLE b (x BIGINT NOT NULL);`)}
	if err := migrate(t.Context(), pool, fsys); err != nil {
		t.Fatalf("migrate after the fix: %v", err)
	}
	if got, err := db.Migrations(t.Context()); err != nil || strings.Join(got, " ") != "0001_a.sql 0002_b.sql" {
		t.Errorf("Migrations after the fix: got %v, %v; want [0001_a.sql 0002_b.sql]", got, err)
	}
}
