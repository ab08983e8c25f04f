package sqlite_test

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/storetest"

	msqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// TestWebAppendOnly checks that the triggers refuse to change or remove
// accounts, their passwords and disablements, sessions, their ends,
// evidence and its items and bindings, even for a program that bypasses the store.
func TestWebAppendOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.db")
	db := mustOpen(t, path)
	now := time.Now()
	err := db.Update(t.Context(), func(tx ledger.Tx) error { return storetest.WebRows(t.Context(), tx, now) })
	if err != nil {
		t.Fatal(err)
	}

	raw := rawOpen(t, path)
	for _, stmt := range []string{
		`UPDATE accounts SET role = 'admin'`,
		`DELETE FROM accounts`,
		`UPDATE account_passwords SET hash = 'known'`,
		`DELETE FROM account_passwords`,
		`DELETE FROM account_disablements`,
		`UPDATE account_disablements SET at = 0`,
		`UPDATE sessions SET expires = expires + 1000000000`,
		`DELETE FROM sessions`,
		`DELETE FROM session_ends`,
		`UPDATE session_ends SET at = 0`,
		`UPDATE evidence SET data = 'forged'`,
		`DELETE FROM evidence`,
		`UPDATE evidence_items SET scheme = 'other'`,
		`DELETE FROM evidence_items`,
		`UPDATE evidence_bindings SET record_id = 0`,
		`DELETE FROM evidence_bindings`,
	} {
		_, err := raw.Exec(stmt)
		var e *msqlite.Error
		if !errors.As(err, &e) || e.Code() != sqlite3.SQLITE_CONSTRAINT_TRIGGER {
			t.Errorf("%s: got error %v, want SQLITE_CONSTRAINT_TRIGGER", stmt, err)
		}
	}
	err = db.View(t.Context(), func(tx ledger.Tx) error {
		a, err := tx.AccountByName(t.Context(), "wang")
		if err != nil {
			return err
		}
		if a.Role != tally.Recorder || a.PasswordHash != "h" || a.Disabled.IsZero() {
			t.Errorf("after refused changes: got %+v", a)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
