package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/postgres"
	"github.com/tallycredit/tally/postgres/pgtest"
	"github.com/tallycredit/tally/sqlite"
	"github.com/tallycredit/tally/storetest"
)

// fillSQLite writes a small ledger with every kind of row and value into
// a new SQLite store: both subject kinds, NULL and set times, two versions
// of a rulebook with bytes that are not text, consents, records with and
// without expiry, a reversal, and accounts with two passwords, a
// disablement, sessions, an ended one, evidence that is not text, and a
// row of each exchange table.
func fillSQLite(t *testing.T) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	at := time.Date(2026, 3, 1, 9, 30, 15, 123456000, time.UTC)
	err = db.Update(t.Context(), func(tx ledger.Tx) error {
		ctx := t.Context()
		if err := tx.SetMeta(ctx, "key_check", "abc123"); err != nil {
			return err
		}
		for v := 1; v <= 2; v++ {
			if err := tx.InsertRulebook(ctx, &tally.RulebookVersion{Scheme: "rongcheng", Version: v, Effective: at.AddDate(0, v, 0),
				PublishedAt: at, PublishedBy: "信用办", Digest: fmt.Sprint("d", v), Source: []byte{'#', 0, 0xff, byte(v)}}); err != nil {
				return err
			}
		}
		person := &tally.Subject{Kind: tally.Person, Name: "王芳", Masked: "3604**********0071", Lookup: []byte{1, 2},
			Sealed: []byte{0, 0xfe}, AdultOn: time.Date(2009, 1, 1, 0, 0, 0, 0, time.UTC), Created: at}
		org := &tally.Subject{Kind: tally.Organisation, Name: "诚信农贸市场", Masked: "9111********341L", Lookup: []byte{3},
			Sealed: []byte{4}, Created: at}
		for _, s := range []*tally.Subject{person, org} {
			if err := tx.InsertSubject(ctx, s); err != nil {
				return err
			}
			if err := tx.InsertEnrolment(ctx, &tally.Enrolment{Scheme: "rongcheng", SubjectID: s.ID, Unit: "东山村", Enrolled: at, By: "clerk"}); err != nil {
				return err
			}
		}
		for i, given := range []bool{true, false, true} {
			if err := tx.InsertConsent(ctx, &tally.Consent{Scheme: "rongcheng", SubjectID: person.ID, Given: given,
				At: at.Add(time.Duration(i) * time.Hour), How: "form", By: "clerk"}); err != nil {
				return err
			}
		}
		for i := range 5 {
			r := &tally.Record{Scheme: "rongcheng", Version: 1, SubjectID: person.ID, Rule: "volunteer",
				Facts: map[string]any{"hours": 4, "where": "东山"}, HappenedAt: at.Add(time.Duration(i) * time.Minute),
				RecordedAt: at, RecordedBy: "clerk", Ref: fmt.Sprint("r", i), Requested: 1, Awarded: 1, Reason: "+1", Digest: "x"}
			if i%2 == 0 {
				r.ExpiresAt = at.AddDate(1, 0, 0)
			}
			if err := tx.InsertRecord(ctx, r); err != nil {
				return err
			}
			if i == 3 {
				rev := *r
				rev.ID, rev.Ref, rev.Reverses, rev.Awarded, rev.Requested = 0, "undo", r.ID, -1, -1
				if err := tx.InsertRecord(ctx, &rev); err != nil {
					return err
				}
			}
		}
		if _, err := storetest.ExchangeRows(ctx, tx, person.ID, at); err != nil {
			return err
		}
		return storetest.FillWeb(ctx, tx, at)
	})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// sqliteRows returns the columns and rows of one table of a SQLite store.
func sqliteRows(t *testing.T, db *sqlite.DB, table string) ([]string, [][]any) {
	t.Helper()
	var (
		columns []string
		rows    [][]any
	)
	err := db.ReadRows(t.Context(), table, func(cols []string, row []any) error {
		columns = cols
		rows = append(rows, row)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return columns, rows
}

// rowKeys returns each row as text, integers of any width alike, sorted.
func rowKeys(rows [][]any) []string {
	var out []string
	for _, row := range rows {
		var s string
		for _, v := range row {
			switch n := v.(type) {
			case int16:
				v = int64(n)
			case int32:
				v = int64(n)
			}
			s += fmt.Sprintf("%T %#v|", v, v)
		}
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

// yield returns a rows function for CopyIn that gives rows, then io.EOF.
func yield(rows [][]any) func() ([]any, error) {
	i := 0
	return func() ([]any, error) {
		if i == len(rows) {
			return nil, io.EOF
		}
		i++
		return rows[i-1], nil
	}
}

// TestCopyIn copies every table of a SQLite store into PostgreSQL and
// checks that the rows arrive verbatim, that the append-only triggers let
// COPY through, that the store reads the copy, and that the id sequences
// moved past the copied ids.
func TestCopyIn(t *testing.T) {
	lite := fillSQLite(t)
	addr := pgtest.Fresh(t)
	pg := mustOpen(t, addr)
	raw := rawConn(t, addr)

	for _, table := range postgres.Tables {
		columns, rows := sqliteRows(t, lite, table)
		if len(rows) == 0 {
			continue // the fixture leaves it empty; SQLite names no columns then
		}
		n, err := pg.CopyIn(t.Context(), table, columns, yield(rows))
		if err != nil {
			t.Fatalf("CopyIn(%s): %v", table, err)
		}
		if n != int64(len(rows)) {
			t.Errorf("CopyIn(%s): got %d rows, want %d", table, n, len(rows))
		}
		pgRows, err := raw.Query(context.Background(), "SELECT "+joinIdents(columns)+" FROM "+table)
		if err != nil {
			t.Fatal(err)
		}
		var got [][]any
		for pgRows.Next() {
			vs, err := pgRows.Values()
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, vs)
		}
		if err := pgRows.Err(); err != nil {
			t.Fatal(err)
		}
		if g, w := rowKeys(got), rowKeys(rows); !slices.Equal(g, w) {
			t.Errorf("rows of %s:\ncopy   %q\nsource %q", table, g, w)
		}
	}

	// The store reads what was copied as the source store reads it.
	read := func(s ledger.Store) string {
		var out string
		err := s.View(t.Context(), func(tx ledger.Tx) error {
			ctx := t.Context()
			vs, err := tx.Rulebooks(ctx, "rongcheng")
			if err != nil {
				return err
			}
			es, err := tx.Enrolments(ctx, "rongcheng", 0, 10)
			if err != nil {
				return err
			}
			out = fmt.Sprintf("%+v\n%+v\n", vs, es)
			for _, e := range es {
				s, err := tx.SubjectByID(ctx, e.SubjectID)
				if err != nil {
					return err
				}
				h, err := tx.History(ctx, "rongcheng", e.SubjectID, 0, 100)
				if err != nil {
					return err
				}
				in, err := tx.InEffect(ctx, "rongcheng", e.SubjectID, time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC))
				if err != nil {
					return err
				}
				out += fmt.Sprintf("%+v\n%+v\n%+v\n", *s, h, in)
			}
			as, err := tx.Accounts(ctx, 0, 10)
			if err != nil {
				return err
			}
			ss := make([]*tally.Session, 2)
			for i := range ss {
				if ss[i], err = tx.SessionByHash(ctx, []byte{byte(i), 0, 0xff}); err != nil {
					return err
				}
			}
			ev, err := tx.EvidenceByHash(ctx, "ab12")
			if err != nil {
				return err
			}
			out += fmt.Sprintf("%+v\n%+v %+v\n%+v\n", as, *ss[0], *ss[1], *ev)
			m, err := tx.Meta(ctx, "key_check")
			out += m
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	if g, w := read(pg), read(lite); g != w {
		t.Errorf("the copy reads differently from its source:\ncopy\n%s\nsource\n%s", g, w)
	}

	// New rows get ids past the copied ones.
	err := pg.Update(t.Context(), func(tx ledger.Tx) error {
		ctx := t.Context()
		s := &tally.Subject{Kind: tally.Person, Lookup: []byte("new"), Sealed: []byte("s"), Created: time.Now()}
		if err := tx.InsertSubject(ctx, s); err != nil {
			return err
		}
		if s.ID != 3 {
			t.Errorf("first subject after the copy: got id %d, want 3", s.ID)
		}
		if err := tx.InsertEnrolment(ctx, &tally.Enrolment{Scheme: "rongcheng", SubjectID: s.ID}); err != nil {
			return err
		}
		if err := tx.InsertConsent(ctx, &tally.Consent{Scheme: "rongcheng", SubjectID: s.ID, Given: true}); err != nil {
			return err
		}
		r := &tally.Record{Scheme: "rongcheng", SubjectID: s.ID, Rule: "volunteer", Ref: "after the copy"}
		if err := tx.InsertRecord(ctx, r); err != nil {
			return err
		}
		if r.ID != 7 {
			t.Errorf("first record after the copy: got id %d, want 7", r.ID)
		}
		a := &tally.Account{Name: "after the copy", Role: tally.Admin, Created: time.Now(), CreatedBy: "admin", PasswordHash: "h", PasswordSet: time.Now()}
		if err := tx.InsertAccount(ctx, a); err != nil {
			return err
		}
		if a.ID != 3 {
			t.Errorf("first account after the copy: got id %d, want 3", a.ID)
		}
		got, err := tx.AccountByID(ctx, a.ID)
		if err != nil {
			return err
		}
		if got.PasswordHash != "h" {
			t.Errorf("first account after the copy: got password %q, want the one set with it", got.PasswordHash)
		}
		sh := &tally.Share{Receiver: "airline", SubjectID: s.ID, CreatedAt: time.Now()}
		if err := tx.InsertShare(ctx, sh); err != nil {
			return err
		}
		if sh.ID != 2 || sh.Seq != 2 {
			t.Errorf("first share after the copy: got id %d seq %d, want 2 and 2", sh.ID, sh.Seq)
		}
		if err := tx.InsertRejection(ctx, &tally.Rejection{At: time.Now(), Message: []byte("x")}); err != nil {
			return err
		}
		return tx.SetPassword(ctx, 1, "$argon2id$third", time.Now(), "admin")
	})
	if err != nil {
		t.Fatalf("writing after the copy: %v", err)
	}

	// A table that is not empty is refused.
	columns, rows := sqliteRows(t, lite, "records")
	_, err = pg.CopyIn(t.Context(), "records", columns, yield(rows))
	if tally.ErrorCodeOf(err) != tally.EConflict {
		t.Errorf("CopyIn into a table that is not empty: got %v, want EConflict", err)
	}
}

// TestCopyInFails checks that a copy that fails writes nothing and says why.
func TestCopyInFails(t *testing.T) {
	pg := mustOpen(t, pgtest.Fresh(t))
	boom := errors.New("disk on fire")
	subject := []any{int64(1), "person", "王芳", "3604", []byte{1}, []byte{2}, nil, int64(0)}
	subjectCols := []string{"id", "kind", "name", "masked", "lookup", "sealed", "adult_on", "created"}
	tests := []struct {
		name    string
		table   string
		columns []string
		rows    func() ([]any, error)
		code    tally.ErrorCode
		is      error
	}{
		{"unknown table", "schema_migrations", []string{"name", "applied_at"}, yield(nil), tally.EInvalid, nil},
		{"a failing source", "subjects", subjectCols, func() ([]any, error) { return nil, boom }, tally.EInternal, boom},
		{"a repeated key", "subjects", subjectCols, yield([][]any{subject, subject}), tally.EConflict, nil},
		{"a missing subject", "enrolments", []string{"scheme", "subject_id", "unit", "enrolled", "enrolled_by"},
			yield([][]any{{"s", int64(9), "", int64(0), "clerk"}}), tally.ENotFound, nil},
		{"an unknown column", "meta", []string{"name", "colour"}, yield([][]any{{"a", "b"}}), tally.EInternal, nil},
	}
	for _, tc := range tests {
		n, err := pg.CopyIn(t.Context(), tc.table, tc.columns, tc.rows)
		if tally.ErrorCodeOf(err) != tc.code || (tc.is != nil && !errors.Is(err, tc.is)) || n != 0 {
			t.Errorf("CopyIn with %s: got %d, %v; want 0 and code %s", tc.name, n, err, tc.code)
		}
	}
	// Nothing was written: a good copy into the same tables succeeds.
	if _, err := pg.CopyIn(t.Context(), "subjects", subjectCols, yield([][]any{subject})); err != nil {
		t.Errorf("CopyIn after failed copies: %v", err)
	}
}

// joinIdents joins column names for a select list.
func joinIdents(columns []string) string {
	out := ""
	for i, c := range columns {
		if i > 0 {
			out += ", "
		}
		out += `"` + c + `"`
	}
	return out
}

// Every table with an identity column hands out ids past the copied ones,
// whichever table it is: cascades, proposals and commitments were once
// left out of a hand-kept list, and their first insert after a copy
// collided with a copied id.
func TestCopyInMovesEveryIdentity(t *testing.T) {
	addr := pgtest.Fresh(t)
	pg := mustOpen(t, addr)
	raw := rawConn(t, addr)
	cols := []string{"id", "source", "change", "revoked_on", "note", "due", "recorded_at", "recorded_by", "entries", "records"}
	if _, err := pg.CopyIn(t.Context(), "cascades", cols, yield([][]any{{int64(41), "(2025)鲁1082执9号", "revoked", int64(1), "", int64(2), int64(3), "clerk", "", ""}})); err != nil {
		t.Fatal(err)
	}
	var next int64
	if err := raw.QueryRow(t.Context(), `INSERT INTO cascades (source, change, revoked_on, note, due, recorded_at, recorded_by, entries, records)
		VALUES ('(2025)鲁1082执10号', 'revoked', 1, '', 2, 3, 'clerk', '', '') RETURNING id`).Scan(&next); err != nil {
		t.Fatalf("the first insert after the copy: %v", err)
	}
	if next != 42 {
		t.Errorf("the first id after copying id 41: %d, want 42", next)
	}
}
