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
)

// TestWebAppendOnly checks that the triggers refuse to change, remove or
// truncate accounts, their passwords and disablements, sessions, their
// ends and evidence, even for a program that bypasses the store.
func TestWebAppendOnly(t *testing.T) {
	addr := pgtest.Fresh(t)
	db := mustOpen(t, addr)
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
		if err := tx.InsertEvidence(ctx, &tally.Evidence{Hash: "00", Type: "image/jpeg", Data: []byte("x"), UploadedAt: now, UploadedBy: "wang"}); err != nil {
			return err
		}
		return bindOne(ctx, tx, now)
	})
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

// bindOne stores a subject, a record of it and an item of evidence "00"
// bound to the record.
func bindOne(ctx context.Context, tx ledger.Tx, now time.Time) error {
	sub := &tally.Subject{Kind: tally.Person, Name: "x", Masked: "x", Lookup: []byte("l"), Sealed: []byte("s"), Created: now}
	if err := tx.InsertSubject(ctx, sub); err != nil {
		return err
	}
	r := &tally.Record{Scheme: "s", Version: 1, SubjectID: sub.ID, Rule: "r", Facts: map[string]any{}, HappenedAt: now,
		RecordedAt: now, RecordedBy: "wang", Ref: "r1", Evidence: "sha256:00", Digest: "d"}
	if err := tx.InsertRecord(ctx, r); err != nil {
		return err
	}
	it := &tally.EvidenceItem{Hash: "00", Scheme: "s", UploadedAt: now, UploadedBy: "wang"}
	if err := tx.InsertEvidenceItem(ctx, it); err != nil {
		return err
	}
	return tx.BindEvidence(ctx, it.ID, r.ID)
}
