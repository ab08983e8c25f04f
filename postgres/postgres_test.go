package postgres_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/postgres"
	"github.com/tallycredit/tally/postgres/pgtest"
	"github.com/tallycredit/tally/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) ledger.Store {
		return mustOpen(t, pgtest.Fresh(t))
	})
}

// mustOpen opens the store at addr and closes it when the test ends.
func mustOpen(tb testing.TB, addr string) *postgres.DB {
	tb.Helper()
	db, err := postgres.Open(context.Background(), addr)
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Errorf("Close: %v", err)
		}
	})
	return db
}

// rawConn connects to addr with the bare driver, bypassing the store, to
// look at or tamper with the database as another program could.
func rawConn(tb testing.TB, addr string) *pgx.Conn {
	tb.Helper()
	conn, err := pgx.Connect(context.Background(), addr)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = conn.Close(context.Background()) })
	return conn
}
