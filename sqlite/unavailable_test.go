package sqlite_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/sqlite"
)

// A closed store, or a deadline that ran out, is EUnavailable (the API
// answers 503 to it), not an internal fault; errors with their own code
// keep it.
func TestClosedDatabaseIsUnavailable(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "tally.db"))
	if err != nil {
		t.Fatal(err)
	}
	read := func(tx ledger.Tx) error { _, err := tx.Schemes(ctx); return err }
	if err := db.View(ctx, read); err != nil {
		t.Fatal(err)
	}
	if err := db.View(ctx, func(ledger.Tx) error { return tally.Errorf(tally.ENotFound, "none") }); tally.ErrorCodeOf(err) != tally.ENotFound {
		t.Errorf("a not-found error from fn became %s", tally.ErrorCodeOf(err))
	}
	if err := db.View(ctx, func(ledger.Tx) error { return errors.New("a fault") }); tally.ErrorCodeOf(err) != tally.EInternal {
		t.Errorf("a plain error from fn became %s, want internal", tally.ErrorCodeOf(err))
	}
	expired, cancel := context.WithTimeout(ctx, 0)
	defer cancel()
	if err := db.Update(expired, read); tally.ErrorCodeOf(err) != tally.EUnavailable || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("update after the deadline: %v (%s), want unavailable", err, tally.ErrorCodeOf(err))
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	for name, call := range map[string]func(context.Context, func(ledger.Tx) error) error{"view": db.View, "update": db.Update} {
		if err := call(ctx, read); tally.ErrorCodeOf(err) != tally.EUnavailable {
			t.Errorf("%s after Close: %v (%s), want unavailable", name, err, tally.ErrorCodeOf(err))
		}
	}
}
