package translog

import (
	"context"
	"fmt"
	"sync"
)

// Node is a leaf as a Store keeps it: its data and the hashes of the
// perfect subtrees its append completed, Completes[i] the one of level
// i+1 (a leaf at position m completes as many levels as m has trailing
// one bits). The leaf's own hash is not kept: it is LeafHash(Data). So a
// SQL store keeps the whole tree in one row a leaf, and an append writes
// one row an entry rather than one for each hash.
type Node struct {
	Data      []byte
	Completes []Hash
}

// Reader is what proofs, roots and tiles need of a log's storage: its
// leaves by position.
type Reader interface {
	// TreeSize returns the number of leaves in the log.
	TreeSize(ctx context.Context) (int64, error)
	// ReadNodes returns the leaves at positions, in the same order, with
	// the hashes each completed; a missing leaf is an error.
	ReadNodes(ctx context.Context, positions []int64) ([]Node, error)
	// ReadLeaves returns the data of the n leaves from position start; a
	// missing leaf is an error.
	ReadLeaves(ctx context.Context, start int64, n int) ([][]byte, error)
}

// Store is a log's storage: a Reader that Append can write to. Leaves are
// never changed once written.
type Store interface {
	Reader
	// WriteLeaves stores leaves from position start, which is the current
	// TreeSize.
	WriteLeaves(ctx context.Context, start int64, leaves []Node) error
}

// MemStore is a Store in memory, for tests and tools. It is safe for
// concurrent use; its zero value is an empty log.
type MemStore struct {
	mu    sync.RWMutex
	nodes []Node
}

var _ Store = (*MemStore)(nil)

// TreeSize returns the number of leaves written.
func (m *MemStore) TreeSize(context.Context) (int64, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return int64(len(m.nodes)), nil
}

// ReadNodes returns the leaves at positions.
func (m *MemStore) ReadNodes(_ context.Context, positions []int64) ([]Node, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := make([]Node, len(positions))
	for i, p := range positions {
		if p < 0 || p >= int64(len(m.nodes)) {
			return nil, fmt.Errorf("translog: no leaf at position %d in a log of %d", p, len(m.nodes))
		}
		out[i] = m.nodes[p]
	}
	return out, nil
}

// ReadLeaves returns the data of leaves [start, start+n).
func (m *MemStore) ReadLeaves(_ context.Context, start int64, n int) ([][]byte, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if start < 0 || n < 0 || start+int64(n) > int64(len(m.nodes)) {
		return nil, fmt.Errorf("translog: no leaves [%d, %d) in a log of %d", start, start+int64(n), len(m.nodes))
	}
	out := make([][]byte, n)
	for i := range out {
		out[i] = m.nodes[start+int64(i)].Data
	}
	return out, nil
}

// WriteLeaves appends leaves, which must start at the current size.
func (m *MemStore) WriteLeaves(_ context.Context, start int64, leaves []Node) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if start != int64(len(m.nodes)) {
		return fmt.Errorf("translog: leaves written at %d in a log of %d", start, len(m.nodes))
	}
	for _, l := range leaves {
		m.nodes = append(m.nodes, Node{Data: append([]byte(nil), l.Data...), Completes: append([]Hash(nil), l.Completes...)})
	}
	return nil
}
