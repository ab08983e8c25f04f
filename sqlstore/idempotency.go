package sqlstore

import (
	"context"
	"regexp"

	"github.com/tallycredit/tally"
)

var (
	// A pending claim has status 0 and an empty body until KeepResponse.
	// While another transaction's claim of the key is uncommitted (only
	// PostgreSQL has several writers), the insert waits for it, then
	// inserts nothing if it committed, without aborting the transaction.
	claimResponseQuery = fixed("ClaimResponse", `INSERT INTO saved_responses (actor, key, request_hash, status, body, at)
		VALUES (?, ?, ?, 0, ?, ?) ON CONFLICT (actor, key) DO NOTHING`)
	keepResponseQuery = fixed("KeepResponse", `UPDATE saved_responses SET status = ?, body = ?
		WHERE actor = ? AND key = ? AND status = 0`)
	savedResponseQuery = fixed("SavedResponse", `SELECT actor, key, request_hash, status, body, at
		FROM saved_responses WHERE actor = ? AND key = ?`)
)

// ClaimResponse stores r as the pending claim of its actor's key, waiting
// for another transaction's claim of it to end; a key claimed by a
// committed transaction is EConflict, and the transaction stays usable.
func (t *Tx) ClaimResponse(ctx context.Context, r *tally.SavedResponse) error {
	n, err := t.exec(ctx, claimResponseQuery, r.Actor, r.Key, r.RequestHash, []byte{}, micros(r.At))
	if err == nil && n == 0 {
		return Conflict(nil, "Idempotency-Key %q is taken already", r.Key)
	}
	return t.wrap(err, "claim idempotency key")
}

// KeepResponse sets the response of the pending claim of actor's key.
func (t *Tx) KeepResponse(ctx context.Context, actor, key string, status int, body []byte) error {
	if status == 0 {
		return tally.Errorf(tally.EInvalid, "keep response: status 0 marks a pending claim")
	}
	n, err := t.exec(ctx, keepResponseQuery, status, blob(body), actor, key)
	if err != nil || n == 1 {
		return t.wrap(err, "keep response")
	}
	if _, err := t.SavedResponse(ctx, actor, key); err != nil {
		return err
	}
	return Conflict(nil, "the response to Idempotency-Key %q is kept already", key)
}

// SavedResponse returns the response kept, or the claim pending, for an
// actor's key, or ENotFound.
func (t *Tx) SavedResponse(ctx context.Context, actor, key string) (*tally.SavedResponse, error) {
	var r tally.SavedResponse
	var at int64
	if err := t.queryRow(ctx, savedResponseQuery, actor, key).Scan(&r.Actor, &r.Key, &r.RequestHash, &r.Status, &r.Body, &at); err != nil {
		return nil, t.lookupErr(err, "read saved response", "no response kept for this key")
	}
	r.At = fromMicros(at)
	return &r, nil
}

// savepointName is what a savepoint may be called: the name goes into the
// statement's text.
var savepointName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,62}$`)

// savepoint runs a savepoint statement: verb, then the name, quoted. A
// name that is not an identifier is EInvalid.
func (t *Tx) savepoint(ctx context.Context, verb, name string) error {
	if !savepointName.MatchString(name) {
		return tally.Errorf(tally.EInvalid, "savepoint name %q: want letters, digits and underscores", name)
	}
	_, err := t.c.Exec(ctx, verb+` "`+name+`"`) // not bound: Bind would keep every name
	return t.wrap(err, verb+" "+name)
}

// Savepoint marks a point RollbackTo returns to.
func (t *Tx) Savepoint(ctx context.Context, name string) error {
	return t.savepoint(ctx, "SAVEPOINT", name)
}

// RollbackTo undoes what was done since the savepoint, which stays.
func (t *Tx) RollbackTo(ctx context.Context, name string) error {
	return t.savepoint(ctx, "ROLLBACK TO SAVEPOINT", name)
}

// Release forgets the savepoint and keeps what was done since.
func (t *Tx) Release(ctx context.Context, name string) error {
	return t.savepoint(ctx, "RELEASE SAVEPOINT", name)
}
