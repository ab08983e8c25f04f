package sqlite

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// TestMigrateRollsBack checks that a failing migration leaves neither its
// earlier statements nor a schema_migrations row, while the migrations
// before it stay applied.
func TestMigrateRollsBack(t *testing.T) {
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })

	fsys := fstest.MapFS{
		"0001_a.sql": {Data: []byte(`CREATE TABLE a (x INTEGER NOT NULL);`)},
		"0002_b.sql": {Data: []byte(`CREATE TABLE b (x INTEGER NOT NULL); INSERT INTO nowhere VALUES (1);`)},
	}
	err = migrate(t.Context(), db, fsys)
	if err == nil || !strings.Contains(err.Error(), "0002_b.sql") {
		t.Fatalf("migrate: got error %v, want one naming 0002_b.sql", err)
	}

	tables := map[string]bool{}
	rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		tables[name] = true
	}
	if !tables["a"] || tables["b"] {
		t.Errorf("tables after a failed migration: got %v, want a without b", tables)
	}
	applied, err := appliedMigrations(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(applied, " ") != "0001_a.sql" {
		t.Errorf("schema_migrations: got %v, want [0001_a.sql]", applied)
	}

	// Fixed, the migration applies on the next run.
	fsys["0002_b.sql"] = &fstest.MapFile{Data: []byte(`CREATE TABLE b (x INTEGER NOT NULL);`)}
	if err := migrate(t.Context(), db, fsys); err != nil {
		t.Fatalf("migrate after the fix: %v", err)
	}
	applied, err = appliedMigrations(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(applied, " ") != "0001_a.sql 0002_b.sql" {
		t.Errorf("schema_migrations after the fix: got %v, want [0001_a.sql 0002_b.sql]", applied)
	}
}
