package sqlstore

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"time"
)

// MigrationTx is the transaction one migration runs in. Given no
// arguments, its Exec runs a script of several statements.
type MigrationTx interface {
	Conn
	Commit(ctx context.Context) error
	Rollback(ctx context.Context) error
}

// Migrator applies an engine's migrations: plain SQL files, applied in
// name order and recorded in schema_migrations. A released file is never
// edited; a change is a new file.
type Migrator struct {
	Dialect *Dialect
	// Begin starts a transaction; unless write, one that only reads and
	// waits for no writer.
	Begin func(ctx context.Context, write bool) (MigrationTx, error)
	// Lock, if set, is run first in each transaction that migrates, so
	// that processes starting together apply each migration once.
	Lock string
	// Int64 is the engine's type of a 64-bit integer column.
	Int64 string
}

// Migrate applies every *.sql file of fsys that the database has not
// recorded, each in a transaction of its own that also records it, so that
// a failure leaves neither a half-applied schema nor a record of it. It
// refuses a database that records a migration fsys does not hold: that
// schema is newer than this binary.
func (m Migrator) Migrate(ctx context.Context, fsys fs.FS) error {
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return fmt.Errorf("list migrations: %w", err)
	}
	slices.Sort(names)
	if m.upToDate(ctx, names) {
		return nil
	}
	for {
		c, err := m.Begin(ctx, true)
		if err != nil {
			return fmt.Errorf("begin: %w", err)
		}
		name, err := m.next(ctx, NewTx(c, m.Dialect), fsys, names)
		if err != nil {
			return errors.Join(err, c.Rollback(ctx))
		}
		if err := c.Commit(ctx); err != nil {
			return fmt.Errorf("migration %s: commit: %w", cmp.Or(name, "check"), err)
		}
		if name == "" {
			return nil
		}
	}
}

// upToDate reports whether the database has applied the migrations of
// names and no other, read without a lock, so that opening a database up
// to date never waits for a writer. Any error says no.
func (m Migrator) upToDate(ctx context.Context, names []string) bool {
	c, err := m.Begin(ctx, false)
	if err != nil {
		return false
	}
	defer func() { _ = c.Rollback(ctx) }()
	applied, err := NewTx(c, m.Dialect).Migrations(ctx)
	return err == nil && slices.Equal(applied, names)
}

// next applies in t the first migration of names that the database has not
// recorded, and records it; it returns its name, or "" when none is left.
// The lock comes before the table is created: two CREATE TABLE IF NOT
// EXISTS at once can collide.
func (m Migrator) next(ctx context.Context, t *Tx, fsys fs.FS, names []string) (string, error) {
	if m.Lock != "" {
		if _, err := t.c.Exec(ctx, m.Lock); err != nil {
			return "", fmt.Errorf("lock: %w", err)
		}
	}
	create := `CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT NOT NULL PRIMARY KEY, applied_at ` + m.Int64 + ` NOT NULL)`
	if _, err := t.c.Exec(ctx, create); err != nil {
		return "", fmt.Errorf("create schema_migrations: %w", err)
	}
	applied, err := t.Migrations(ctx)
	if err != nil {
		return "", err
	}
	for _, name := range applied {
		if _, ok := slices.BinarySearch(names, name); !ok {
			return "", fmt.Errorf("database schema is newer than this tally: it has migration %q, which this version does not know; upgrade tally", name)
		}
	}
	i := slices.IndexFunc(names, func(n string) bool { return !slices.Contains(applied, n) })
	if i < 0 {
		return "", nil
	}
	body, err := fs.ReadFile(fsys, names[i])
	if err != nil {
		return "", fmt.Errorf("read migration %s: %w", names[i], err)
	}
	if _, err := t.c.Exec(ctx, string(body)); err != nil { // as written, not bound
		return "", fmt.Errorf("migration %s failed and was rolled back: %w", names[i], err)
	}
	_, err = t.exec(ctx, `INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)`, names[i], time.Now().UnixMicro())
	if err != nil {
		return "", fmt.Errorf("migration %s: record: %w", names[i], err)
	}
	return names[i], nil
}

// Migrations returns the names of the migrations the database has
// applied, in name order.
func (t *Tx) Migrations(ctx context.Context) ([]string, error) {
	names, err := collect(ctx, t, func(row Row) (s string, err error) { return s, row.Scan(&s) },
		`SELECT name FROM schema_migrations ORDER BY name /*bytes*/`)
	if err != nil {
		return nil, fmt.Errorf("read schema_migrations: %w", err)
	}
	return names, nil
}
