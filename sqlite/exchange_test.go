package sqlite_test

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/storetest"

	msqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// TestExchangeAppendOnly checks that the triggers refuse to change or
// remove agreements and rejected messages, and let a share change only by
// being marked published, once, even for a program that bypasses the store.
func TestExchangeAppendOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.db")
	db := mustOpen(t, path)
	var share int64
	err := db.Update(t.Context(), func(tx ledger.Tx) (err error) {
		share, err = storetest.ExchangeRows(t.Context(), tx, 0, time.Now())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}

	raw := rawOpen(t, path)
	if _, err := raw.Exec(storetest.MarkShareRaw); err != nil {
		t.Fatalf("marking a share published: %v", err)
	}
	for _, stmt := range storetest.ExchangeTampering {
		_, err := raw.Exec(stmt)
		var e *msqlite.Error
		if !errors.As(err, &e) || e.Code() != sqlite3.SQLITE_CONSTRAINT_TRIGGER {
			t.Errorf("%s: got error %v, want SQLITE_CONSTRAINT_TRIGGER", stmt, err)
		}
	}
	storetest.ExchangeRowsKept(t, db, share)
}
