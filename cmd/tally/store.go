package main

import (
	"context"
	"errors"
	"os"
	"strings"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/postgres"
	"github.com/tallycredit/tally/sqlite"
)

// store is a ledger store the CLI opened and must close.
type store interface {
	ledger.Store
	Migrations(ctx context.Context) ([]string, error)
	Close() error
}

// isPostgres reports whether a database address names a PostgreSQL server
// rather than a SQLite file.
func isPostgres(addr string) bool {
	return strings.HasPrefix(addr, "postgres://") || strings.HasPrefix(addr, "postgresql://")
}

// sqlitePath returns the file an address names: "sqlite:PATH" or a plain path.
func sqlitePath(addr string) string { return strings.TrimPrefix(addr, "sqlite:") }

// redacted returns an address fit to print: a PostgreSQL password masked.
func redacted(addr string) string {
	if isPostgres(addr) {
		return postgres.Redacted(addr)
	}
	return sqlitePath(addr)
}

// openStore opens the store an address names, applying its migrations.
// Without create, a SQLite file must already exist.
func (e *env) openStore(addr string, create bool) (store, error) {
	if isPostgres(addr) {
		return postgres.Open(e.ctx, addr)
	}
	path := sqlitePath(addr)
	if !create {
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			return nil, e.errorf(tally.ENotFound, "cli.no_database", path)
		}
	}
	return sqlite.Open(e.ctx, path)
}
