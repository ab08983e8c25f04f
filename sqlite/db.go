// Package sqlite is the embedded store of tally: one SQLite file in WAL mode,
// read and written through the pure Go driver modernc.org/sqlite.
//
// Writers are serialised: every Update runs on the one write connection and
// starts with BEGIN IMMEDIATE, which also takes SQLite's write lock against
// other processes. Views run concurrently on a pool of read-only connections,
// each in its own WAL snapshot.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/sqlstore"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

// DefaultBusyTimeout is how long a connection waits for a lock held by
// another connection or process before it fails with SQLITE_BUSY.
const DefaultBusyTimeout = 10 * time.Second

// DB is the embedded store: one SQLite file in WAL mode. It is safe for
// concurrent use. Its zero value is not usable; call Open.
type DB struct {
	path  string
	write *sql.DB // one connection: writers queue for it
	read  *sql.DB // query-only connections for View

	writeStmts, readStmts map[string]*sql.Stmt // prepared statements of each pool

	closed atomic.Bool // set by Close: later calls are EUnavailable
}

var _ ledger.Store = (*DB)(nil)

// Open opens the database file at path, creating it if needed, switches it
// to WAL mode and applies the embedded migrations it has not applied yet.
// It fails if the file records a migration this binary does not know.
//
// A new file is made with mode 0600, whatever the umask: it holds
// personal data. SQLite gives the -wal and -shm files the mode of the
// database file; an existing file's mode is left as the operator set it.
func Open(ctx context.Context, path string) (*DB, error) {
	if path == "" || strings.Contains(path, "?") || strings.HasPrefix(path, "file:") {
		return nil, fmt.Errorf("open database: want a file name without '?' (not a URI), got %q", path)
	}
	if err := createPrivate(path); err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	busy := fmt.Sprintf("busy_timeout(%d)", DefaultBusyTimeout.Milliseconds())

	write, err := sql.Open("sqlite", dsn(path, append([]string{busy, "journal_mode(WAL)", "synchronous(NORMAL)", "foreign_keys(ON)"},
		bulkPragmas(writeCacheMiB)...), "_txlock=immediate"))
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	db := &DB{path: path, write: write}

	if err := db.checkWAL(ctx); err != nil {
		return nil, errors.Join(err, db.Close())
	}
	if err := migrate(ctx, write, migrations); err != nil {
		return nil, errors.Join(fmt.Errorf("migrate %s: %w", path, err), db.Close())
	}
	if db.writeStmts, err = prepare(ctx, write, true); err != nil {
		return nil, errors.Join(fmt.Errorf("open database %s: %w", path, err), db.Close())
	}

	// The read pool is opened after the writer has put the file in WAL mode:
	// query-only connections cannot change the journal mode.
	n := max(4, runtime.GOMAXPROCS(0))
	db.read, err = sql.Open("sqlite", dsn(path, append([]string{busy, "query_only(1)"}, bulkPragmas(readCacheMiB)...)))
	if err != nil {
		return nil, errors.Join(fmt.Errorf("open database %s: %w", path, err), db.Close())
	}
	db.read.SetMaxOpenConns(n)
	db.read.SetMaxIdleConns(n)
	if db.readStmts, err = prepare(ctx, db.read, false); err != nil {
		return nil, errors.Join(fmt.Errorf("open database %s: %w", path, err), db.Close())
	}
	return db, nil
}

// The page cache of each connection, in MiB. SQLite's default (2 MiB)
// is outgrown by a city's records and their indexes after some ten
// thousand subjects, and every miss is a read from the file: the writer's
// cache holds the B-tree pages an import touches, each reader's what a
// score or a close reads. The file is not memory-mapped: with the file
// growing under a steady stream of writes (every logged read is one),
// each read transaction would remap it, which made a score cost three
// times as much (measured; see docs/BENCHMARKS.md).
const (
	writeCacheMiB = 256
	readCacheMiB  = 64
)

// bulkPragmas sizes a connection's page cache to cacheMiB and keeps
// temporary tables and statement journals (written by every multi-row
// statement) in memory rather than in files.
func bulkPragmas(cacheMiB int) []string {
	return []string{fmt.Sprintf("cache_size(%d)", -cacheMiB*1024), "temp_store(MEMORY)"}
}

// createPrivate makes an empty file at path with mode 0600 unless a file
// is there already; SQLite takes an empty file for a new database.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return nil
	}
	if err != nil {
		return err
	}
	// The umask may have taken bits away, never added them; Chmod makes
	// the mode exact.
	return errors.Join(f.Chmod(0o600), f.Close())
}

// dsn builds a modernc.org/sqlite data source name: the file name, then
// one _pragma parameter per pragma (run on every new connection) and any
// extra parameters.
func dsn(path string, pragmas []string, extra ...string) string {
	q := make([]string, 0, len(pragmas)+len(extra))
	for _, p := range pragmas {
		q = append(q, "_pragma="+url.QueryEscape(p))
	}
	q = append(q, extra...)
	return path + "?" + strings.Join(q, "&")
}

// checkWAL connects the writer and confirms that the file is in WAL mode,
// which some file systems (network shares) cannot provide.
func (db *DB) checkWAL(ctx context.Context) error {
	var mode string
	if err := db.write.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return fmt.Errorf("open database %s: %w", db.path, err)
	}
	if !strings.EqualFold(mode, "wal") {
		return fmt.Errorf("open database %s: journal mode is %q, want wal", db.path, mode)
	}
	return nil
}

// Close closes every connection. Calls in progress may fail.
func (db *DB) Close() error {
	db.closed.Store(true)
	errs := []error{closeStmts(db.readStmts), closeStmts(db.writeStmts)}
	if db.read != nil {
		errs = append(errs, db.read.Close())
	}
	if db.write != nil {
		errs = append(errs, db.write.Close())
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("close database %s: %w", db.path, err)
	}
	return nil
}

// Path returns the file name the database was opened with.
func (db *DB) Path() string { return db.path }

// Update runs fn in one read-write transaction, committed when fn returns
// nil and rolled back otherwise; fn's error is returned unchanged. Updates
// wait for each other (until ctx is done) rather than fail on a busy
// database. fn must not call Update itself: it would wait forever for the
// one write connection. An error that says the database cannot be used now
// is EUnavailable (errors.go).
func (db *DB) Update(ctx context.Context, fn func(ledger.Tx) error) error {
	err := sqlstore.Run(ctx, "update", func(ctx context.Context) (sqlstore.Begun, error) {
		return db.begin(ctx, db.write, nil, db.writeStmts)
	}, fn)
	return unavailable(err, db.closed.Load())
}

// View runs fn in one read-only transaction that sees one consistent
// snapshot; fn's error is returned unchanged. Views run concurrently with
// each other and with Update. Writes inside fn fail. An error that says
// the database cannot be used now is EUnavailable (errors.go).
func (db *DB) View(ctx context.Context, fn func(ledger.Tx) error) error {
	err := sqlstore.Run(ctx, "view", func(ctx context.Context) (sqlstore.Begun, error) {
		return db.begin(ctx, db.read, &sql.TxOptions{ReadOnly: true}, db.readStmts)
	}, fn)
	return unavailable(err, db.closed.Load())
}

// begin starts a transaction on pool, whose connections prepared stmts.
func (db *DB) begin(ctx context.Context, pool *sql.DB, opts *sql.TxOptions, stmts map[string]*sql.Stmt) (sqlstore.Begun, error) {
	sqlTx, err := pool.BeginTx(ctx, opts)
	if err != nil {
		return sqlstore.Begun{}, err
	}
	return sqlstore.Begun{
		Tx:       newTx(sqlTx, stmts),
		Commit:   func(context.Context) error { return sqlTx.Commit() },
		Rollback: func(context.Context) { _ = sqlTx.Rollback() },
	}, nil
}
