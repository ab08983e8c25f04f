package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/tallycredit/tally/ledger"
)

// tx implements ledger.Tx on one database/sql transaction. After a failed
// statement (such as a conflict) the transaction stays usable: SQLite
// aborts only the statement.
type tx struct {
	tx    *sql.Tx
	stmts map[string]*sql.Stmt // of the pool tx belongs to
}

var _ ledger.Tx = (*tx)(nil)

// scanner is a *sql.Row or *sql.Rows.
type scanner interface {
	Scan(dest ...any) error
}

const (
	metaQuery    = `SELECT value FROM meta WHERE name = ?`
	setMetaQuery = `INSERT INTO meta (name, value) VALUES (?, ?)
		ON CONFLICT (name) DO UPDATE SET value = excluded.value`
)

// Meta returns the setting name, or ENotFound.
func (t *tx) Meta(ctx context.Context, name string) (string, error) {
	var value string
	err := t.queryRow(ctx, metaQuery, name).Scan(&value)
	if err != nil {
		return "", lookupErr(err, "read meta", "no setting %q", name)
	}
	return value, nil
}

// SetMeta stores the setting name, replacing any earlier value.
func (t *tx) SetMeta(ctx context.Context, name, value string) error {
	_, err := t.exec(ctx, setMetaQuery, name, value)
	if err != nil {
		return fmt.Errorf("set meta %s: %w", name, err)
	}
	return nil
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
