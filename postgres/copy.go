package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/jackc/pgx/v5"
	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/sqlstore"
)

// Tables lists the ledger's tables in an order that satisfies their
// foreign keys (sqlstore.Tables).
var Tables = sqlstore.Tables

// CopyIn writes rows verbatim into table, one of Tables, which must be
// empty: it is how `tally copy` moves a database from SQLite. It runs in
// one transaction that locks the table against other writers, writes with
// COPY and then moves the table's identity sequence past the largest id,
// so that later inserts do not collide with copied ids; after the commit
// it analyzes the table for the planner. rows yields one row at a time,
// with a value for each of columns (as SQLite returns them: int64, string,
// []byte or nil), and io.EOF after the last. CopyIn returns how many rows
// it wrote. A table that is not empty is EConflict; a row that breaks a
// unique constraint is EConflict and one that refers to a missing row
// ENotFound, and then nothing is written.
func (db *DB) CopyIn(ctx context.Context, table string, columns []string, rows func() ([]any, error)) (n int64, err error) {
	if !slices.Contains(Tables, table) {
		return 0, tally.Errorf(tally.EInvalid, "copy: unknown table %q", table)
	}
	if len(columns) == 0 {
		return 0, tally.Errorf(tally.EInvalid, "copy %s: no columns", table)
	}
	tx, err := db.pool.Begin(ctx)
	if err != nil {
		return 0, fmt.Errorf("copy %s: begin: %w", table, err)
	}
	defer func() { _ = tx.Rollback(ctx) }()

	name := pgx.Identifier{table}.Sanitize()
	// EXCLUSIVE mode still lets others read the table, not write it.
	if _, err := tx.Exec(ctx, `LOCK TABLE `+name+` IN EXCLUSIVE MODE`); err != nil {
		return 0, fmt.Errorf("copy %s: lock: %w", table, err)
	}
	var full bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM `+name+`)`).Scan(&full); err != nil {
		return 0, fmt.Errorf("copy %s: %w", table, err)
	}
	if full {
		return 0, tally.Errorf(tally.EConflict, "copy %s: the table is not empty: copy into a new database", table)
	}

	src := &rowSource{next: rows}
	n, err = tx.CopyFrom(ctx, pgx.Identifier{table}, columns, src)
	switch {
	case src.err != nil:
		return 0, fmt.Errorf("copy %s: read row %d: %w", table, src.n, src.err)
	case sqlState(err) == uniqueViolation:
		return 0, sqlstore.Conflict(err, "copy %s: rows repeat a unique key (constraint %s)", table, constraintOf(err))
	case sqlState(err) == foreignKeyViolation:
		return 0, sqlstore.NotFound(err, "copy %s: a row refers to a missing row (constraint %s)", table, constraintOf(err))
	case err != nil:
		return 0, storeErr(err, "copy "+table)
	}

	// The next id handed out is one past the largest copied (1 for an
	// empty table), for whichever identity column the schema gives the
	// table: read from the catalogue, so a new table needs no list kept.
	var col string
	err = tx.QueryRow(ctx, `SELECT column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = $1 AND is_identity = 'YES'`, table).Scan(&col)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
	case err != nil:
		return 0, fmt.Errorf("copy %s: find the identity column: %w", table, err)
	default:
		q := fmt.Sprintf(`SELECT setval(pg_get_serial_sequence($1, $2), COALESCE(MAX(%s), 0) + 1, false) FROM %s`,
			pgx.Identifier{col}.Sanitize(), name)
		if _, err := tx.Exec(ctx, q, table, col); err != nil {
			return 0, fmt.Errorf("copy %s: move the id sequence: %w", table, err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return 0, fmt.Errorf("copy %s: commit: %w", table, err)
	}
	// Statistics now, not at autovacuum's next round: until then the
	// planner would take the table for empty.
	if _, err := db.pool.Exec(ctx, `ANALYZE `+name); err != nil {
		return n, fmt.Errorf("copy %s: copied %d rows, then analyze: %w", table, n, err)
	}
	return n, nil
}

// rowSource adapts a function yielding rows until io.EOF to
// pgx.CopyFromSource. n counts the rows read, for messages.
type rowSource struct {
	next func() ([]any, error)
	row  []any
	err  error
	n    int
}

func (s *rowSource) Next() bool {
	row, err := s.next()
	if errors.Is(err, io.EOF) {
		return false
	}
	s.n++
	s.row, s.err = row, err
	return err == nil
}

func (s *rowSource) Values() ([]any, error) { return s.row, nil }

func (s *rowSource) Err() error { return s.err }

// CopyFrom writes rows into table with COPY: sqlstore's bulk inserts (a
// close's rows) go through it. A failure aborts the transaction.
func (t *conn) CopyFrom(ctx context.Context, table string, columns []string, rows [][]any) error {
	_, err := t.tx.CopyFrom(ctx, pgx.Identifier{table}, columns, pgx.CopyFromRows(rows))
	t.note(err)
	return err
}

var _ sqlstore.Copier = (*conn)(nil)

// reserveIDs takes n IDs from the identity sequence of table, in
// increasing order, so that a batch written with COPY gets the IDs its
// rows would have had one by one.
func (t *tx) reserveIDs(ctx context.Context, table string, n int) ([]int64, error) {
	rows, err := t.tx.Query(ctx, `SELECT nextval(pg_get_serial_sequence($1, 'id')) FROM generate_series(1, $2)`, table, n)
	if err == nil {
		var ids []int64
		ids, err = pgx.CollectRows(rows, pgx.RowTo[int64])
		if err == nil {
			slices.Sort(ids) // one query's nextval calls increase, but say so
			return ids, nil
		}
	}
	t.note(err)
	return nil, storeErr(err, "reserve "+table+" ids")
}

// InsertRecords appends rs in two round trips, where sqlstore's takes one
// per record: it reserves their IDs, then writes the rows with COPY. A
// conflict is EConflict and a missing subject or reversed record
// ENotFound; either aborts the transaction, and no ID is set.
func (t *tx) InsertRecords(ctx context.Context, rs []*tally.Record) error {
	if len(rs) == 0 {
		return nil
	}
	rows := make([][]any, len(rs))
	for i, r := range rs {
		row, err := sqlstore.RecordRow(r)
		if err != nil {
			return err
		}
		rows[i] = row
	}
	ids, err := t.reserveIDs(ctx, "records", len(rs))
	if err != nil {
		return err
	}
	for i := range rows {
		rows[i][0] = ids[i]
	}
	err = t.CopyFrom(ctx, "records", sqlstore.RecordColumns, rows)
	switch {
	case sqlState(err) == uniqueViolation && constraintOf(err) == "records_reverses":
		return sqlstore.Conflict(err, "a record of the batch reverses a record that is already reversed")
	case sqlState(err) == uniqueViolation:
		return sqlstore.Conflict(err, "a ref of the batch is already used in its scheme, or used twice in the batch")
	case sqlState(err) == foreignKeyViolation:
		return sqlstore.NotFound(err, "a record of the batch names a subject, or a record to reverse, that does not exist")
	case err != nil:
		return storeErr(err, "insert records")
	}
	for i, r := range rs {
		r.ID = ids[i]
	}
	return nil
}

// InsertAccesses appends entries in two round trips, as InsertRecords
// does.
func (t *tx) InsertAccesses(ctx context.Context, as []*tally.Access) error {
	if len(as) == 0 {
		return nil
	}
	ids, err := t.reserveIDs(ctx, "access_log", len(as))
	if err != nil {
		return err
	}
	rows := make([][]any, len(as))
	for i, a := range as {
		var token *int64 // NULL for none
		if a.TokenID != 0 {
			token = &a.TokenID
		}
		rows[i] = []any{ids[i], a.At.UnixMicro(), a.SubjectID, a.Scheme, a.Actor, string(a.Role), token, a.Action, a.Purpose, a.Detail, a.Op, a.Scope}
	}
	err = t.CopyFrom(ctx, "access_log", []string{"id", "at", "subject_id", "scheme", "actor", "role", "token_id", "action", "purpose", "detail", "op", "scope"}, rows)
	switch {
	case sqlState(err) == foreignKeyViolation:
		return sqlstore.NotFound(err, "an access entry names a subject that does not exist")
	case err != nil:
		return storeErr(err, "insert access entries")
	}
	for i, a := range as {
		a.ID = ids[i]
	}
	return nil
}
