package ledger

import (
	"context"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/translog"
)

// LogLeaf is a leaf of the transparency log as the store keeps it: its
// position, the entry it commits to (kind and key), the public commitment,
// the entry's secret salt, which is never served, and the hashes of the
// perfect subtrees its append completed (translog.Node).
type LogLeaf struct {
	Index     int64
	Kind      LogKind
	Ref       string
	Data      []byte
	Salt      [translog.SaltSize]byte
	At        time.Time
	Completes []translog.Hash
}

// LogCheckpoint is a signed checkpoint as archived: the tree size, its
// root hash, when it was signed and the signed note.
type LogCheckpoint struct {
	Size int64
	Root translog.Hash
	At   time.Time
	Note []byte
}

// TransLog keeps the transparency log: its leaves, with the tree's hashes,
// and the signed checkpoints, all append-only, written in the transaction
// of the entries they log. It reads as a translog.Reader.
type TransLog interface {
	translog.Reader
	// InsertLeaves appends leaves at their Index, the first at the log's
	// size; a position or an entry (kind, ref) already logged is a conflict.
	InsertLeaves(ctx context.Context, leaves []LogLeaf) error
	// LeafOf returns the leaf of entry (kind, ref), or ENotFound.
	LeafOf(ctx context.Context, kind LogKind, ref string) (*LogLeaf, error)
	// LogLeaves returns up to n leaves from position start, by position,
	// with their salts.
	LogLeaves(ctx context.Context, start int64, n int) ([]LogLeaf, error)
	// Unlogged returns the keys of up to limit stored entries of kind that
	// no leaf commits to, in key order, from the first after the key after
	// ("" for the first of all): a backfill reads on from where its last
	// batch ended rather than past every entry already logged.
	Unlogged(ctx context.Context, kind LogKind, after string, limit int) ([]string, error)
	// InsertCheckpoint archives a signed checkpoint; one of the same size
	// is a conflict.
	InsertCheckpoint(ctx context.Context, c *LogCheckpoint) error
	// LatestCheckpoint returns the checkpoint of the largest tree, or
	// ENotFound before the first.
	LatestCheckpoint(ctx context.Context) (*LogCheckpoint, error)
	// CheckpointAt returns the checkpoint of a tree size, or ENotFound.
	CheckpointAt(ctx context.Context, size int64) (*LogCheckpoint, error)

	// ListEntryByID returns a list entry with its removal, or ENotFound.
	ListEntryByID(ctx context.Context, id int64) (*tally.ListEntry, error)
	// RemovalByID returns a removal, or ENotFound.
	RemovalByID(ctx context.Context, id int64) (*tally.ListRemoval, error)
	// CatalogueByVersion returns a catalogue version, or ENotFound.
	CatalogueByVersion(ctx context.Context, version int) (*tally.CatalogueVersion, error)
}
