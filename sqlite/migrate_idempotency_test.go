package sqlite

import (
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/tallycredit/tally/storetest"
)

// Migration 0008 drops the replays earlier versions kept with a token's
// secret in them, keeps the others, and lets a response change only from
// pending to kept.
func TestMigration0008(t *testing.T) {
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if err := migrate(t.Context(), db, storetest.MigrationsBefore(t, migrations, "0008")); err != nil {
		t.Fatal(err)
	}
	_, err = db.Exec(`INSERT INTO saved_responses (actor, key, request_hash, status, body, at) VALUES
		('token:1', 'made', 'h', 201, CAST('{"id":2,"token":"tly_abc"}' AS BLOB), 1),
		('token:1', 'recorded', 'h', 201, CAST('{"id":7}' AS BLOB), 1)`)
	if err != nil {
		t.Fatal(err)
	}
	if err := migrate(t.Context(), db, migrations); err != nil {
		t.Fatal(err)
	}
	var keys string
	if err := db.QueryRow(`SELECT group_concat(key) FROM saved_responses`).Scan(&keys); err != nil {
		t.Fatal(err)
	}
	if keys != "recorded" {
		t.Errorf("saved responses after 0008: %q, want only the one without a secret", keys)
	}
	if _, err := db.Exec(`UPDATE saved_responses SET body = x'' WHERE key = 'recorded'`); err == nil {
		t.Error("a kept response was changed")
	}
	if _, err := db.Exec(`INSERT INTO saved_responses (actor, key, request_hash, status, body, at) VALUES ('token:1', 'new', 'h', 0, x'', 1)`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE saved_responses SET status = 200, body = x'7b7d' WHERE key = 'new'`); err != nil {
		t.Errorf("keeping a pending response: %v", err)
	}
	if _, err := db.Exec(`UPDATE saved_responses SET status = 201 WHERE key = 'new'`); err == nil {
		t.Error("a response kept once was changed again")
	}
}
