package sqlstore

import (
	"context"
	"math/bits"
	"strings"
)

// Copier is a Conn that can load many rows into a table in one stream
// (PostgreSQL's COPY). Tx writes bulk rows through it when its Conn has
// it, and with multi-row INSERTs otherwise. A failed copy fails the whole
// transaction.
type Copier interface {
	CopyFrom(ctx context.Context, table string, columns []string, rows [][]any) error
}

// insertBatch is the most rows one multi-row INSERT writes: at 19 values
// a row, well under SQLite's limit on bound parameters.
const insertBatch = 512

// insertRows appends to one of a close's tables the row of each item,
// with a value for each of columns. A row already there is EConflict, one
// naming a missing row ENotFound.
func insertRows[T any](ctx context.Context, t *Tx, table string, columns []string, items []T, row func(T) []any) error {
	rows := make([][]any, len(items))
	for i, x := range items {
		rows[i] = row(x)
	}
	err := t.load(ctx, table, columns, rows)
	switch {
	case err == nil:
		return nil
	case t.d.IsUnique(err):
		return Conflict(err, "%s: a row is there twice", table)
	case t.d.IsForeignKey(err):
		return NotFound(err, "%s: a row names a close, subject or record that does not exist", table)
	}
	return t.wrap(err, "insert "+table)
}

// load writes rows into table with COPY where the Conn can, else in
// multi-row INSERTs of up to insertBatch rows. Their sizes are powers of
// two, so that the engine (and Dialect.Bind's cache) sees a few shapes of
// statement, not one for every length.
func (t *Tx) load(ctx context.Context, table string, columns []string, rows [][]any) error {
	if c, ok := t.c.(Copier); ok {
		if len(rows) == 0 {
			return nil
		}
		return c.CopyFrom(ctx, table, columns, rows)
	}
	tuple := "(?" + strings.Repeat(", ?", len(columns)-1) + ")"
	for len(rows) > 0 {
		n := 1 << (bits.Len(uint(min(len(rows), insertBatch))) - 1)
		args := make([]any, 0, n*len(columns))
		for _, r := range rows[:n] {
			args = append(args, r...)
		}
		q := `INSERT INTO ` + table + ` (` + strings.Join(columns, ", ") + `) VALUES ` + tuple + strings.Repeat(", "+tuple, n-1)
		if _, err := t.exec(ctx, q, args...); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}
