package sqlite

import (
	"context"
	"database/sql"

	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/sqlstore"
)

// dialect is SQLite's SQL: ? placeholders, no planner markers, no
// LATERAL, constraint violations by extended result code.
var dialect = &sqlstore.Dialect{IsUnique: isUnique, IsForeignKey: isForeignKey,
	Words: map[string]string{"/*latest consent*/": sqlstore.LatestConsentByID}}

// tx implements ledger.Tx on one database/sql transaction: the shared SQL
// of sqlstore, plus what is SQLite's own. After a failed statement (such
// as a conflict) the transaction stays usable: SQLite aborts only the
// statement.
type tx struct {
	*sqlstore.Tx
	*conn
}

var _ ledger.Tx = (*tx)(nil)

// newTx returns the transaction on sqlTx, whose pool prepared stmts.
func newTx(sqlTx *sql.Tx, stmts map[string]*sql.Stmt) *tx {
	c := &conn{tx: sqlTx, stmts: stmts}
	return &tx{Tx: sqlstore.NewTx(c, dialect), conn: c}
}

// LockSubject does nothing but check ctx: every Update already holds the
// database's only write lock (BEGIN IMMEDIATE on the one write connection).
func (t *tx) LockSubject(ctx context.Context, scheme string, subjectID int64) error {
	return ctx.Err()
}

// LockSubjects does nothing but check ctx, as LockSubject.
func (t *tx) LockSubjects(ctx context.Context, scheme string, subjectIDs []int64) error {
	return ctx.Err()
}
