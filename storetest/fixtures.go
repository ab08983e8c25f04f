package storetest

import (
	"context"
	"fmt"
	"io/fs"
	"testing"
	"testing/fstest"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// The fixtures below are for a store package's own tests, which write them
// in a transaction and then check what the database itself does with the
// rows (append-only triggers, copies between engines).

// WebRows stores one row of each web table: account "wang" (a recorder
// whose password hash is "h") and its disablement, a session and its end,
// evidence "00", and an item of it bound to a record of a new subject.
func WebRows(ctx context.Context, tx ledger.Tx, now time.Time) error {
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

// FillWeb writes rows of every kind into the web tables: two accounts with
// scopes, one with a second password and one disabled, a session of each,
// one ended, and evidence whose bytes are not text. The clerk's account is
// "recorder-wang", the sessions' hashes {0, 0, 0xff} (ended) and
// {1, 0, 0xff}, the evidence's hash "ab12".
func FillWeb(ctx context.Context, tx ledger.Tx, at time.Time) error {
	clerk := &tally.Account{Name: "recorder-wang", Role: tally.Recorder, Schemes: []string{"rongcheng"}, Rules: []string{"volunteer"},
		Created: at, CreatedBy: "admin", PasswordHash: "$argon2id$first", PasswordSet: at}
	holder := &tally.Account{Name: "王芳", Role: tally.SubjectR, Lookup: []byte{1, 2}, Categories: []string{"utilities"},
		Created: at, CreatedBy: "admin", PasswordHash: "$argon2id$holder", PasswordSet: at}
	for _, a := range []*tally.Account{clerk, holder} {
		if err := tx.InsertAccount(ctx, a); err != nil {
			return err
		}
	}
	if err := tx.SetPassword(ctx, clerk.ID, "$argon2id$second", at.Add(time.Hour), "recorder-wang"); err != nil {
		return err
	}
	if err := tx.DisableAccount(ctx, holder.ID, at.Add(time.Hour), "admin"); err != nil {
		return err
	}
	for i, a := range []*tally.Account{clerk, holder} {
		s := &tally.Session{Hash: []byte{byte(i), 0, 0xff}, AccountID: a.ID, CSRF: fmt.Sprint("csrf", i), Created: at, Expires: at.Add(12 * time.Hour)}
		if err := tx.InsertSession(ctx, s); err != nil {
			return err
		}
	}
	if err := tx.EndSession(ctx, []byte{0, 0, 0xff}, at.Add(time.Minute)); err != nil {
		return err
	}
	return tx.InsertEvidence(ctx, &tally.Evidence{Hash: "ab12", Type: "image/jpeg", Data: []byte{0xff, 0xd8, 0, 0xff},
		UploadedAt: at, UploadedBy: "recorder-wang"})
}

// AppendOnlyRows stores a subject, a rulebook, an enrolment, a consent, a
// record, two access-log entries, one archived, and a leaf and a
// checkpoint of the transparency log: one row of each table whose
// triggers forbid changing it but log_hashes, which the store no longer
// writes (migration 0018).
func AppendOnlyRows(ctx context.Context, tx ledger.Tx) error {
	s := &tally.Subject{Kind: tally.Person, Lookup: []byte("l"), Sealed: []byte("s"), Created: time.Now()}
	if err := tx.InsertSubject(ctx, s); err != nil {
		return err
	}
	if err := tx.InsertRulebook(ctx, &tally.RulebookVersion{Scheme: "s", Version: 1, Source: []byte("x")}); err != nil {
		return err
	}
	if err := tx.InsertEnrolment(ctx, &tally.Enrolment{Scheme: "s", SubjectID: s.ID}); err != nil {
		return err
	}
	if err := tx.InsertConsent(ctx, &tally.Consent{Scheme: "s", SubjectID: s.ID, Given: true}); err != nil {
		return err
	}
	if err := tx.InsertRecord(ctx, &tally.Record{Scheme: "s", SubjectID: s.ID, Rule: "r", Ref: "ref", Awarded: 5}); err != nil {
		return err
	}
	// Two access-log entries, the older archived: one row in each table.
	long := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, at := range []time.Time{long, time.Now()} {
		if err := tx.InsertAccess(ctx, &tally.Access{At: at, SubjectID: s.ID, Actor: "a", Role: tally.Admin, Action: "score"}); err != nil {
			return err
		}
	}
	if _, _, err := tx.ArchiveAccess(ctx, long.AddDate(1, 0, 0), time.Now(), 0, 10); err != nil {
		return err
	}
	if err := tx.InsertLeaves(ctx, []ledger.LogLeaf{{Kind: ledger.LogRecord, Ref: "1", Data: []byte("leaf"), At: time.Now()}}); err != nil {
		return err
	}
	return tx.InsertCheckpoint(ctx, &ledger.LogCheckpoint{Size: 1, At: time.Now(), Note: []byte("note")})
}

// MigrationsBefore returns the migrations of fsys named before name, to
// build a database as an older tally left it.
func MigrationsBefore(tb testing.TB, fsys fs.FS, name string) fstest.MapFS {
	tb.Helper()
	out := fstest.MapFS{}
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		tb.Fatal(err)
	}
	for _, n := range names {
		if n >= name {
			continue
		}
		data, err := fs.ReadFile(fsys, n)
		if err != nil {
			tb.Fatal(err)
		}
		out[n] = &fstest.MapFile{Data: data}
	}
	return out
}

// ResultRows is what both drivers' query results offer.
type ResultRows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

// AppliedMigrations reads the rows of a query of schema_migrations' name
// and applied_at as name@applied_at.
func AppliedMigrations(tb testing.TB, rows ResultRows) []string {
	tb.Helper()
	var out []string
	for rows.Next() {
		var (
			name string
			at   int64
		)
		if err := rows.Scan(&name, &at); err != nil {
			tb.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%s@%d", name, at))
	}
	if err := rows.Err(); err != nil {
		tb.Fatal(err)
	}
	return out
}
