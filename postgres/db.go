// Package postgres is the server store of tally: a PostgreSQL database
// shared by several tally processes, read and written through pgx.
//
// # Concurrent writers
//
// Several `tally serve` processes may write to one database, so the store
// cannot serialise writers as SQLite does. Caps, idempotency keys and
// reversals stay correct this way:
//
//   - Update runs READ COMMITTED: every statement sees what was committed
//     before it started, not a snapshot taken when the transaction began.
//   - LockSubject takes pg_advisory_xact_lock on a 64-bit key hashed (FNV-1a,
//     the same in every process) from the scheme and the subject ID. The
//     ledger calls it before it looks up the ref and sums the cap, so writers
//     for one subject in one scheme queue behind each other until commit,
//     and the next one reads the sum and the ref with the earlier writes in
//     them; writers for other subjects run in parallel. A hash collision only
//     makes two subjects wait for each other.
//   - Unique constraints catch what the lock does not cover: one ref used at
//     once for two subjects, or two reversals of one record. Inserts use
//     ON CONFLICT DO NOTHING, so a conflict is EConflict and leaves the
//     transaction usable, without a savepoint (a subtransaction) per insert.
//   - Transactions that take several subject locks can deadlock if they take
//     them in different orders (the ledger's imports take them sorted, so
//     they do not). PostgreSQL breaks a deadlock after deadlock_timeout (1s
//     by default) by failing one transaction with SQLSTATE 40P01; Update
//     then rolls back and runs fn again, up to MaxAttempts times. It does the
//     same for 40001 (serialization failure), which READ COMMITTED does not
//     raise today.
//   - View runs REPEATABLE READ READ ONLY: one consistent snapshot.
//
// Within one subject and scheme, record IDs increase in commit order
// because writers for that subject are serialised; across subjects they
// need not.
//
// # Plans
//
// pgx prepares each query once per connection, and after a few runs the
// server keeps one generic plan for it. A generic plan made while a table
// is empty and never analyzed can be a poor one (a scan where an index
// would do) and is kept until autovacuum analyzes the table, within about a
// minute once it holds some rows. The queries are written so that their
// plans do not depend on statistics where that matters at scale (see
// notReversed and historyQuery), and CopyIn analyzes what it loads.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/sqlstore"
)

const (
	// MaxAttempts is how many times Update runs fn when the server fails the
	// transaction with a deadlock or serialization failure.
	MaxAttempts = 10
	// DefaultConnectTimeout bounds each connection attempt when the address
	// does not set connect_timeout.
	DefaultConnectTimeout = 10 * time.Second
	// MinServerVersion is the oldest PostgreSQL release Open accepts, as
	// server_version_num.
	MinServerVersion = 130000
)

// DB is the PostgreSQL store: a pool of connections to one database. It is
// safe for concurrent use, also by several processes on one database. Its
// zero value is not usable; call Open.
type DB struct {
	pool *pgxpool.Pool
	addr string // the address with its password masked, for messages

	closed atomic.Bool // set by Close: later calls are EUnavailable
}

var _ ledger.Store = (*DB)(nil)

// Open connects to the database at url (postgres://user:password@host:port/
// database?sslmode=..., or keyword=value form), checks the server and
// applies the embedded migrations it has not applied yet. It fails if the
// database records a migration this binary does not know. Errors name the
// address with its password masked.
func Open(ctx context.Context, url string) (*DB, error) {
	addr := Redacted(url)
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		// The driver's message may quote the address, password included.
		return nil, fmt.Errorf("open database %s: not a valid PostgreSQL address (want postgres://user:password@host:port/database)", addr)
	}
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = DefaultConnectTimeout
	}
	if _, ok := cfg.ConnConfig.RuntimeParams["application_name"]; !ok {
		cfg.ConnConfig.RuntimeParams["application_name"] = "tally"
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", addr, err)
	}
	db := &DB{pool: pool, addr: addr}
	if err := db.checkServer(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	if err := migrate(ctx, pool, migrations); err != nil {
		pool.Close()
		return nil, fmt.Errorf("migrate %s: %w", addr, err)
	}
	return db, nil
}

// checkServer connects and checks that the server is recent enough and
// accepts writes.
func (db *DB) checkServer(ctx context.Context) error {
	var (
		version int
		standby bool
	)
	err := db.pool.QueryRow(ctx, `SELECT current_setting('server_version_num')::int, pg_is_in_recovery()`).Scan(&version, &standby)
	if err != nil {
		return fmt.Errorf("connect to %s: %w", db.addr, err)
	}
	if version < MinServerVersion {
		return fmt.Errorf("connect to %s: PostgreSQL %d.%d is too old: tally needs %d or later",
			db.addr, version/10000, version%10000, MinServerVersion/10000)
	}
	if standby {
		return fmt.Errorf("connect to %s: the server is a read-only standby: connect to the primary", db.addr)
	}
	return nil
}

// Close waits for calls in progress to end and closes every connection.
// It always returns nil (the pool reports no error); it has the signature
// of sqlite.DB's Close so that both stores close alike.
func (db *DB) Close() error {
	db.closed.Store(true)
	db.pool.Close()
	return nil
}

// Addr returns the address the database was opened with, its password
// masked.
func (db *DB) Addr() string { return db.addr }

// Writers says how many import batches may be written at once: writers
// to different subjects do not wait for each other here. It is half the
// connection pool, at most four, so that an import leaves connections to
// the requests served meanwhile.
func (db *DB) Writers() int {
	return min(4, max(1, int(db.pool.Config().MaxConns)/2))
}

var _ ledger.ParallelWriters = (*DB)(nil)

// Update runs fn in one READ COMMITTED transaction, committed when fn
// returns nil and rolled back otherwise; fn's error is returned unchanged.
// When the server fails the transaction with a deadlock or serialization
// failure, Update rolls back and runs fn again, up to MaxAttempts times in
// all: fn must be safe to run more than once (set its results, don't
// append to them). An error that says the database cannot be used now is
// EUnavailable (errors.go).
func (db *DB) Update(ctx context.Context, fn func(ledger.Tx) error) error {
	return unavailable(db.updateRetrying(ctx, fn), db.closed.Load())
}

// updateRetrying runs update again after a serialization failure or
// deadlock.
func (db *DB) updateRetrying(ctx context.Context, fn func(ledger.Tx) error) error {
	for attempt := 1; ; attempt++ {
		err := db.update(ctx, fn)
		if err == nil || !retryable(err) {
			return err
		}
		if attempt == MaxAttempts {
			return fmt.Errorf("update failed %d times: %w", attempt, err)
		}
		// A short, random pause lets the other party of a deadlock finish.
		pause := time.Duration(attempt)*5*time.Millisecond + rand.N(10*time.Millisecond)
		select {
		case <-ctx.Done():
			return errors.Join(err, ctx.Err())
		case <-time.After(pause):
		}
	}
}

// update is one attempt of Update.
func (db *DB) update(ctx context.Context, fn func(ledger.Tx) error) error {
	return sqlstore.Run(ctx, "update", func(ctx context.Context) (sqlstore.Begun, error) {
		return db.begin(ctx, pgx.TxOptions{IsoLevel: pgx.ReadCommitted})
	}, fn)
}

// View runs fn in one REPEATABLE READ READ ONLY transaction, which sees one
// consistent snapshot taken at its first statement; fn's error is returned
// unchanged. Writes inside fn fail. An error that says the database cannot
// be used now is EUnavailable (errors.go).
func (db *DB) View(ctx context.Context, fn func(ledger.Tx) error) error {
	err := sqlstore.Run(ctx, "view", func(ctx context.Context) (sqlstore.Begun, error) {
		return db.begin(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	}, fn)
	return unavailable(err, db.closed.Load())
}

// begin starts a transaction. Its rollback runs when fn fails or panics
// (with ctx done, pgx closes the connection instead, which ends the
// transaction too). A commit that fails after fn went on past a failed
// statement says so: PostgreSQL had already aborted the transaction.
func (db *DB) begin(ctx context.Context, opts pgx.TxOptions) (sqlstore.Begun, error) {
	pgTx, err := db.pool.BeginTx(ctx, opts)
	if err != nil {
		return sqlstore.Begun{}, err
	}
	t := newTx(pgTx)
	commit := func(ctx context.Context) error {
		err := pgTx.Commit(ctx)
		if err != nil && t.failed != nil {
			return fmt.Errorf("the transaction was aborted by an earlier error: %w", t.failed)
		}
		return err
	}
	return sqlstore.Begun{Tx: t, Commit: commit, Rollback: func(ctx context.Context) { _ = pgTx.Rollback(ctx) }}, nil
}
