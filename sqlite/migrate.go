package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"time"
)

// migrations holds the schema as plain SQL files, applied in name order. A
// released file is never edited; a change is a new file. The PostgreSQL
// store keeps files of the same names.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrations is migrationFiles seen from inside its folder.
var migrations, _ = fs.Sub(migrationFiles, "migrations")

// migrate applies, in name order, every *.sql file of fsys that the
// database has not recorded in schema_migrations, each in a transaction of
// its own that also records it. It refuses a database that records a
// migration fsys does not hold: that schema is newer than this binary.
func migrate(ctx context.Context, db *sql.DB, fsys fs.FS) error {
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return fmt.Errorf("list migrations: %w", err)
	}
	slices.Sort(names)

	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		name       TEXT    NOT NULL PRIMARY KEY,
		applied_at INTEGER NOT NULL
	)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}

	applied, err := appliedMigrations(ctx, db)
	if err != nil {
		return err
	}
	for _, name := range applied {
		if _, ok := slices.BinarySearch(names, name); !ok {
			return fmt.Errorf("database has migration %q, which this version of tally does not know: the database was written by a newer tally; upgrade tally", name)
		}
	}

	for _, name := range names {
		if slices.Contains(applied, name) {
			continue
		}
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return fmt.Errorf("read migration %s: %w", name, err)
		}
		if err := applyMigration(ctx, db, path.Base(name), string(body)); err != nil {
			return err
		}
	}
	return nil
}

// appliedMigrations returns the names recorded in schema_migrations.
func appliedMigrations(ctx context.Context, db *sql.DB) ([]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT name FROM schema_migrations ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("read schema_migrations: %w", err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, fmt.Errorf("read schema_migrations: %w", err)
		}
		names = append(names, name)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read schema_migrations: %w", err)
	}
	return names, nil
}

// applyMigration runs one migration and records it in one transaction, so
// that a failure leaves neither a half-applied schema nor a record of it.
// A migration that another process applied meanwhile is skipped.
func applyMigration(ctx context.Context, db *sql.DB, name, body string) (err error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migration %s: begin: %w", name, err)
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, ignoreDone(tx.Rollback()))
		}
	}()

	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE name = ?`, name).Scan(&n); err != nil {
		return fmt.Errorf("migration %s: %w", name, err)
	}
	if n > 0 {
		return tx.Commit()
	}
	if _, err := tx.ExecContext(ctx, body); err != nil {
		return fmt.Errorf("migration %s failed and was rolled back: %w", name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)`,
		name, time.Now().UnixMicro()); err != nil {
		return fmt.Errorf("migration %s: record: %w", name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migration %s: commit: %w", name, err)
	}
	return nil
}

// ignoreDone drops sql.ErrTxDone, which Rollback returns after a failed
// Commit has already ended the transaction.
func ignoreDone(err error) error {
	if errors.Is(err, sql.ErrTxDone) {
		return nil
	}
	return err
}
