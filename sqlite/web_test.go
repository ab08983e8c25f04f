package sqlite_test

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"

	msqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// TestWebAppendOnly checks that the triggers refuse to change or remove
// accounts, their passwords and disablements, sessions, their ends and
// evidence, even for a program that bypasses the store.
func TestWebAppendOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.db")
	db := mustOpen(t, path)
	now := time.Now()
	err := db.Update(t.Context(), func(tx ledger.Tx) error {
		ctx := t.Context()
		a := &tally.Account{Name: "wang", Role: tally.Recorder, Created: now, CreatedBy: "admin", PasswordHash: "h", PasswordSet: now}
		if err := tx.InsertAccount(ctx, a); err != nil {
			return err
		}
		if err := tx.DisableAccount(ctx, a.ID, now, "admin"); err != nil {
			return err
		}
		if err := tx.InsertSession(ctx, &tally.Session{Hash: []byte("s"), AccountID: a.ID, CSRF: "c", Created: now, Expires: now}); err != nil {
			return err
		}
		if err := tx.EndSession(ctx, []byte("s"), now); err != nil {
			return err
		}
		return tx.InsertEvidence(ctx, &tally.Evidence{Hash: "00", Type: "image/jpeg", Data: []byte("x"), UploadedAt: now, UploadedBy: "wang"})
	})
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
