package postgres_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/postgres"
	"github.com/tallycredit/tally/postgres/pgtest"
	"github.com/tallycredit/tally/storetest"
)

// secret is a password that must never appear in an error.
const secret = "s3cret-Pw"

func TestRedacted(t *testing.T) {
	tests := []struct{ in, want string }{
		{"postgres://tally:" + secret + "@db.example:5432/tally?sslmode=require",
			"postgres://tally:xxxxx@db.example:5432/tally?sslmode=require"},
		{"postgresql://tally@db.example/tally", "postgresql://tally@db.example/tally"},
		{"postgres://db.example/tally?user=tally&password=" + secret + "&sslmode=disable",
			"postgres://db.example/tally?user=tally&password=xxxxx&sslmode=disable"},
		{"postgres://tally:" + url.QueryEscape(secret+"@/?") + "@h1:5432,h2:5433/tally",
			"postgres://tally:xxxxx@h1:5432,h2:5433/tally"},
		{"postgres://tally:" + secret + "@host:notaport/tally", "postgres://xxxxx@host:notaport/tally"},
		{"postgres://tally:" + secret + "@ho st/tally?password=" + secret, "postgres://xxxxx@ho st/tally?password=xxxxx"},
		{"host=db.example user=tally password=" + secret + " dbname=tally",
			"host=db.example user=tally password=xxxxx dbname=tally"},
		{"host=db.example password = '" + secret + " \\' still secret' sslpassword=" + secret + " dbname=tally",
			"host=db.example password = xxxxx sslpassword=xxxxx dbname=tally"},
		{"", ""},
	}
	for _, tc := range tests {
		got := postgres.Redacted(tc.in)
		if got != tc.want {
			t.Errorf("Redacted(%q):\ngot  %q\nwant %q", tc.in, got, tc.want)
		}
		if strings.Contains(got, secret) {
			t.Errorf("Redacted(%q) = %q shows the password", tc.in, got)
		}
	}
}

// TestOpenBadAddress checks that an address that cannot be parsed or
// reached is a clear error naming the address, password masked.
func TestOpenBadAddress(t *testing.T) {
	tests := []struct{ addr, says string }{
		{"postgres://tally:" + secret + "@127.0.0.1:1/tally?sslmode=disable", "127.0.0.1:1"},
		{"postgres://tally:" + secret + "@127.0.0.1:notaport/tally", "not a valid PostgreSQL address"},
		{"host=127.0.0.1 port=1 user=tally password=" + secret + " sslmode=disable", "port=1"},
		{"postgres://tally:" + secret + "@127.0.0.1:1/tally?sslmode=disable&connect_timeout=notanumber", "not a valid"},
	}
	for _, tc := range tests {
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		db, err := postgres.Open(ctx, tc.addr)
		cancel()
		if err == nil {
			_ = db.Close()
			t.Errorf("Open(%s): got nil error", postgres.Redacted(tc.addr))
			continue
		}
		msg := err.Error()
		if strings.Contains(msg, secret) {
			t.Errorf("Open error %q shows the password", msg)
		}
		if !strings.Contains(msg, tc.says) || !strings.Contains(msg, "xxxxx") {
			t.Errorf("Open error %q: want it to say %q and show the masked address", msg, tc.says)
		}
	}
}

// TestOpenUnknownDatabase checks the error for a server that is there but
// has no such database.
func TestOpenUnknownDatabase(t *testing.T) {
	u, err := url.Parse(pgtest.Admin(t))
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword(u.User.Username(), secret)
	u.Path = "/tally_no_such_database"
	db, err := postgres.Open(t.Context(), u.String())
	if err == nil {
		_ = db.Close()
		t.Fatal("Open of a database that does not exist: got nil error")
	}
	if msg := err.Error(); strings.Contains(msg, secret) || !strings.Contains(msg, "tally_no_such_database") || !strings.Contains(msg, "xxxxx") {
		t.Errorf("Open error %q: want the database named, the password masked", msg)
	}
}

// TestAppendOnly checks that the triggers refuse to change, remove or
// truncate subjects, rulebooks, consents, records, access-log entries
// (live or archived) and the transparency log, even for a program that
// bypasses the store.
func TestAppendOnly(t *testing.T) {
	addr := pgtest.Fresh(t)
	db := mustOpen(t, addr)
	err := db.Update(t.Context(), func(tx ledger.Tx) error { return storetest.AppendOnlyRows(t.Context(), tx) })
	if err != nil {
		t.Fatal(err)
	}

	raw := rawConn(t, addr)
	// The store no longer writes log_hashes (migration 0018): its row
	// is one an older tally wrote.
	if _, err := raw.Exec(context.Background(), `INSERT INTO log_hashes (id, hash) VALUES (0, '\x01')`); err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{
		`UPDATE records SET awarded = 500`,
		`DELETE FROM records`,
		`TRUNCATE records CASCADE`, // plain TRUNCATE is refused anyway: due-process tables refer to records
		`UPDATE consents SET given = 0`,
		`DELETE FROM consents`,
		`TRUNCATE consents`,
		`UPDATE rulebooks SET source = 'y'`,
		`DELETE FROM rulebooks`,
		`TRUNCATE rulebooks`,
		`TRUNCATE subjects CASCADE`,
		`UPDATE subjects SET name = 'x'`,
		`UPDATE subjects SET lookup = sealed`,
		`DELETE FROM subjects`,
		`UPDATE access_log SET purpose = 'x'`,
		`DELETE FROM access_log`,
		`TRUNCATE access_log`,
		`UPDATE access_log_archive SET purpose = 'x'`,
		`DELETE FROM access_log_archive`,
		`TRUNCATE access_log_archive`,
		`UPDATE log_leaves SET data = 'x'`,
		`DELETE FROM log_leaves`,
		`TRUNCATE log_leaves`,
		`UPDATE log_hashes SET hash = 'x'`,
		`DELETE FROM log_hashes`,
		`TRUNCATE log_hashes`,
		`UPDATE log_checkpoints SET note = 'x'`,
		`DELETE FROM log_checkpoints`,
		`TRUNCATE log_checkpoints`,
	} {
		_, err := raw.Exec(context.Background(), stmt)
		var e *pgconn.PgError
		if !errors.As(err, &e) || e.Code != "23001" {
			t.Errorf("%s: got error %v, want SQLSTATE 23001", stmt, err)
		}
	}
	err = db.View(t.Context(), func(tx ledger.Tx) error {
		r, err := tx.RecordByRef(t.Context(), "s", "ref")
		if err != nil {
			return err
		}
		if r.Awarded != 5 {
			t.Errorf("after a refused UPDATE: got awarded %d, want 5", r.Awarded)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
