package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/tallycredit/tally/sqlstore"
)

// prepare prepares every fixed query of sqlstore on pool (the inserts
// only if it writes): with this driver, preparing costs about as much as
// running a small query. It must run before any transaction: on the one
// write connection a later prepare would wait for the connection a
// transaction holds.
func prepare(ctx context.Context, pool *sql.DB, writes bool) (map[string]*sql.Stmt, error) {
	m := map[string]*sql.Stmt{}
	for _, q := range sqlstore.Queries() {
		if !writes && strings.HasPrefix(q, "INSERT") {
			continue // a query-only connection never runs it
		}
		q = dialect.Bind(q)
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
	// own holds the other queries, prepared on first use and kept until
	// the transaction ends: an import batch runs its multi-row INSERTs of
	// a few shapes many times, and preparing one costs about as much as
	// running it.
	own map[string]*sql.Stmt
}

// Exec runs a statement and says how many rows it changed.
func (t *conn) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	var res sql.Result
	var err error
	if s := t.stmt(ctx, query); s != nil {
		res, err = s.ExecContext(ctx, args...)
	} else {
		res, err = t.tx.ExecContext(ctx, query, args...)
	}
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// Query runs a statement that returns rows.
func (t *conn) Query(ctx context.Context, query string, args ...any) (sqlstore.Rows, error) {
	var rows *sql.Rows
	var err error
	if s := t.stmt(ctx, query); s != nil {
		rows, err = s.QueryContext(ctx, args...)
	} else {
		rows, err = t.tx.QueryContext(ctx, query, args...)
	}
	if err != nil {
		return nil, err
	}
	return sqlRows{rows}, nil
}

// QueryRow runs a query for one row; *sql.Row says sql.ErrNoRows already.
func (t *conn) QueryRow(ctx context.Context, query string, args ...any) sqlstore.Row {
	if s := t.stmt(ctx, query); s != nil {
		return s.QueryRowContext(ctx, args...)
	}
	return t.tx.QueryRowContext(ctx, query, args...)
}

// sqlRows is *sql.Rows with the Close of sqlstore.Rows.
type sqlRows struct{ *sql.Rows }

func (r sqlRows) Close() { _ = r.Rows.Close() }

// stmt returns query prepared on t's connection: a fixed query's
// statement of the pool, or one prepared in this transaction. It is nil
// when preparing fails; running the query unprepared then reports why.
func (t *conn) stmt(ctx context.Context, query string) *sql.Stmt {
	if s, ok := t.stmts[query]; ok {
		return t.tx.StmtContext(ctx, s)
	}
	if s, ok := t.own[query]; ok {
		return s
	}
	s, err := t.tx.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	if t.own == nil {
		t.own = map[string]*sql.Stmt{}
	}
	t.own[query] = s
	return s
}
