package sqlite_test

import (
	"context"
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
// accounts, their passwords and disablements, sessions, their ends,
// evidence and its items and bindings, even for a program that bypasses the store.
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
		if err := tx.InsertEvidence(ctx, &tally.Evidence{Hash: "00", Type: "image/jpeg", Data: []byte("x"), UploadedAt: now, UploadedBy: "wang"}); err != nil {
			return err
		}
		return bindOne(ctx, tx, now)
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
