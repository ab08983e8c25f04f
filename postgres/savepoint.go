package postgres

import "context"

// RollbackTo undoes what was done since the savepoint, which stays. The
// transaction is usable again after a failed statement, and advisory locks
// taken since are released, so they are forgotten here too.
func (t *tx) RollbackTo(ctx context.Context, name string) error {
	if err := t.Tx.RollbackTo(ctx, name); err != nil {
		return err
	}
	t.failed, t.locked = nil, nil
	return nil
}
