package ledger

import (
	"context"

	"github.com/tallycredit/tally"
)

// Idempotency claims Idempotency-Keys and keeps their responses (see
// Service.Idempotent).
type Idempotency interface {
	// ClaimResponse claims r.Actor's key r.Key for the request whose hash
	// is r.RequestHash: it stores r as pending (Status 0, empty Body) in
	// this transaction. A key kept already is EConflict, and the
	// transaction stays usable. While another transaction holds an
	// uncommitted claim of the key, ClaimResponse waits (until ctx is done)
	// for it to end, so that two requests with one key never both run.
	ClaimResponse(ctx context.Context, r *tally.SavedResponse) error
	// KeepResponse sets the status (not 0) and body of the pending claim of
	// actor's key. A key not claimed is ENotFound; a key whose response is
	// kept already is EConflict. A kept response never changes.
	KeepResponse(ctx context.Context, actor, key string, status int, body []byte) error
	// SavedResponse returns the response kept for an actor's key, or a
	// pending claim of this transaction; ENotFound when there is none.
	SavedResponse(ctx context.Context, actor, key string) (*tally.SavedResponse, error)
}

// Savepoints let one request run several steps in one transaction, each
// undone alone when it fails.
type Savepoints interface {
	// Savepoint marks the point RollbackTo returns to: a step that fails
	// is undone without failing the whole transaction (on PostgreSQL, a
	// failed statement no longer spoils it). Names are letters, digits
	// and underscores; any other name is EInvalid.
	Savepoint(ctx context.Context, name string) error
	// RollbackTo undoes what the transaction did since the savepoint and
	// keeps the savepoint.
	RollbackTo(ctx context.Context, name string) error
	// Release forgets a savepoint, keeping what was done since.
	Release(ctx context.Context, name string) error
}
