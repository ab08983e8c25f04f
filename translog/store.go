package translog

import (
	"context"
	"fmt"
	"sync"
)

// Reader is what proofs, roots and tiles need of a log's storage. Hashes
// are kept by the index golang.org/x/mod/sumdb/tlog's StoredHashIndex gives
// each node of a perfect subtree (level, n): one int64 key, so that a SQL
// store needs one table of (index, hash) and one of (position, leaf).
type Reader interface {
	// TreeSize returns the number of leaves in the log.
	TreeSize(ctx context.Context) (int64, error)
	// ReadHashes returns the hashes stored at indexes, in the same order;
	// a missing hash is an error.
	ReadHashes(ctx context.Context, indexes []int64) ([]Hash, error)
	// ReadLeaves returns the data of the n leaves from position start; a
	// missing leaf is an error.
	ReadLeaves(ctx context.Context, start int64, n int) ([][]byte, error)
}

// Store is a log's storage: a Reader that Append can write to. Hashes and
// leaves are never changed once written. Append writes the hashes before
// the leaves, so that a store that counts its leaves for TreeSize never
// shows a size whose hashes are not there yet.
type Store interface {
	Reader
	// WriteHashes stores hashes at indexes (the two have the same length).
	WriteHashes(ctx context.Context, indexes []int64, hashes []Hash) error
	// WriteLeaves stores the data of leaves from position start, which is
	// the current TreeSize.
	WriteLeaves(ctx context.Context, start int64, leaves [][]byte) error
}

// MemStore is a Store in memory, for tests and tools. It is safe for
// concurrent use; its zero value is an empty log.
type MemStore struct {
	mu     sync.RWMutex
	hashes map[int64]Hash
	leaves [][]byte
}

var _ Store = (*MemStore)(nil)

// TreeSize returns the number of leaves written.
func (m *MemStore) TreeSize(context.Context) (int64, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return int64(len(m.leaves)), nil
}

// ReadHashes returns the hashes at indexes.
func (m *MemStore) ReadHashes(_ context.Context, indexes []int64) ([]Hash, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := make([]Hash, len(indexes))
	for i, x := range indexes {
		h, ok := m.hashes[x]
		if !ok {
			return nil, fmt.Errorf("translog: no hash at index %d", x)
		}
		out[i] = h
	}
	return out, nil
}

// ReadLeaves returns the data of leaves [start, start+n).
func (m *MemStore) ReadLeaves(_ context.Context, start int64, n int) ([][]byte, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if start < 0 || n < 0 || start+int64(n) > int64(len(m.leaves)) {
		return nil, fmt.Errorf("translog: no leaves [%d, %d) in a log of %d", start, start+int64(n), len(m.leaves))
	}
	return append([][]byte(nil), m.leaves[start:start+int64(n)]...), nil
}

// WriteHashes stores hashes; rewriting a hash with another value is an
// error, as a unique key would make it in SQL.
func (m *MemStore) WriteHashes(_ context.Context, indexes []int64, hashes []Hash) error {
	if len(indexes) != len(hashes) {
		return fmt.Errorf("translog: %d indexes for %d hashes", len(indexes), len(hashes))
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.hashes == nil {
		m.hashes = map[int64]Hash{}
	}
	for i, x := range indexes {
		if old, ok := m.hashes[x]; ok && old != hashes[i] {
			return fmt.Errorf("translog: the hash at index %d is already written", x)
		}
		m.hashes[x] = hashes[i]
	}
	return nil
}

// WriteLeaves appends leaves, which must start at the current size.
func (m *MemStore) WriteLeaves(_ context.Context, start int64, leaves [][]byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if start != int64(len(m.leaves)) {
		return fmt.Errorf("translog: leaves written at %d in a log of %d", start, len(m.leaves))
	}
	for _, l := range leaves {
		m.leaves = append(m.leaves, append([]byte(nil), l...))
	}
	return nil
}
