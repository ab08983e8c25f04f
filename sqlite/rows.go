package sqlite

import (
	"context"
	"fmt"
	"slices"

	"github.com/tallycredit/tally/sqlstore"
)

// Tables lists the ledger's tables in an order that satisfies their
// foreign keys (sqlstore.Tables).
var Tables = sqlstore.Tables

// Migrations returns the names of the migrations the database has applied.
func (db *DB) Migrations(ctx context.Context) ([]string, error) {
	return appliedMigrations(ctx, db.read)
}

// ReadRows streams every row of one of Tables, in insertion order, to fn
// with the column names. Values are as the driver returns them: int64,
// float64, string, []byte or nil. It reads one consistent snapshot.
func (db *DB) ReadRows(ctx context.Context, table string, fn func(columns []string, row []any) error) error {
	if !slices.Contains(Tables, table) {
		return fmt.Errorf("read rows: unknown table %q", table)
	}
	tx, err := db.read.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("read %s: %w", table, err)
	}
	defer func() { _ = tx.Rollback() }()
	rows, err := tx.QueryContext(ctx, "SELECT * FROM "+table+" ORDER BY rowid")
	if err != nil {
		return fmt.Errorf("read %s: %w", table, err)
	}
	defer rows.Close()
	columns, err := rows.Columns()
	if err != nil {
		return fmt.Errorf("read %s: %w", table, err)
	}
	for rows.Next() {
		row := make([]any, len(columns))
		ptrs := make([]any, len(columns))
		for i := range row {
			ptrs[i] = &row[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("read %s: %w", table, err)
		}
		if err := fn(columns, row); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read %s: %w", table, err)
	}
	return nil
}
