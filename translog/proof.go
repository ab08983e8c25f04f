package translog

import (
	"context"
	"fmt"

	"github.com/tallycredit/tally"
	"github.com/transparency-dev/merkle/proof"
)

// ErrProof is the error of a proof that does not lead to the root hash it
// is checked against.
var ErrProof = errProof()

func errProof() *tally.Error {
	return tally.Errorf(tally.EConflict, "the proof does not match the log's root hash")
}

// InclusionProof shows that the leaf at Index is in the log's tree of Size
// leaves: the RFC 6962 audit path, leaf to root. In JSON the hashes are
// base64.
type InclusionProof struct {
	Index int64  `json:"index"`
	Size  int64  `json:"size"`
	Path  []Hash `json:"path"`
}

// ConsistencyProof shows that the log's tree of To leaves extends its tree
// of From leaves: the RFC 6962 consistency proof.
type ConsistencyProof struct {
	From int64  `json:"from"`
	To   int64  `json:"to"`
	Path []Hash `json:"path"`
}

// ProveInclusion returns the proof that leaf index is in the tree of the
// log's first size leaves, from O(log size) stored hashes.
func ProveInclusion(ctx context.Context, r Reader, index, size int64) (InclusionProof, error) {
	if err := within(ctx, r, size); err != nil {
		return InclusionProof{}, err
	}
	if index < 0 || index >= size {
		return InclusionProof{}, tally.Errorf(tally.ENotFound, "entry %d is not in a log of %d entries", index, size)
	}
	nodes, err := proof.Inclusion(uint64(index), uint64(size))
	if err != nil {
		return InclusionProof{}, fmt.Errorf("translog: inclusion: %w", err)
	}
	path, err := rehash(ctx, r, nodes)
	return InclusionProof{Index: index, Size: size, Path: path}, err
}

// ProveConsistency returns the proof that the log's tree of to leaves
// extends its tree of from leaves.
func ProveConsistency(ctx context.Context, r Reader, from, to int64) (ConsistencyProof, error) {
	if err := within(ctx, r, to); err != nil {
		return ConsistencyProof{}, err
	}
	if from < 0 || from > to {
		return ConsistencyProof{}, tally.Errorf(tally.EInvalid, "a consistency proof goes from a smaller log to a larger one, not from %d entries to %d", from, to)
	}
	nodes, err := proof.Consistency(uint64(from), uint64(to))
	if err != nil {
		return ConsistencyProof{}, fmt.Errorf("translog: consistency: %w", err)
	}
	path, err := rehash(ctx, r, nodes)
	return ConsistencyProof{From: from, To: to, Path: path}, err
}

// rehash reads the nodes of a proof and folds the ones that make up its
// one node on the tree's right border that is not stored.
func rehash(ctx context.Context, r Reader, nodes proof.Nodes) ([]Hash, error) {
	hs, err := readNodes(ctx, r, nodes.IDs)
	if err != nil {
		return nil, err
	}
	hs, err = nodes.Rehash(hs, hasher.HashChildren)
	if err != nil {
		return nil, fmt.Errorf("translog: rehash: %w", err)
	}
	path := make([]Hash, len(hs))
	for i, h := range hs {
		path[i] = Hash(h)
	}
	return path, nil
}

// Verify returns nil when p proves that a leaf with this data is at
// p.Index in the tree of p.Size leaves whose root is root, and ErrProof
// otherwise.
func (p InclusionProof) Verify(data []byte, root Hash) error {
	if p.Index < 0 || p.Size < 0 {
		return ErrProof
	}
	if proof.VerifyInclusion(hasher, uint64(p.Index), uint64(p.Size), hasher.HashLeaf(data), hashSlices(p.Path), root[:]) != nil {
		return ErrProof
	}
	return nil
}

// Verify returns nil when p proves that the tree of p.To leaves with root
// newRoot extends the tree of p.From leaves with root oldRoot, and
// ErrProof otherwise.
func (p ConsistencyProof) Verify(oldRoot, newRoot Hash) error {
	if p.From < 0 || p.To < 0 {
		return ErrProof
	}
	if p.From == 0 && oldRoot != EmptyRoot() {
		return ErrProof
	}
	if proof.VerifyConsistency(hasher, uint64(p.From), uint64(p.To), hashSlices(p.Path), oldRoot[:], newRoot[:]) != nil {
		return ErrProof
	}
	return nil
}
