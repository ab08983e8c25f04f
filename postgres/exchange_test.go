package postgres_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/postgres/pgtest"
	"github.com/tallycredit/tally/storetest"
)

// TestExchangeAppendOnly checks that the triggers refuse to change,
// remove or truncate agreements, shares and rejected messages, and let a
// share change only by being marked published, once, even for a program
// that bypasses the store.
func TestExchangeAppendOnly(t *testing.T) {
	addr := pgtest.Fresh(t)
	db := mustOpen(t, addr)
	var share int64
	err := db.Update(t.Context(), func(tx ledger.Tx) (err error) {
		share, err = storetest.ExchangeRows(t.Context(), tx, 0, time.Now())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}

	raw := rawConn(t, addr)
	if _, err := raw.Exec(context.Background(), storetest.MarkShareRaw); err != nil {
		t.Fatalf("marking a share published: %v", err)
	}
	for _, stmt := range append(storetest.ExchangeTampering, `TRUNCATE agreements`, `TRUNCATE shares`, `TRUNCATE rejected_shares`) {
		_, err := raw.Exec(context.Background(), stmt)
		var e *pgconn.PgError
		if !errors.As(err, &e) || e.Code != "23001" {
			t.Errorf("%s: got error %v, want SQLSTATE 23001", stmt, err)
		}
	}
	storetest.ExchangeRowsKept(t, db, share)
}
