package postgres_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tallycredit/tally/postgres"
	"github.com/tallycredit/tally/postgres/pgtest"
	"github.com/tallycredit/tally/sqlite"
)

// TestSchemaMatchesSQLite checks that both stores hold the same tables,
// columns (name, kind of value, nullability, in order), named indexes and
// foreign keys, so that a row of one can be written into the other as it is.
func TestSchemaMatchesSQLite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.db")
	lite, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	if err := lite.Close(); err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = raw.Close() })
	addr := pgtest.Fresh(t)
	mustOpen(t, addr)
	pg := rawConn(t, addr)

	liteStrings := func(query string, args ...any) []string {
		t.Helper()
		rows, err := raw.Query(query, args...)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			out = append(out, s)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
	pgStrings := func(query string, args ...any) []string {
		t.Helper()
		rows, err := pg.Query(context.Background(), query, args...)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			out = append(out, s)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
	same := func(what string, lite, pg []string) {
		t.Helper()
		slices.Sort(lite)
		slices.Sort(pg)
		if !slices.Equal(lite, pg) {
			t.Errorf("%s:\nSQLite     %q\nPostgreSQL %q", what, lite, pg)
		}
	}

	same("tables",
		liteStrings(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`),
		pgStrings(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`))
	// Both engines take their list of tables from sqlstore.Tables: it must
	// name every table the schema has (but the migrations' own), once.
	same("the tables sqlstore.Tables names",
		slices.Clone(postgres.Tables),
		pgStrings(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'schema_migrations'`))

	// A column as name:kind:null, kind being what a value is in both stores.
	kinds := map[string]string{"INTEGER": "integer", "TEXT": "text", "BLOB": "blob",
		"bigint": "integer", "smallint": "integer", "text": "text", "bytea": "blob"}
	for _, table := range append(slices.Clone(postgres.Tables), "schema_migrations") {
		var liteCols, pgCols []string
		for _, c := range liteStrings(`SELECT name || ':' || type || ':' || (CASE WHEN "notnull" = 1 OR pk = 1 THEN 'not null' ELSE 'null' END) FROM pragma_table_info(?) ORDER BY cid`, table) {
			parts := strings.Split(c, ":")
			liteCols = append(liteCols, fmt.Sprintf("%s:%s:%s", parts[0], kinds[parts[1]], parts[2]))
		}
		for _, c := range pgStrings(`SELECT column_name || ':' || data_type || ':' || (CASE WHEN is_nullable = 'NO' THEN 'not null' ELSE 'null' END) FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`, table) {
			parts := strings.Split(c, ":")
			pgCols = append(pgCols, fmt.Sprintf("%s:%s:%s", parts[0], kinds[parts[1]], parts[2]))
		}
		if !slices.Equal(liteCols, pgCols) {
			t.Errorf("columns of %s:\nSQLite     %q\nPostgreSQL %q", table, liteCols, pgCols)
		}
	}

	// Named indexes with their columns and uniqueness.
	var liteIndexes []string
	for _, name := range liteStrings(`SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL`) {
		cols := liteStrings(`SELECT name FROM pragma_index_info(?) ORDER BY seqno`, name)
		unique := liteStrings(`SELECT CASE WHEN sql LIKE 'CREATE UNIQUE%' THEN 'unique' ELSE 'index' END FROM sqlite_master WHERE name = ?`, name)
		liteIndexes = append(liteIndexes, fmt.Sprintf("%s %s (%s)", unique[0], name, strings.Join(cols, ", ")))
	}
	same("named indexes", liteIndexes, pgStrings(`
		SELECT CASE WHEN i.indisunique THEN 'unique' ELSE 'index' END || ' ' || c.relname || ' (' ||
			(SELECT string_agg(a.attname, ', ' ORDER BY k.n) FROM unnest(i.indkey) WITH ORDINALITY k(attnum, n)
			 JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum) || ')'
		FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace s ON s.oid = c.relnamespace
		WHERE s.nspname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = i.indexrelid)`))

	// Unique keys, primary keys included, as table(columns).
	var liteKeys []string
	for _, table := range postgres.Tables {
		for _, name := range liteStrings(`SELECT name FROM pragma_index_list(?) WHERE origin IN ('u', 'pk')`, table) {
			liteKeys = append(liteKeys, fmt.Sprintf("%s(%s)", table, strings.Join(liteStrings(`SELECT name FROM pragma_index_info(?) ORDER BY seqno`, name), ", ")))
		}
		if pk := liteStrings(`SELECT name FROM pragma_table_info(?) WHERE pk = 1 AND type = 'INTEGER' AND (SELECT COUNT(*) FROM pragma_table_info(?) WHERE pk > 0) = 1`, table, table); len(pk) == 1 {
			liteKeys = append(liteKeys, fmt.Sprintf("%s(%s)", table, pk[0])) // a rowid alias has no index
		}
	}
	same("unique keys", liteKeys, pgStrings(`
		SELECT r.relname || '(' || (SELECT string_agg(a.attname, ', ' ORDER BY k.n) FROM unnest(c.conkey) WITH ORDINALITY k(attnum, n)
			JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum) || ')'
		FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid JOIN pg_namespace s ON s.oid = r.relnamespace
		WHERE s.nspname = 'public' AND c.contype IN ('u', 'p') AND r.relname <> 'schema_migrations'`))

	// Foreign keys as table(columns) -> table(columns).
	var liteFKs []string
	for _, table := range postgres.Tables {
		for _, fk := range liteStrings(`SELECT id || ':' || "table" || ':' || group_concat("from", ', ') || ':' || group_concat("to", ', ') FROM (SELECT * FROM pragma_foreign_key_list(?) ORDER BY id, seq) GROUP BY id`, table) {
			p := strings.Split(fk, ":")
			liteFKs = append(liteFKs, fmt.Sprintf("%s(%s) -> %s(%s)", table, p[2], p[1], p[3]))
		}
	}
	same("foreign keys", liteFKs, pgStrings(`
		SELECT r.relname || '(' || (SELECT string_agg(a.attname, ', ' ORDER BY k.n) FROM unnest(c.conkey) WITH ORDINALITY k(attnum, n)
			JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum) || ') -> ' ||
			f.relname || '(' || (SELECT string_agg(a.attname, ', ' ORDER BY k.n) FROM unnest(c.confkey) WITH ORDINALITY k(attnum, n)
			JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum) || ')'
		FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid JOIN pg_class f ON f.oid = c.confrelid
		WHERE c.contype = 'f'`))
}
