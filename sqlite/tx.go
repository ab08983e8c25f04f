package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/sqlstore"
)

// dialect is SQLite's SQL: ? placeholders, no planner markers, no
// LATERAL, constraint violations by extended result code.
var dialect = &sqlstore.Dialect{Name: "sqlite", IsUnique: isUnique, IsForeignKey: isForeignKey,
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

// scanner is a *sql.Row or *sql.Rows.
type scanner interface {
	Scan(dest ...any) error
}

// LockSubject does nothing but check ctx: every Update already holds the
// database's only write lock (BEGIN IMMEDIATE on the one write connection).
func (t *tx) LockSubject(ctx context.Context, scheme string, subjectID int64) error {
	return ctx.Err()
}

// micros returns t as microseconds since the Unix epoch, the form every
// time column holds. Nanoseconds are truncated.
func micros(t time.Time) int64 { return t.UnixMicro() }

// fromMicros is the inverse of micros, in UTC.
func fromMicros(us int64) time.Time { return time.UnixMicro(us).UTC() }

// nullMicros is micros for a nullable column: the zero time is NULL.
func nullMicros(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: micros(t), Valid: true}
}

// fromNullMicros is the inverse of nullMicros: NULL is the zero time.
func fromNullMicros(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return fromMicros(n.Int64)
}

// blob returns b, or an empty slice for nil: the driver binds a nil slice
// as NULL, which NOT NULL blob columns refuse.
func blob(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}
