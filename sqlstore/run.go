package sqlstore

import (
	"context"
	"fmt"

	"github.com/tallycredit/tally/ledger"
)

// Begun is a transaction a dialect package has begun: the ledger's view
// of it, and how to end it.
type Begun struct {
	Tx       ledger.Tx
	Commit   func(context.Context) error
	Rollback func(context.Context)
}

// Run runs fn in the transaction begin starts: committed when fn returns
// nil, rolled back when fn fails or panics. fn's own error is returned
// unchanged; kind ("update" or "view") names the transaction in the
// errors of beginning and ending it.
func Run(ctx context.Context, kind string, begin func(context.Context) (Begun, error), fn func(ledger.Tx) error) error {
	b, err := begin(ctx)
	if err != nil {
		return fmt.Errorf("begin %s: %w", kind, err)
	}
	// Rolls back when fn fails or panics; after Commit it is a no-op.
	defer b.Rollback(ctx)
	if err := fn(b.Tx); err != nil {
		return err
	}
	if err := b.Commit(ctx); err != nil {
		return fmt.Errorf("commit %s: %w", kind, err)
	}
	return nil
}
