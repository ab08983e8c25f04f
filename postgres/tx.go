package postgres

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"

	"github.com/jackc/pgx/v5"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/sqlstore"
)

// dialect is PostgreSQL's SQL: numbered placeholders, array parameters,
// planner fences, byte-order collation, ILIKE for a LIKE that ignores case,
// and constraint violations by SQLSTATE.
var dialect = &sqlstore.Dialect{
	Numbered: true,
	Words: map[string]string{"/*fence*/": "OFFSET 0", "/*bytes*/": `COLLATE "C"`, "/*materialized*/": "MATERIALIZED",
		"/*i*/": "I", "/*latest consent*/": sqlstore.LatestConsentLateral},
	Arrays:       true,
	IsUnique:     func(err error) bool { return sqlState(err) == uniqueViolation },
	IsForeignKey: func(err error) bool { return sqlState(err) == foreignKeyViolation },
	BadText: func(err error) bool {
		s := sqlState(err)
		return s == characterNotInRepertoire || s == untranslatableCharacter
	},
}

// tx implements ledger.Tx on one pgx transaction: the shared SQL of
// sqlstore, plus what is PostgreSQL's own. Conflicts leave it usable
// (inserts use ON CONFLICT DO NOTHING); any other failed statement makes
// PostgreSQL abort the whole transaction, so every later statement fails
// and the caller must roll back.
type tx struct {
	*sqlstore.Tx
	*conn
	locked map[int64]bool // advisory locks already held, by key
}

var _ ledger.Tx = (*tx)(nil)

// newTx returns the transaction on pgTx.
func newTx(pgTx pgx.Tx) *tx {
	c := &conn{tx: pgTx}
	return &tx{Tx: sqlstore.NewTx(c, dialect), conn: c}
}

// conn adapts a pgx transaction to sqlstore.Conn and remembers the first
// statement the server failed.
type conn struct {
	tx     pgx.Tx
	failed error // the first statement the server failed, if any
}

// note remembers the first server error, after which the transaction is
// aborted, so that a failed commit can say why.
func (t *conn) note(err error) {
	if t.failed == nil && sqlState(err) != "" {
		t.failed = err
	}
}

// Exec runs a statement and says how many rows it changed.
func (t *conn) Exec(ctx context.Context, sql string, args ...any) (int64, error) {
	tag, err := t.tx.Exec(ctx, sql, args...)
	t.note(err)
	return tag.RowsAffected(), err
}

// Query runs a statement that returns rows.
func (t *conn) Query(ctx context.Context, sql string, args ...any) (sqlstore.Rows, error) {
	rows, err := t.tx.Query(ctx, sql, args...)
	t.note(err)
	if err != nil {
		return nil, err
	}
	return notedRows{Rows: rows, t: t}, nil
}

// QueryRow runs a query for one row; its Scan says sqlstore.ErrNoRows when
// there is none.
func (t *conn) QueryRow(ctx context.Context, sql string, args ...any) sqlstore.Row {
	return notedRow{row: t.tx.QueryRow(ctx, sql, args...), t: t}
}

// notedRow is a pgx.Row whose error is noted when it is scanned.
type notedRow struct {
	row pgx.Row
	t   *conn
}

func (r notedRow) Scan(dest ...any) error {
	err := r.row.Scan(dest...)
	r.t.note(err)
	if errors.Is(err, pgx.ErrNoRows) {
		return sqlstore.ErrNoRows
	}
	return err
}

// notedRows is pgx.Rows whose error is noted.
type notedRows struct {
	pgx.Rows
	t *conn
}

func (r notedRows) Err() error {
	err := r.Rows.Err()
	r.t.note(err)
	return err
}

// LockSubject takes the transaction-scoped advisory lock of the subject in
// the scheme, waiting (until ctx is done) for a transaction that holds it
// to end. A deadlock among such waits fails the transaction; Update runs
// it again. Locking again in one transaction costs nothing.
func (t *tx) LockSubject(ctx context.Context, scheme string, subjectID int64) error {
	key := subjectLockKey(scheme, subjectID)
	if t.locked[key] {
		return ctx.Err()
	}
	if _, err := t.conn.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, key); err != nil {
		return fmt.Errorf("lock subject %d in %s: %w", subjectID, scheme, err)
	}
	if t.locked == nil {
		t.locked = map[int64]bool{}
	}
	t.locked[key] = true
	return nil
}

// LockSubjects takes the advisory locks of many subjects in the scheme in
// one statement, in the order of their keys (unnest reads the array in
// order), which every batch follows.
func (t *tx) LockSubjects(ctx context.Context, scheme string, subjectIDs []int64) error {
	var keys []int64
	for _, id := range subjectIDs {
		if k := subjectLockKey(scheme, id); !t.locked[k] {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return ctx.Err()
	}
	slices.Sort(keys)
	keys = slices.Compact(keys)
	if _, err := t.conn.Exec(ctx, `SELECT count(pg_advisory_xact_lock(k)) FROM unnest($1::bigint[]) AS k`, keys); err != nil {
		return fmt.Errorf("lock %d subjects in %s: %w", len(keys), scheme, err)
	}
	if t.locked == nil {
		t.locked = map[int64]bool{}
	}
	for _, k := range keys {
		t.locked[k] = true
	}
	return nil
}

// subjectLockKey is the advisory lock key of a subject in a scheme: FNV-1a
// of both, the same in every process (unlike hash/maphash, which is seeded
// per process). It uses the one-bigint key space of advisory locks; the
// migration lock uses the two-integer space, so they never meet.
func subjectLockKey(scheme string, subjectID int64) int64 {
	h := fnv.New64a()
	h.Write([]byte(scheme))
	var b [9]byte // a NUL, which no scheme id contains, then the ID
	binary.BigEndian.PutUint64(b[1:], uint64(subjectID))
	h.Write(b[:])
	return int64(h.Sum64())
}
