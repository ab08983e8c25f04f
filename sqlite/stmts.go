package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/tallycredit/tally/sqlstore"
)

// statements lists the queries prepared once per connection instead of on
// every call: with this driver, preparing costs about as much as running a
// small query.
var statements = []string{
}

// prepare prepares every statement on pool. It must run before any
// transaction: on the one write connection a later prepare would wait for
// the connection a transaction holds.
func prepare(ctx context.Context, pool *sql.DB) (map[string]*sql.Stmt, error) {
	m := make(map[string]*sql.Stmt, len(statements))
	all := statements
	for _, q := range sqlstore.Queries() {
		all = append(all, dialect.Bind(q))
	}
	for _, q := range all {
		s, err := pool.PrepareContext(ctx, q)
		if err != nil {
			return nil, errors.Join(fmt.Errorf("prepare %q: %w", q, err), closeStmts(m))
		}
		m[q] = s
	}
	return m, nil
}

// closeStmts closes the statements of m.
func closeStmts(m map[string]*sql.Stmt) error {
	var errs []error
	for _, s := range m {
		errs = append(errs, s.Close())
	}
	return errors.Join(errs...)
}

// conn adapts a database/sql transaction to sqlstore.Conn, running the
// prepared queries through their statements.
type conn struct {
	tx    *sql.Tx
	stmts map[string]*sql.Stmt // of the pool tx belongs to
}

// Exec runs a statement and says how many rows it changed.
func (t *conn) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	res, err := t.exec(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// Query runs a statement that returns rows.
func (t *conn) Query(ctx context.Context, query string, args ...any) (sqlstore.Rows, error) {
	rows, err := t.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return sqlRows{rows}, nil
}

// QueryRow runs a query for one row; *sql.Row says sql.ErrNoRows already.
func (t *conn) QueryRow(ctx context.Context, query string, args ...any) sqlstore.Row {
	return t.queryRow(ctx, query, args...)
}

// sqlRows is *sql.Rows with the Close of sqlstore.Rows.
type sqlRows struct{ *sql.Rows }

func (r sqlRows) Close() { _ = r.Rows.Close() }

// stmt returns query prepared on t's connection, or nil if it is not one
// of the statements.
func (t *conn) stmt(ctx context.Context, query string) *sql.Stmt {
	if s, ok := t.stmts[query]; ok {
		return t.tx.StmtContext(ctx, s)
	}
	return nil
}

// exec is t.tx.ExecContext through the prepared statement when there is one.
func (t *conn) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if s := t.stmt(ctx, query); s != nil {
		return s.ExecContext(ctx, args...)
	}
	return t.tx.ExecContext(ctx, query, args...)
}

// query is t.tx.QueryContext through the prepared statement when there is one.
func (t *conn) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if s := t.stmt(ctx, query); s != nil {
		return s.QueryContext(ctx, args...)
	}
	return t.tx.QueryContext(ctx, query, args...)
}

// queryRow is t.tx.QueryRowContext through the prepared statement when
// there is one.
func (t *conn) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	if s := t.stmt(ctx, query); s != nil {
		return s.QueryRowContext(ctx, args...)
	}
	return t.tx.QueryRowContext(ctx, query, args...)
}
