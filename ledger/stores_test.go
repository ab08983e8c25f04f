package ledger_test

import (
	"path/filepath"
	"testing"

	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/postgres"
	"github.com/tallycredit/tally/postgres/pgtest"
	"github.com/tallycredit/tally/sqlite"
)

// bothStores opens a fresh, empty store of each engine, closed when the
// test ends: a SQLite file and a PostgreSQL database.
var bothStores = map[string]func(t *testing.T) ledger.Store{
	"sqlite": func(t *testing.T) ledger.Store {
		db, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "tally.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	},
	"postgres": func(t *testing.T) ledger.Store {
		db, err := postgres.Open(t.Context(), pgtest.Fresh(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	},
}
