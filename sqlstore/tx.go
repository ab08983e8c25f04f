package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tallycredit/tally"
)

// Tx is one transaction of either engine: it implements the methods of
// ledger.Tx whose SQL is the same on both. The dialect packages embed it
// in their own transaction type and add the rest.
type Tx struct {
	c Conn
	d *Dialect
}

// NewTx returns the transaction that runs on c in dialect d.
func NewTx(c Conn, d *Dialect) *Tx { return &Tx{c: c, d: d} }

// exec runs a statement that returns no rows; it says how many it changed.
func (t *Tx) exec(ctx context.Context, q string, args ...any) (int64, error) {
	return t.c.Exec(ctx, t.d.Bind(q), args...)
}

// queryRow runs a query for one row.
func (t *Tx) queryRow(ctx context.Context, q string, args ...any) Row {
	return t.c.QueryRow(ctx, t.d.Bind(q), args...)
}

// collect runs a query and returns each row as scan reads it; no row is an
// empty slice, not nil.
func collect[T any](ctx context.Context, t *Tx, scan func(Row) (T, error), q string, args ...any) ([]T, error) {
	rows, err := t.c.Query(ctx, t.d.Bind(q), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// one reads the row of a query for one row with scan: no row is ENotFound
// with the message format makes of args.
func one[T any](t *Tx, scan func(Row) (T, error), row Row, op, format string, args ...any) (*T, error) {
	v, err := scan(row)
	if err != nil {
		return nil, t.lookupErr(err, op, format, args...)
	}
	return &v, nil
}

// settle translates the error of a write of one row that wrote none
// instead (ErrNoRows; see wrote) by asking whether the row it referred to,
// selected by from (a FROM clause and its WHERE), exists: found if so (nil
// for a repeat to ignore, or an EConflict), missing if not.
func (t *Tx) settle(ctx context.Context, err error, op string, found, missing error, from string, args ...any) error {
	if !errors.Is(err, ErrNoRows) {
		return t.wrap(err, op)
	}
	var ok bool
	if err := t.queryRow(ctx, `SELECT EXISTS (SELECT 1 FROM `+from+`)`, args...).Scan(&ok); err != nil {
		return t.wrap(err, op)
	}
	if ok {
		return found
	}
	return missing
}

// wrote returns the error of a statement that changed n rows, or ErrNoRows
// if it changed none.
func wrote(n int64, err error) error {
	if err == nil && n == 0 {
		return ErrNoRows
	}
	return err
}

// scanID reads one integer column, such as an ID.
func scanID(row Row) (id int64, err error) { return id, row.Scan(&id) }

// Conflict returns an EConflict error caused by err (which may be nil).
func Conflict(err error, format string, args ...any) error {
	e := tally.Errorf(tally.EConflict, format, args...)
	e.Err = err
	return e
}

// NotFound returns an ENotFound error caused by err (which may be nil).
func NotFound(err error, format string, args ...any) error {
	e := tally.Errorf(tally.ENotFound, format, args...)
	e.Err = err
	return e
}

// wrap wraps the error of a statement with the short context op; nil stays
// nil. Text the engine cannot store is EInvalid.
func (t *Tx) wrap(err error, op string) error {
	switch {
	case err == nil:
		return nil
	case t.d.BadText != nil && t.d.BadText(err):
		return &tally.Error{Code: tally.EInvalid, Message: op + ": text must be valid UTF-8 without NUL characters", Err: err}
	}
	return fmt.Errorf("%s: %w", op, err)
}

// lookupErr translates the error of a query for one row: no row is
// ENotFound with the message given, anything else is wrapped with op.
func (t *Tx) lookupErr(err error, op string, format string, args ...any) error {
	if errors.Is(err, ErrNoRows) {
		return NotFound(nil, format, args...)
	}
	return t.wrap(err, op)
}

// insertErr translates the error of an INSERT ... ON CONFLICT DO NOTHING
// RETURNING: no row is a conflict, a missing referenced row ENotFound.
// args feed conflictMsg's verbs from the front and missingMsg's from the
// back.
func (t *Tx) insertErr(err error, op, conflictMsg, missingMsg string, args ...any) error {
	n := strings.Count(conflictMsg, "%")
	switch {
	case err == nil:
		return nil
	case errors.Is(err, ErrNoRows):
		return Conflict(nil, conflictMsg, args[:min(n, len(args))]...)
	case t.d.IsForeignKey(err):
		return NotFound(err, missingMsg, args[len(args)-strings.Count(missingMsg, "%"):]...)
	}
	return t.wrap(err, op)
}

// micros returns t as microseconds since the Unix epoch, the form every
// time column holds. Nanoseconds are truncated.
func micros(t time.Time) int64 { return t.UnixMicro() }

// fromMicros is the inverse of micros, in UTC.
func fromMicros(us int64) time.Time { return time.UnixMicro(us).UTC() }

// nullTime is micros for a nullable column: the zero time is NULL.
func nullTime(t time.Time) *int64 {
	if t.IsZero() {
		return nil
	}
	us := micros(t)
	return &us
}

// fromNullTime is the inverse of nullTime: NULL is the zero time.
func fromNullTime(us *int64) time.Time {
	if us == nil {
		return time.Time{}
	}
	return fromMicros(*us)
}

// nullID is NULL for 0.
func nullID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// deref is 0 for NULL.
func deref(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// flag stores a bool as 0 or 1, as both schemas do.
func flag(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// blob returns b, or an empty slice for nil: both drivers bind a nil slice
// as NULL, which NOT NULL blob columns refuse.
func blob(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

// list returns "?, ?, ..." for n placeholders and vs as arguments, for an
// IN list.
func list[T any](vs []T) (string, []any) {
	args := make([]any, len(vs))
	for i, v := range vs {
		args[i] = v
	}
	return "?" + strings.Repeat(", ?", len(vs)-1), args
}
