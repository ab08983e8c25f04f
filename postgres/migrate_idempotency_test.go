package postgres

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/tallycredit/tally/postgres/pgtest"

	"github.com/tallycredit/tally/storetest"
)

// Migration 0008 drops the replays earlier versions kept with a token's
// secret in them, keeps the others, and lets a response change only from
// pending to kept.
func TestMigration0008(t *testing.T) {
	pool, err := pgxpool.New(context.Background(), pgtest.Fresh(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	if err := migrate(t.Context(), pool, storetest.MigrationsBefore(t, migrations, "0008")); err != nil {
		t.Fatal(err)
	}
	_, err = pool.Exec(t.Context(), `INSERT INTO saved_responses (actor, key, request_hash, status, body, at) VALUES
		('token:1', 'made', 'h', 201, convert_to('{"id":2,"token":"tly_abc"}', 'UTF8'), 1),
		('token:1', 'recorded', 'h', 201, convert_to('{"id":7}', 'UTF8'), 1)`)
	if err != nil {
		t.Fatal(err)
	}
	if err := migrate(t.Context(), pool, migrations); err != nil {
		t.Fatal(err)
	}
	var keys string
	if err := pool.QueryRow(t.Context(), `SELECT string_agg(key, ',') FROM saved_responses`).Scan(&keys); err != nil {
		t.Fatal(err)
	}
	if keys != "recorded" {
		t.Errorf("saved responses after 0008: %q, want only the one without a secret", keys)
	}
	if _, err := pool.Exec(t.Context(), `UPDATE saved_responses SET body = '' WHERE key = 'recorded'`); err == nil {
		t.Error("a kept response was changed")
	}
	if _, err := pool.Exec(t.Context(), `INSERT INTO saved_responses (actor, key, request_hash, status, body, at) VALUES ('token:1', 'new', 'h', 0, '', 1)`); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(t.Context(), `UPDATE saved_responses SET status = 200, body = '{}' WHERE key = 'new'`); err != nil {
		t.Errorf("keeping a pending response: %v", err)
	}
	if _, err := pool.Exec(t.Context(), `UPDATE saved_responses SET status = 201 WHERE key = 'new'`); err == nil {
		t.Error("a response kept once was changed again")
	}
}
