package postgres_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/postgres/pgtest"
	"github.com/tallycredit/tally/storetest"
)

// TestWebAppendOnly checks that the triggers refuse to change, remove or
// truncate accounts, their passwords and disablements, sessions, their
// ends and evidence, even for a program that bypasses the store.
func TestWebAppendOnly(t *testing.T) {
	addr := pgtest.Fresh(t)
	db := mustOpen(t, addr)
	now := time.Now()
	err := db.Update(t.Context(), func(tx ledger.Tx) error { return storetest.WebRows(t.Context(), tx, now) })
	if err != nil {
		t.Fatal(err)
	}

	raw := rawConn(t, addr)
	for _, stmt := range []string{
		`UPDATE accounts SET role = 'admin'`,
		`DELETE FROM accounts`,
		`TRUNCATE accounts CASCADE`,
		`UPDATE account_passwords SET hash = 'known'`,
		`DELETE FROM account_passwords`,
		`TRUNCATE account_passwords`,
		`UPDATE account_disablements SET at = 0`,
		`DELETE FROM account_disablements`,
		`TRUNCATE account_disablements`,
		`UPDATE sessions SET expires = expires + 1000000000`,
		`DELETE FROM sessions`,
		`TRUNCATE sessions CASCADE`,
		`UPDATE session_ends SET at = 0`,
		`DELETE FROM session_ends`,
		`TRUNCATE session_ends`,
		`UPDATE evidence SET data = 'forged'`,
		`DELETE FROM evidence`,
		`TRUNCATE evidence CASCADE`,
		`UPDATE evidence_items SET scheme = 'other'`,
		`DELETE FROM evidence_items`,
		`TRUNCATE evidence_items CASCADE`,
		`UPDATE evidence_bindings SET record_id = 0`,
		`DELETE FROM evidence_bindings`,
		`TRUNCATE evidence_bindings`,
	} {
		_, err := raw.Exec(context.Background(), stmt)
		var e *pgconn.PgError
		if !errors.As(err, &e) || e.Code != "23001" {
			t.Errorf("%s: got error %v, want SQLSTATE 23001", stmt, err)
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
