package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// migrationFiles holds the schema as plain SQL files, applied in name
// order. They have the names of sqlite/migrations, one for one. A released
// file is never edited; a change is a new file.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrations is migrationFiles seen from inside its folder.
var migrations, _ = fs.Sub(migrationFiles, "migrations")

// migrationLock is the advisory lock key, in the two-integer key space,
// that serialises migrations across processes: 'taly' and 1.
const migrationLockClass, migrationLockKey = 0x74616c79, 1

// migrate applies, in name order, every *.sql file of fsys that the
// database has not recorded in schema_migrations, each in a transaction of
// its own that also records it. Each transaction first takes an advisory
// lock, so that servers starting together apply each migration once. It
// refuses a database that records a migration fsys does not hold: that
// schema is newer than this binary.
func migrate(ctx context.Context, pool *pgxpool.Pool, fsys fs.FS) error {
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return fmt.Errorf("list migrations: %w", err)
	}
	slices.Sort(names)
	for {
		done, err := migrateNext(ctx, pool, fsys, names)
		if err != nil || done {
			return err
		}
	}
}

// migrateNext applies the first migration of names that the database has
// not recorded, in one transaction under the migration lock; done is true
// when there was none left.
func migrateNext(ctx context.Context, pool *pgxpool.Pool, fsys fs.FS, names []string) (done bool, err error) {
	tx, err := pool.Begin(ctx)
	if err != nil {
		return false, fmt.Errorf("begin: %w", err)
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, ignoreClosed(tx.Rollback(ctx)))
		}
	}()

	// Held until this transaction ends, and taken before the table is
	// created: two CREATE TABLE IF NOT EXISTS at once can collide.
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, $2)`, migrationLockClass, migrationLockKey); err != nil {
		return false, fmt.Errorf("lock: %w", err)
	}
	if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		name       TEXT   NOT NULL PRIMARY KEY,
		applied_at BIGINT NOT NULL
	)`); err != nil {
		return false, fmt.Errorf("create schema_migrations: %w", err)
	}
	rows, err := tx.Query(ctx, `SELECT name FROM schema_migrations`)
	if err != nil {
		return false, fmt.Errorf("read schema_migrations: %w", err)
	}
	applied, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return false, fmt.Errorf("read schema_migrations: %w", err)
	}
	for _, name := range applied {
		if _, ok := slices.BinarySearch(names, name); !ok {
			return false, fmt.Errorf("database schema is newer than this tally: it has migration %q, which this version does not know; upgrade tally", name)
		}
	}

	i := slices.IndexFunc(names, func(n string) bool { return !slices.Contains(applied, n) })
	if i < 0 {
		return true, tx.Commit(ctx)
	}
	name := names[i]
	body, err := fs.ReadFile(fsys, name)
	if err != nil {
		return false, fmt.Errorf("read migration %s: %w", name, err)
	}
	// Without arguments pgx uses the simple protocol, which runs a file of
	// several statements.
	if _, err := tx.Exec(ctx, string(body)); err != nil {
		return false, fmt.Errorf("migration %s failed and was rolled back: %w", name, err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES ($1, $2)`,
		name, time.Now().UnixMicro()); err != nil {
		return false, fmt.Errorf("migration %s: record: %w", name, err)
	}
	if err := tx.Commit(ctx); err != nil {
		return false, fmt.Errorf("migration %s: commit: %w", name, err)
	}
	return false, nil
}

// ignoreClosed drops pgx.ErrTxClosed, which Rollback returns after a
// failed Commit has already ended the transaction.
func ignoreClosed(err error) error {
	if errors.Is(err, pgx.ErrTxClosed) {
		return nil
	}
	return err
}

// Migrations returns the names of the migrations the database has
// applied, in name order.
func (db *DB) Migrations(ctx context.Context) ([]string, error) {
	rows, err := db.pool.Query(ctx, `SELECT name FROM schema_migrations ORDER BY name COLLATE "C"`)
	if err != nil {
		return nil, fmt.Errorf("read schema_migrations: %w", err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("read schema_migrations: %w", err)
	}
	return names, nil
}
