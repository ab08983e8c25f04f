package ledger

import (
	"context"
	"sync"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/translog"
)

// logTx is the Tx of a read-write transaction of a Service that keeps the
// transparency log: it notes the canonical bytes of every logged entry the
// transaction writes, and appends their leaves at the end, in one
// translog.Append under the log's lock, so that an entry and its leaf
// commit together and appends take turns only for as long as a commit
// takes. Savepoints rolled back drop the entries written since.
type logTx struct {
	Tx
	border  *logBorder
	pending []loggedEntry
	marks   []savepointMark
	// grown is the tree's border after the transaction's last append, to
	// keep once it commits; nil when there is none to keep.
	grown *translog.Border
}

// logBorder is the right border of the log's tree as the last committed
// append of this process left it, so that the next append need not read
// it. It is checked under the log's lock against the stored tree's size
// (see translog.AppendFrom): another process (the CLI beside the server,
// another PostgreSQL node) may have appended since. It is safe for
// concurrent use; the zero value knows no border.
type logBorder struct {
	mu    sync.Mutex
	known *translog.Border
}

// get returns the border kept, or nil.
func (b *logBorder) get() *translog.Border {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.known
}

// keep keeps the border of a committed append.
func (b *logBorder) keep(known *translog.Border) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.known = known
}

// savepointMark is how many entries were pending at a savepoint.
type savepointMark struct {
	name string
	n    int
}

// logLockScheme is the lock key appends of leaves take turns on.
const logLockScheme = "\x00translog"

// updateLogged runs fn in a transaction of store and, when it succeeds,
// appends the leaves of the entries it wrote before the commit; once the
// commit is done it keeps the tree's border in border.
func updateLogged(ctx context.Context, store Store, border *logBorder, now time.Time, fn func(Tx) error) error {
	var lt *logTx
	err := store.Update(ctx, func(tx Tx) error {
		lt = &logTx{Tx: tx, border: border}
		if err := fn(lt); err != nil {
			return err
		}
		return lt.flush(ctx, now)
	})
	if err == nil && lt != nil && lt.grown != nil {
		border.keep(lt.grown)
	}
	return err
}

// flush appends the pending entries' leaves.
func (t *logTx) flush(ctx context.Context, now time.Time) error {
	err := appendEntries(ctx, t, t.pending, now)
	t.pending = nil
	return err
}

// appendEntries appends the leaves of entries to the log in tx, each with
// a fresh salt, under the log's lock. In a transaction that keeps the log
// it starts from the border the last committed append left, and notes
// the new one.
func appendEntries(ctx context.Context, tx Tx, entries []loggedEntry, now time.Time) error {
	if len(entries) == 0 {
		return nil
	}
	if err := lockLog(ctx, tx); err != nil {
		return err
	}
	leaves := make([]LogLeaf, len(entries))
	data := make([][]byte, len(entries))
	for i, e := range entries {
		salt := translog.NewSalt()
		data[i] = translog.Commit(e.canonical, salt)
		leaves[i] = LogLeaf{Kind: e.kind, Ref: e.ref, Data: data[i], Salt: salt, At: now}
	}
	lt, keeps := tx.(*logTx)
	var known *translog.Border
	if keeps {
		known = lt.grown // this transaction's own last append
		if known == nil {
			known = lt.border.get()
		}
		tx = lt.Tx
	}
	grown, _, err := translog.AppendFrom(ctx, leafWriter{tx, leaves}, known, data...)
	if keeps && err == nil {
		lt.grown = &grown
	}
	return err
}

// lockLog takes the log's lock in tx until it ends: appends and
// checkpoints take turns.
func lockLog(ctx context.Context, tx Tx) error { return tx.LockSubject(ctx, logLockScheme, 0) }

// leafWriter is the translog.Store Append writes through: the leaves it
// writes are the ones given, with their kinds, keys and salts.
type leafWriter struct {
	TransLog
	leaves []LogLeaf
}

// WriteLeaves stores the leaves at their positions from start, with the
// hashes each completed.
func (w leafWriter) WriteLeaves(ctx context.Context, start int64, nodes []translog.Node) error {
	if len(nodes) != len(w.leaves) {
		return tally.Errorf(tally.EInternal, "the log was given %d leaves to write, not %d", len(nodes), len(w.leaves))
	}
	for i := range w.leaves {
		w.leaves[i].Index, w.leaves[i].Completes = start+int64(i), nodes[i].Completes
	}
	return w.InsertLeaves(ctx, w.leaves)
}

// note keeps an entry to log once the transaction's writes are done.
func (t *logTx) note(e loggedEntry, err error) error {
	if err == nil {
		t.pending = append(t.pending, e)
	}
	return err
}

func (t *logTx) InsertSubject(ctx context.Context, s *tally.Subject) error {
	if err := t.Tx.InsertSubject(ctx, s); err != nil {
		return err
	}
	return t.note(subjectLogEntry(s))
}

func (t *logTx) InsertRecord(ctx context.Context, r *tally.Record) error {
	if err := t.Tx.InsertRecord(ctx, r); err != nil {
		return err
	}
	return t.note(recordEntry(r))
}

func (t *logTx) InsertRecords(ctx context.Context, rs []*tally.Record) error {
	if err := t.Tx.InsertRecords(ctx, rs); err != nil {
		return err
	}
	for _, r := range rs {
		if err := t.note(recordEntry(r)); err != nil {
			return err
		}
	}
	return nil
}

func (t *logTx) InsertListEntry(ctx context.Context, e *tally.ListEntry) error {
	if err := t.Tx.InsertListEntry(ctx, e); err != nil {
		return err
	}
	return t.note(listEntryEntry(e))
}

func (t *logTx) InsertRemoval(ctx context.Context, r *tally.ListRemoval) error {
	if err := t.Tx.InsertRemoval(ctx, r); err != nil {
		return err
	}
	return t.note(removalEntry(r))
}

func (t *logTx) InsertObjectionDecision(ctx context.Context, d *tally.ObjectionDecision) error {
	if err := t.Tx.InsertObjectionDecision(ctx, d); err != nil {
		return err
	}
	return t.note(objectionDecisionEntry(d))
}

func (t *logTx) InsertRepairDecision(ctx context.Context, d *tally.RepairDecision) error {
	if err := t.Tx.InsertRepairDecision(ctx, d); err != nil {
		return err
	}
	return t.note(repairDecisionEntry(d))
}

func (t *logTx) InsertRulebook(ctx context.Context, v *tally.RulebookVersion) error {
	if err := t.Tx.InsertRulebook(ctx, v); err != nil {
		return err
	}
	return t.note(rulebookEntry(v))
}

func (t *logTx) InsertCatalogue(ctx context.Context, c *tally.CatalogueVersion) error {
	if err := t.Tx.InsertCatalogue(ctx, c); err != nil {
		return err
	}
	return t.note(catalogueEntry(c))
}

func (t *logTx) InsertAgreement(ctx context.Context, a *tally.Agreement) error {
	if err := t.Tx.InsertAgreement(ctx, a); err != nil {
		return err
	}
	return t.note(agreementEntry(a))
}

func (t *logTx) Savepoint(ctx context.Context, name string) error {
	if err := t.Tx.Savepoint(ctx, name); err != nil {
		return err
	}
	t.marks = append(t.marks, savepointMark{name, len(t.pending)})
	return nil
}

// RollbackTo drops the entries written since the savepoint, which stays.
func (t *logTx) RollbackTo(ctx context.Context, name string) error {
	if err := t.Tx.RollbackTo(ctx, name); err != nil {
		return err
	}
	t.grown = nil // an append may be undone
	if i := t.mark(name); i >= 0 {
		t.pending = t.pending[:t.marks[i].n]
		t.marks = t.marks[:i+1]
	}
	return nil
}

// Release forgets the savepoint and those made after it, keeping their
// entries.
func (t *logTx) Release(ctx context.Context, name string) error {
	if err := t.Tx.Release(ctx, name); err != nil {
		return err
	}
	if i := t.mark(name); i >= 0 {
		t.marks = t.marks[:i]
	}
	return nil
}

// mark returns the position of the latest savepoint named name, or -1.
func (t *logTx) mark(name string) int {
	for i := len(t.marks) - 1; i >= 0; i-- {
		if t.marks[i].name == name {
			return i
		}
	}
	return -1
}
