package postgres

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/sqlstore"
)

// migrationFiles holds the schema as plain SQL files, applied in name
// order (sqlstore.Migrator). They have the names of sqlite/migrations, one
// for one.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrations is migrationFiles seen from inside its folder.
var migrations, _ = fs.Sub(migrationFiles, "migrations")

// migrationLock takes the advisory lock, in the two-integer key space,
// that serialises migrations across processes: 'taly' and 1. It is held
// until the transaction ends.
var migrationLock = fmt.Sprintf(`SELECT pg_advisory_xact_lock(%d, %d)`, 0x74616c79, 1)

// migrate applies the migrations of fsys that the database has not
// applied, each under the migration lock, so that servers starting
// together apply each once. pgx runs a migration's several statements
// because it sends a statement without arguments by the simple protocol.
func migrate(ctx context.Context, pool *pgxpool.Pool, fsys fs.FS) error {
	return sqlstore.Migrator{Dialect: dialect, Int64: "BIGINT", Lock: migrationLock, Begin: func(ctx context.Context, _ bool) (sqlstore.MigrationTx, error) {
		tx, err := pool.Begin(ctx) // reading takes no lock that waits for a writer
		return migrationTx{&conn{tx: tx}}, err
	}}.Migrate(ctx, fsys)
}

// migrationTx is a conn that ends its own transaction.
type migrationTx struct{ *conn }

func (t migrationTx) Commit(ctx context.Context) error   { return t.tx.Commit(ctx) }
func (t migrationTx) Rollback(ctx context.Context) error { return t.tx.Rollback(ctx) }

// Migrations returns the names of the migrations the database has
// applied, in name order.
func (db *DB) Migrations(ctx context.Context) (names []string, err error) {
	err = db.View(ctx, func(t ledger.Tx) error {
		names, err = t.(*tx).Migrations(ctx)
		return err
	})
	return names, err
}
