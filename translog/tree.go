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
// O(log n) hashes of the tree's right border and writes each leaf with
// the perfect subtrees it completes (one hash a leaf on average). Appends to one log must not run concurrently: the caller
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
	nodes := make([]Node, len(leaves))
	var bad error
	for i, data := range leaves {
		if len(data) > MaxLeafSize {
			return Border{}, Hash{}, tally.Errorf(tally.EInvalid, "a leaf of %d bytes is longer than an entry bundle allows (%d)", len(data), MaxLeafSize)
		}
		n := &nodes[i]
		n.Data = data
		keep := func(id compact.NodeID, h []byte) {
			switch {
			case id.Level == 0:
			case int(id.Level) == len(n.Completes)+1:
				n.Completes = append(n.Completes, Hash(h))
			default:
				bad = fmt.Errorf("translog: leaf %d completed level %d after %d levels", size+int64(i), id.Level, len(n.Completes))
			}
		}
		if err := r.Append(hasher.HashLeaf(data), keep); err != nil {
			return Border{}, Hash{}, fmt.Errorf("translog: append: %w", err)
		}
		if bad != nil {
			return Border{}, Hash{}, bad
		}
	}
	if len(leaves) > 0 {
		if err := s.WriteLeaves(ctx, size, nodes); err != nil {
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
	hs, err := ReadHashes(ctx, r, indexes)
	if err != nil {
		return nil, err
	}
	return hashSlices(hs), nil
}

// ReadHashes returns the hashes of the tree at tlog's stored-hash
// indexes, in their order, from the leaves of r that hold them: a leaf's
// own hash from its data, a perfect subtree's from the leaf that
// completed it. A hash the log does not have yet is an error.
func ReadHashes(ctx context.Context, r Reader, indexes []int64) ([]Hash, error) {
	type at struct {
		position int64
		level    int
	}
	where := make([]at, len(indexes))
	var positions []int64
	seen := make(map[int64]bool, len(indexes))
	for i, x := range indexes {
		if x < 0 {
			return nil, fmt.Errorf("translog: no hash at index %d", x)
		}
		level, n := tlog.SplitStoredHashIndex(x)
		if level > 62 || n > (math.MaxInt64>>level)-1 {
			return nil, fmt.Errorf("translog: no hash at index %d", x)
		}
		where[i] = at{(n+1)<<level - 1, level}
		if !seen[where[i].position] {
			seen[where[i].position] = true
			positions = append(positions, where[i].position)
		}
	}
	nodes, err := r.ReadNodes(ctx, positions)
	if err != nil {
		return nil, fmt.Errorf("translog: read hashes: %w", err)
	}
	if len(nodes) != len(positions) {
		return nil, fmt.Errorf("translog: read %d leaves, want %d", len(nodes), len(positions))
	}
	byPosition := make(map[int64]Node, len(nodes))
	for i, p := range positions {
		byPosition[p] = nodes[i]
	}
	out := make([]Hash, len(indexes))
	for i, w := range where {
		n := byPosition[w.position]
		switch {
		case w.level == 0:
			out[i] = LeafHash(n.Data)
		case w.level <= len(n.Completes):
			out[i] = n.Completes[w.level-1]
		default:
			return nil, fmt.Errorf("translog: the leaf at %d keeps %d levels, not level %d (index %d)", w.position, len(n.Completes), w.level, indexes[i])
		}
	}
	return out, nil
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
