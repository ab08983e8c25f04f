package ledger

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// joined is a transaction that the use cases of one request share, so that
// the request's Idempotency-Key, its writes and its answer commit together
// (see Service.Idempotent). Each Update or View of a use case runs as a
// step: under a savepoint, undone alone when it fails, as a transaction of
// its own would be; a step inside a step nests. Like a Tx it is not safe
// for concurrent use: a request runs its use cases one after another.
type joined struct {
	tx    Tx
	steps int
	// after holds what use cases do once their writes are committed (such
	// as refreshing the check index); it runs after the shared commit.
	after []func(context.Context)
}

type joinedKey struct{}

// withJoined returns a context whose use cases run in tx, and the shared
// transaction.
func withJoined(ctx context.Context, tx Tx) (context.Context, *joined) {
	j := &joined{tx: tx}
	return context.WithValue(ctx, joinedKey{}, j), j
}

// unjoined returns ctx without its shared transaction.
func unjoined(ctx context.Context) context.Context {
	return context.WithValue(ctx, joinedKey{}, (*joined)(nil))
}

// afterCommit runs fn once ctx's writes are committed: at once outside a
// shared transaction, after its commit inside one (never if it rolls back).
func afterCommit(ctx context.Context, fn func(context.Context)) {
	if j := joinedOf(ctx); j != nil {
		j.after = append(j.after, fn)
		return
	}
	fn(ctx)
}

// committed runs what waited for the shared commit, on ctx.
func (j *joined) committed(ctx context.Context) {
	for _, fn := range j.after {
		fn(ctx)
	}
}

// joinedOf returns the transaction ctx's use cases share, or nil.
func joinedOf(ctx context.Context) *joined {
	j, _ := ctx.Value(joinedKey{}).(*joined)
	return j
}

// step runs fn in the shared transaction under a savepoint of its own.
func (j *joined) step(ctx context.Context, fn func(Tx) error) error {
	j.steps++
	name := fmt.Sprintf("step_%d", j.steps)
	if err := j.tx.Savepoint(ctx, name); err != nil {
		return err
	}
	if err := fn(j.tx); err != nil {
		if rerr := j.tx.RollbackTo(ctx, name); rerr != nil {
			return errors.Join(err, rerr)
		}
		if rerr := j.tx.Release(ctx, name); rerr != nil {
			return errors.Join(err, rerr)
		}
		return err
	}
	return j.tx.Release(ctx, name)
}

// joiningStore is the Store the Service uses: its Update and View join the
// transaction of the context when there is one, and are the underlying
// store's otherwise.
// Its writes keep the transparency log unless noLog is set.
type joiningStore struct {
	Store
	noLog  bool
	border *logBorder
	now    func() time.Time
}

// Update runs fn as a step of ctx's shared transaction, or in a
// transaction of its own.
func (s joiningStore) Update(ctx context.Context, fn func(Tx) error) error {
	if j := joinedOf(ctx); j != nil {
		return j.step(ctx, fn)
	}
	if s.noLog {
		return s.Store.Update(ctx, fn)
	}
	return updateLogged(ctx, s.Store, s.border, s.now(), fn)
}

// View runs fn as a step of ctx's shared transaction, where it sees that
// transaction's writes, or in a read-only transaction of its own.
func (s joiningStore) View(ctx context.Context, fn func(Tx) error) error {
	if j := joinedOf(ctx); j != nil {
		return j.step(ctx, fn)
	}
	return s.Store.View(ctx, fn)
}
