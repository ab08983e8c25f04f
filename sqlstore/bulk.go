package sqlstore

import (
	"context"
	"slices"
	"strconv"
	"strings"
)

// Copier is a Conn that can load many rows into a table in one stream
// (PostgreSQL's COPY). Tx writes bulk rows through it when its Conn has
// it, and with multi-row INSERTs otherwise. A failed copy fails the whole
// transaction.
type Copier interface {
	CopyFrom(ctx context.Context, table string, columns []string, rows [][]any) error
}

// insertRows appends to a table (a close's, a batch's holds) the row of
// each item, with a value for each of columns. A row already there is
// EConflict, one naming a missing row ENotFound.
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
// multi-row INSERTs (see eachChunk).
func (t *Tx) load(ctx context.Context, table string, columns []string, rows [][]any) error {
	if c, ok := t.c.(Copier); ok {
		if len(rows) == 0 {
			return nil
		}
		return c.CopyFrom(ctx, table, columns, rows)
	}
	return eachChunk(rows, func(size int, args []any) error {
		_, err := t.exec(ctx, insertValues(table, columns, bulkSizes[size]), args...)
		return err
	})
}

// eachChunk hands write the rows in chunks of bulkSizes' lengths, as many
// of the largest as fit, then the smaller, each with its values flattened
// and the index of its length in bulkSizes.
func eachChunk(rows [][]any, write func(size int, args []any) error) error {
	for i, n := range bulkSizes {
		for len(rows) >= n {
			if err := write(i, flatten(rows[:n])); err != nil {
				return err
			}
			rows = rows[n:]
		}
	}
	return nil
}

func flatten(rows [][]any) []any {
	args := make([]any, 0, len(rows)*len(rows[0]))
	for _, r := range rows {
		args = append(args, r...)
	}
	return args
}

// insertValues is an INSERT of n rows of columns into table.
func insertValues(table string, columns []string, n int) string {
	tuple := "(?" + strings.Repeat(", ?", len(columns)-1) + ")"
	return `INSERT INTO ` + table + ` (` + strings.Join(columns, ", ") + `) VALUES ` + tuple + strings.Repeat(", "+tuple, n-1)
}

// bulkSizes are the row counts of multi-row statements, largest first: a
// batch is written with as many of the largest as fit, then the smaller.
// A few fixed shapes let bulkInsert's be fixed queries, which SQLite
// prepares once per connection, and the others be prepared once per
// transaction: a statement of another length would be parsed afresh, and
// parsing a long INSERT costs about as much as running it.
var bulkSizes = []int{128, 16, 1}

// fixedInserts are the multi-row INSERTs into a table of bulkSizes'
// lengths, fixed queries that SQLite prepares once per connection: load's
// are prepared once per transaction, which for a transaction of a few
// rows costs about as much as writing them.
type fixedInserts []string

// newFixedInserts registers the statements that insert rows of columns
// into table under name.
func newFixedInserts(name, table string, columns []string) fixedInserts {
	var f fixedInserts
	for _, n := range bulkSizes {
		f = append(f, fixed(name+strconv.Itoa(n), insertValues(table, columns, n)))
	}
	return f
}

// write inserts rows.
func (f fixedInserts) write(ctx context.Context, t *Tx, rows [][]any) error {
	return eachChunk(rows, func(size int, args []any) error {
		_, err := t.exec(ctx, f[size], args...)
		return err
	})
}

// bulkInsert writes rows of a table that need their IDs at once (a
// notice names its record) with multi-row INSERTs of fixed shapes.
type bulkInsert struct {
	queries []string // by bulkSizes
}

// newBulkInsert registers the statements that insert rows of columns
// into table under name.
func newBulkInsert(name, table string, columns []string) *bulkInsert {
	b := &bulkInsert{}
	for _, n := range bulkSizes {
		b.queries = append(b.queries, fixed(name+strconv.Itoa(n), insertValues(table, columns, n)+` RETURNING id`))
	}
	return b
}

// insert writes rows and returns each row's id, in the order of rows.
func (b *bulkInsert) insert(ctx context.Context, t *Tx, rows [][]any) ([]int64, error) {
	ids := make([]int64, 0, len(rows))
	err := eachChunk(rows, func(size int, args []any) error {
		got, err := collect(ctx, t, scanID, b.queries[size], args...)
		if err != nil {
			return err
		}
		// Rows get increasing IDs in the order of VALUES; RETURNING need
		// not give them in that order.
		slices.Sort(got)
		ids = append(ids, got...)
		return nil
	})
	return ids, err
}
