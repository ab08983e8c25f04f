package sqlite

import (
	"context"
	"fmt"
	"regexp"

	"github.com/tallycredit/tally"
)

const (
	// A pending claim has status 0 and an empty body until KeepResponse.
	claimResponseQuery = `INSERT INTO saved_responses (actor, key, request_hash, status, body, at)
		VALUES (?, ?, ?, 0, x'', ?)`
	keepResponseQuery = `UPDATE saved_responses SET status = ?, body = ?
		WHERE actor = ? AND key = ? AND status = 0`
	savedResponseQuery = `SELECT actor, key, request_hash, status, body, at
		FROM saved_responses WHERE actor = ? AND key = ?`
)

// ClaimResponse stores r as the pending claim of its actor's key; a key
// claimed already is EConflict. SQLite has one writer at a time, so a
// claim of another transaction is always committed or gone.
func (t *tx) ClaimResponse(ctx context.Context, r *tally.SavedResponse) error {
	_, err := t.exec(ctx, claimResponseQuery, r.Actor, r.Key, r.RequestHash, micros(r.At))
	if isUnique(err) {
		return conflict(err, "Idempotency-Key %q is taken already", r.Key)
	}
	if err != nil {
		return fmt.Errorf("claim idempotency key: %w", err)
	}
	return nil
}

// KeepResponse sets the response of the pending claim of actor's key.
func (t *tx) KeepResponse(ctx context.Context, actor, key string, status int, body []byte) error {
	if status == 0 {
		return tally.Errorf(tally.EInvalid, "keep response: status 0 marks a pending claim")
	}
	res, err := t.exec(ctx, keepResponseQuery, status, blob(body), actor, key)
	if err != nil {
		return fmt.Errorf("keep response: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return err
	}
	if _, err := t.SavedResponse(ctx, actor, key); err != nil {
		return err
	}
	return conflict(nil, "the response to Idempotency-Key %q is kept already", key)
}

// SavedResponse returns the response kept, or the claim pending, for an
// actor's key, or ENotFound.
func (t *tx) SavedResponse(ctx context.Context, actor, key string) (*tally.SavedResponse, error) {
	var (
		r  tally.SavedResponse
		at int64
	)
	err := t.queryRow(ctx, savedResponseQuery, actor, key).Scan(&r.Actor, &r.Key, &r.RequestHash, &r.Status, &r.Body, &at)
	if err != nil {
		return nil, lookupErr(err, "read saved response", "no response kept for this key")
	}
	r.At = fromMicros(at)
	return &r, nil
}

// savepointName is what a savepoint may be called: the name goes into
// the statement's text.
var savepointName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,62}$`)

// savepoint runs a savepoint statement (verb, then the name).
func (t *tx) savepoint(ctx context.Context, verb, name string) error {
	if !savepointName.MatchString(name) {
		return tally.Errorf(tally.EInvalid, "savepoint name %q: want letters, digits and underscores", name)
	}
	if _, err := t.tx.ExecContext(ctx, verb+" "+name); err != nil {
		return fmt.Errorf("%s %s: %w", verb, name, err)
	}
	return nil
}

// Savepoint marks a point RollbackTo returns to.
func (t *tx) Savepoint(ctx context.Context, name string) error {
	return t.savepoint(ctx, "SAVEPOINT", name)
}

// RollbackTo undoes what was done since the savepoint, which stays.
func (t *tx) RollbackTo(ctx context.Context, name string) error {
	return t.savepoint(ctx, "ROLLBACK TO SAVEPOINT", name)
}

// Release forgets the savepoint and keeps what was done since.
func (t *tx) Release(ctx context.Context, name string) error {
	return t.savepoint(ctx, "RELEASE SAVEPOINT", name)
}
