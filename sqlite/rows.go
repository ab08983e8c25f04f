package sqlite

import (
	"context"
	"fmt"
	"slices"
)

// Tables lists the ledger's tables in an order that satisfies their
// foreign keys: copying them in this order into another store works.
var Tables = []string{"meta", "subjects", "rulebooks", "enrolments", "consents", "records",
	"tokens", "token_revocations", "access_log", "saved_responses",
	"accounts", "account_passwords", "account_disablements", "sessions", "session_ends", "evidence", "evidence_items", "evidence_bindings",
	"catalogues", "list_entries", "list_removals", "check_counts",
	"holds", "hold_decisions", "objections", "objection_acks", "objection_decisions",
	"repairs", "repair_decisions", "notices", "notice_attempts", "contacts",
	"publication_consents", "closes", "close_rows", "close_totals", "close_late", "reports", "kiosk_codes", "kiosk_code_uses"}

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
