package postgres

import (
	"context"
	"regexp"

	"github.com/jackc/pgx/v5"
	"github.com/tallycredit/tally"
)

const (
	// A pending claim has status 0 and an empty body until KeepResponse.
	// While another transaction's claim of the key is uncommitted, the
	// insert waits for it; then it inserts nothing if that one committed.
	claimResponseQuery = `INSERT INTO saved_responses (actor, key, request_hash, status, body, at)
		VALUES ($1, $2, $3, 0, '', $4) ON CONFLICT (actor, key) DO NOTHING`
	keepResponseQuery = `UPDATE saved_responses SET status = $1, body = $2
		WHERE actor = $3 AND key = $4 AND status = 0`
	savedResponseQuery = `SELECT actor, key, request_hash, status, body, at
		FROM saved_responses WHERE actor = $1 AND key = $2`
)

// ClaimResponse stores r as the pending claim of its actor's key, waiting
// for another transaction's claim of it to end; a key claimed by a
// committed transaction is EConflict, and the transaction stays usable.
func (t *tx) ClaimResponse(ctx context.Context, r *tally.SavedResponse) error {
	tag, err := t.exec(ctx, claimResponseQuery, r.Actor, r.Key, r.RequestHash, micros(r.At))
	if err != nil {
		return storeErr(err, "claim idempotency key")
	}
	if tag.RowsAffected() == 0 {
		return conflict(nil, "Idempotency-Key %q is taken already", r.Key)
	}
	return nil
}

// KeepResponse sets the response of the pending claim of actor's key.
func (t *tx) KeepResponse(ctx context.Context, actor, key string, status int, body []byte) error {
	if status == 0 {
		return tally.Errorf(tally.EInvalid, "keep response: status 0 marks a pending claim")
	}
	tag, err := t.exec(ctx, keepResponseQuery, status, blob(body), actor, key)
	if err != nil {
		return storeErr(err, "keep response")
	}
	if tag.RowsAffected() == 1 {
		return nil
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

// savepointName is what a savepoint may be called.
var savepointName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,62}$`)

// savepoint runs a savepoint statement (verb, then the name, quoted).
func (t *tx) savepoint(ctx context.Context, verb, name string) error {
	if !savepointName.MatchString(name) {
		return tally.Errorf(tally.EInvalid, "savepoint name %q: want letters, digits and underscores", name)
	}
	if _, err := t.exec(ctx, verb+" "+pgx.Identifier{name}.Sanitize()); err != nil {
		return storeErr(err, verb+" "+name)
	}
	return nil
}

// Savepoint marks a point RollbackTo returns to.
func (t *tx) Savepoint(ctx context.Context, name string) error {
	return t.savepoint(ctx, "SAVEPOINT", name)
}

// RollbackTo undoes what was done since the savepoint, which stays. The
// transaction is usable again after a failed statement, and advisory locks
// taken since are released, so they are forgotten here too.
func (t *tx) RollbackTo(ctx context.Context, name string) error {
	if err := t.savepoint(ctx, "ROLLBACK TO SAVEPOINT", name); err != nil {
		return err
	}
	t.failed, t.locked = nil, nil
	return nil
}

// Release forgets the savepoint and keeps what was done since.
func (t *tx) Release(ctx context.Context, name string) error {
	return t.savepoint(ctx, "RELEASE SAVEPOINT", name)
}
