package sqlstore

import (
	"context"
	"database/sql"
)

// Conn runs statements inside one transaction. The dialect packages adapt
// their driver to it. Queries arrive with the dialect's placeholders
// already in place.
type Conn interface {
	// Exec runs a statement that returns no rows and says how many rows it
	// changed.
	Exec(ctx context.Context, query string, args ...any) (int64, error)
	// Query runs a statement that returns rows.
	Query(ctx context.Context, query string, args ...any) (Rows, error)
	// QueryRow runs a statement for at most one row. Scanning a result
	// without rows returns sql.ErrNoRows, whatever the driver.
	QueryRow(ctx context.Context, query string, args ...any) Row
}

// Row is one result row to scan. NULL scans into a nil pointer (*int64,
// *string) on both drivers.
type Row interface {
	Scan(dest ...any) error
}

// Rows is a result set, read with Next and Scan and then closed.
type Rows interface {
	Row
	Next() bool
	Err() error
	Close()
}

// ErrNoRows is what Row.Scan returns when the query found no row.
var ErrNoRows = sql.ErrNoRows

// queries holds the fixed queries of the package by name, as written.
var queries = map[string]string{}

// fixed registers q under name as one of the fixed queries and returns it,
// so that a query's declaration also enrols it for preparing and for the
// tests that check plans. A name used twice is a programming error.
func fixed(name, q string) string {
	if _, ok := queries[name]; ok {
		panic("sqlstore: query " + name + " registered twice")
	}
	queries[name] = q
	return q
}

// Queries returns every fixed query of the package by name, as written
// (with ? placeholders and markers; see Dialect.Bind). SQLite prepares
// them once per connection, because with its pure Go driver preparing
// costs about as much as running a small query; the dialect packages'
// tests check their plans.
func Queries() map[string]string {
	m := make(map[string]string, len(queries))
	for k, v := range queries {
		m[k] = v
	}
	return m
}
