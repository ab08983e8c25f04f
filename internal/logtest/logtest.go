// Package logtest keeps a transparency log in memory and serves it as
// httpapi.Log, for the tests of the log's routes, its clients and its
// auditor: leaves named by entry (kind, ref), checkpoints signed when
// asked. It is not for production: leaves commit to the entry's name
// under a salt anyone can compute.
package logtest

import (
	"context"
	"crypto/sha256"
	"sync"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/translog"
	"github.com/tallycredit/tally/wire"
	"golang.org/x/mod/sumdb/note"
)

// Log is a transparency log in memory. It is safe for concurrent use.
type Log struct {
	signer note.Signer

	mu          sync.Mutex
	store       translog.MemStore
	index       map[string]int64 // kind + "/" + ref → position
	keys        []string
	checkpoints map[int64][]byte
	latest      int64 // size of the latest checkpoint; -1 before the first
}

// New returns an empty log whose checkpoints signer signs; its key name is
// the log's origin.
func New(signer note.Signer) *Log {
	return &Log{signer: signer, index: map[string]int64{}, checkpoints: map[int64][]byte{}, latest: -1}
}

// Leaf returns the leaf that entry (kind, ref) is logged as: the same in
// every Log, so that two logs given the same entries share their history.
func Leaf(kind, ref string) []byte {
	return translog.Commit([]byte(kind+"/"+ref), sha256.Sum256([]byte("logtest/"+kind+"/"+ref)))
}

// Add appends the leaves of entries (kind, ref...).
func (l *Log) Add(ctx context.Context, kind string, refs ...string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	leaves := make([][]byte, len(refs))
	for i, ref := range refs {
		leaves[i] = Leaf(kind, ref)
	}
	size, _, err := translog.Append(ctx, &l.store, leaves...)
	if err != nil {
		return err
	}
	for i, ref := range refs {
		l.index[kind+"/"+ref] = size - int64(len(refs)-i)
	}
	return nil
}

// Sign signs a checkpoint of the log as it is now, unless the latest one
// is already of this size, and returns the latest signed checkpoint.
func (l *Log) Sign(ctx context.Context) ([]byte, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	size, err := l.store.TreeSize(ctx)
	if err != nil {
		return nil, err
	}
	if size != l.latest {
		root, err := translog.RootAt(ctx, &l.store, size)
		if err != nil {
			return nil, err
		}
		msg, err := translog.SignCheckpoint(l.signer, translog.Checkpoint{Origin: l.signer.Name(), Size: size, Root: root})
		if err != nil {
			return nil, err
		}
		l.checkpoints[size], l.latest = msg, size
	}
	return l.checkpoints[l.latest], nil
}

// Checkpoint returns the latest signed checkpoint.
func (l *Log) Checkpoint(context.Context) ([]byte, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.latest < 0 {
		return nil, tally.Errorf(tally.ENotFound, "the log has no signed checkpoint yet")
	}
	return l.checkpoints[l.latest], nil
}

// Tile returns a tile of the tree of the latest checkpoint.
func (l *Log) Tile(ctx context.Context, path string) ([]byte, error) {
	t, err := translog.ParseTilePath(path)
	if err != nil {
		return nil, tally.Errorf(tally.EInvalid, "%q is not a tile path: want tile/<L>/<N>[.p/<W>] or tile/entries/<N>[.p/<W>]", path)
	}
	l.mu.Lock()
	size := l.latest
	l.mu.Unlock()
	if size < 0 {
		return nil, tally.Errorf(tally.ENotFound, "the log has no signed checkpoint yet")
	}
	return translog.ReadTile(ctx, &l.store, size, t)
}

// Inclusion proves that entry (kind, ref) is in the tree of the
// checkpoint of size leaves (0: the latest).
func (l *Log) Inclusion(ctx context.Context, kind, ref string, size int64) (*wire.LogProof, error) {
	l.mu.Lock()
	i, logged := l.index[kind+"/"+ref]
	if size == 0 {
		size = l.latest
	}
	msg, signed := l.checkpoints[size]
	l.mu.Unlock()
	if !logged {
		return nil, tally.Errorf(tally.ENotFound, "entry %s %q is not in the log", kind, ref)
	}
	if !signed {
		return nil, tally.Errorf(tally.ENotFound, "no signed checkpoint of %d entries", size)
	}
	p, err := translog.ProveInclusion(ctx, &l.store, i, size)
	if err != nil {
		return nil, err
	}
	return &wire.LogProof{Kind: kind, Ref: ref, Leaf: Leaf(kind, ref), Checkpoint: string(msg), Proof: p}, nil
}

// Consistency proves that the tree of to leaves extends the tree of from
// leaves, both within the latest checkpoint.
func (l *Log) Consistency(ctx context.Context, from, to int64) (translog.ConsistencyProof, error) {
	l.mu.Lock()
	latest := l.latest
	l.mu.Unlock()
	if to > latest {
		return translog.ConsistencyProof{}, tally.Errorf(tally.ENotFound, "the log has %d entries, fewer than %d", max(latest, 0), to)
	}
	return translog.ProveConsistency(ctx, &l.store, from, to)
}
