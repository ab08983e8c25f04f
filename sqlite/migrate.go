package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"

	"github.com/tallycredit/tally/sqlstore"
)

// migrationFiles holds the schema as plain SQL files, applied in name
// order (sqlstore.Migrator). The PostgreSQL store keeps files of the same
// names.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrations is migrationFiles seen from inside its folder.
var migrations, _ = fs.Sub(migrationFiles, "migrations")

// migrate applies the migrations of fsys that db has not applied. It needs
// no lock against other processes: on the store's write connection every
// transaction but a read-only one takes the database's write lock when it
// begins.
func migrate(ctx context.Context, db *sql.DB, fsys fs.FS) error {
	return sqlstore.Migrator{Dialect: dialect, Int64: "INTEGER", Begin: func(ctx context.Context, write bool) (sqlstore.MigrationTx, error) {
		tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: !write})
		return migrationTx{&conn{tx: tx}}, err
	}}.Migrate(ctx, fsys)
}

// migrationTx is a conn that ends its own transaction.
type migrationTx struct{ *conn }

func (t migrationTx) Commit(context.Context) error   { return t.tx.Commit() }
func (t migrationTx) Rollback(context.Context) error { return t.tx.Rollback() }

// appliedMigrations returns the names of the migrations db has applied, in
// name order.
func appliedMigrations(ctx context.Context, db *sql.DB) ([]string, error) {
	sqlTx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("read schema_migrations: %w", err)
	}
	defer func() { _ = sqlTx.Rollback() }()
	return newTx(sqlTx, nil).Migrations(ctx)
}
