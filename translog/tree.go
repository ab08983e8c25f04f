package translog

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/tallycredit/tally"
	"github.com/transparency-dev/merkle/compact"
	"golang.org/x/mod/sumdb/tlog"
)

// MaxLeafSize is the longest leaf data an entry bundle can carry (its
// length is a big-endian uint16).
const MaxLeafSize = math.MaxUint16

// rangeFactory builds compact ranges with RFC 6962 interior hashes.
var rangeFactory = &compact.RangeFactory{Hash: hasher.HashChildren}

// Append adds leaves (each leaf's data, usually a Commit) to the end of
// the log in s and returns the new size and root hash; the leaves take
// the positions from the old size on, in order. It reads the
// O(log n) hashes of the tree's right border and writes each new leaf hash
// and every perfect subtree the leaves complete (two hashes a leaf on
// average). Appends to one log must not run concurrently: the caller
// serialises them, as a SQL store does by appending in the entry's
// transaction under the log's lock. Appending no leaves returns the
// current size and root.
func Append(ctx context.Context, s Store, leaves ...[]byte) (int64, Hash, error) {
	b, root, err := AppendFrom(ctx, s, nil, leaves...)
	return b.Size, root, err
}

// Border is the right border of a tree of Size leaves: the hashes of the
// perfect subtrees that make up its leaves [0, Size), left to right. It
// is all an append needs of the tree, so a writer may keep it between
// appends instead of reading it again. The zero Border is an empty tree's.
type Border struct {
	Size   int64
	Hashes []Hash
}

// AppendFrom is Append starting from known, the border of the tree as
// the caller last left it, and it returns the border after the leaves.
// known is used only when the log in s still has known.Size leaves;
// otherwise (nil, or another writer appended since, or the append it
// came from was rolled back) the border is read from s. A log only grows,
// so a tree of the same size is the same tree: the caller must keep a
// border only once the append that made it is durable (committed), never
// one of an append that may still be undone.
func AppendFrom(ctx context.Context, s Store, known *Border, leaves ...[]byte) (Border, Hash, error) {
	size, err := s.TreeSize(ctx)
	if err != nil {
		return Border{}, Hash{}, fmt.Errorf("translog: size: %w", err)
	}
	var r *compact.Range
	if known != nil && known.Size == size {
		r, err = rangeFactory.NewRange(0, uint64(size), hashSlices(slices.Clone(known.Hashes)))
		if err != nil {
			return Border{}, Hash{}, fmt.Errorf("translog: the border kept for %d leaves: %w", size, err)
		}
	} else if r, err = loadRange(ctx, s, size); err != nil {
		return Border{}, Hash{}, err
	}
	var indexes []int64
	var hashes []Hash
	keep := func(id compact.NodeID, h []byte) {
		indexes = append(indexes, tlog.StoredHashIndex(int(id.Level), int64(id.Index)))
		hashes = append(hashes, Hash(h))
	}
	for _, data := range leaves {
		if len(data) > MaxLeafSize {
			return Border{}, Hash{}, tally.Errorf(tally.EInvalid, "a leaf of %d bytes is longer than an entry bundle allows (%d)", len(data), MaxLeafSize)
		}
		if err := r.Append(hasher.HashLeaf(data), keep); err != nil {
			return Border{}, Hash{}, fmt.Errorf("translog: append: %w", err)
		}
	}
	if len(leaves) > 0 {
		if err := s.WriteHashes(ctx, indexes, hashes); err != nil {
			return Border{}, Hash{}, fmt.Errorf("translog: write hashes: %w", err)
		}
		if err := s.WriteLeaves(ctx, size, leaves); err != nil {
			return Border{}, Hash{}, fmt.Errorf("translog: write leaves: %w", err)
		}
	}
	root, err := rootOf(r)
	if err != nil {
		return Border{}, Hash{}, err
	}
	b := Border{Size: int64(r.End()), Hashes: make([]Hash, len(r.Hashes()))}
	for i, h := range r.Hashes() {
		b.Hashes[i] = Hash(h)
	}
	return b, root, nil
}

// RootAt returns the root hash of the log's first size leaves, from the
// O(log size) perfect subtrees that make them up.
func RootAt(ctx context.Context, r Reader, size int64) (Hash, error) {
	if err := within(ctx, r, size); err != nil {
		return Hash{}, err
	}
	cr, err := loadRange(ctx, r, size)
	if err != nil {
		return Hash{}, err
	}
	return rootOf(cr)
}

// Recompute returns the root hash of the log's first size leaves from the
// leaf data alone, without the stored hashes: a self-check that the
// hashes a store serves agree with its leaves. It reads every leaf.
func Recompute(ctx context.Context, r Reader, size int64) (Hash, error) {
	if err := within(ctx, r, size); err != nil {
		return Hash{}, err
	}
	cr := rangeFactory.NewEmptyRange(0)
	const chunk = 4096
	for start := int64(0); start < size; start += chunk {
		leaves, err := r.ReadLeaves(ctx, start, int(min(chunk, size-start)))
		if err != nil {
			return Hash{}, fmt.Errorf("translog: read leaves: %w", err)
		}
		for _, data := range leaves {
			if err := cr.Append(hasher.HashLeaf(data), nil); err != nil {
				return Hash{}, fmt.Errorf("translog: append: %w", err)
			}
		}
	}
	return rootOf(cr)
}

// within returns an error unless 0 <= size <= the log's size.
func within(ctx context.Context, r Reader, size int64) error {
	n, err := r.TreeSize(ctx)
	if err != nil {
		return fmt.Errorf("translog: size: %w", err)
	}
	if size < 0 || size > n {
		return tally.Errorf(tally.ENotFound, "the log has %d entries, fewer than %d", n, size)
	}
	return nil
}

// loadRange returns the compact range [0, size): the perfect subtrees
// along the tree's right border.
func loadRange(ctx context.Context, r Reader, size int64) (*compact.Range, error) {
	hashes, err := readNodes(ctx, r, compact.RangeNodes(0, uint64(size), nil))
	if err != nil {
		return nil, err
	}
	cr, err := rangeFactory.NewRange(0, uint64(size), hashes)
	if err != nil {
		return nil, fmt.Errorf("translog: range of %d: %w", size, err)
	}
	return cr, nil
}

// readNodes reads the hashes of perfect subtrees from r.
func readNodes(ctx context.Context, r Reader, ids []compact.NodeID) ([][]byte, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	indexes := make([]int64, len(ids))
	for i, id := range ids {
		indexes[i] = tlog.StoredHashIndex(int(id.Level), int64(id.Index))
	}
	hs, err := r.ReadHashes(ctx, indexes)
	if err != nil {
		return nil, fmt.Errorf("translog: read hashes: %w", err)
	}
	if len(hs) != len(ids) {
		return nil, fmt.Errorf("translog: read %d hashes, want %d", len(hs), len(ids))
	}
	return hashSlices(hs), nil
}

// rootOf returns the root hash of a range from 0.
func rootOf(r *compact.Range) (Hash, error) {
	if r.End() == 0 {
		return EmptyRoot(), nil
	}
	h, err := r.GetRootHash(nil)
	if err != nil {
		return Hash{}, fmt.Errorf("translog: root: %w", err)
	}
	return Hash(h), nil
}
