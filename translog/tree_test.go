package translog_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/translog"
	"golang.org/x/mod/sumdb/tlog"
)

// tlogStore is golang.org/x/mod/sumdb/tlog's own bookkeeping of a log:
// the reference the package is checked against, sharing no code with it.
type tlogStore map[int64]tlog.Hash

func (s tlogStore) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		h, ok := s[x]
		if !ok {
			return nil, fmt.Errorf("tlog reference: no hash %d", x)
		}
		out[i] = h
	}
	return out, nil
}

// add records leaf n in the reference.
func (s tlogStore) add(tb testing.TB, n int64, data []byte) {
	tb.Helper()
	hs, err := tlog.StoredHashes(n, data, s)
	if err != nil {
		tb.Fatal(err)
	}
	for i, h := range hs {
		s[tlog.StoredHashIndex(0, n)+int64(i)] = h
	}
}

// root is the reference's tree hash at size n.
func (s tlogStore) root(tb testing.TB, n int64) tlog.Hash {
	tb.Helper()
	h, err := tlog.TreeHash(n, s)
	if err != nil {
		tb.Fatal(err)
	}
	return h
}

// Appending one leaf at a time up to 1000 leaves gives, at every size,
// tlog's root, tlog's stored hashes at the same indexes, and proofs that
// tlog's CheckRecord and CheckTree accept.
func TestAppendMatchesTlog(t *testing.T) {
	ctx := context.Background()
	s := &translog.MemStore{}
	ref := tlogStore{}
	roots := []translog.Hash{translog.EmptyRoot()}
	for n := int64(1); n <= 1000; n++ {
		data := leafData(int(n - 1))
		size, root := mustAppend(t, s, data)
		ref.add(t, n-1, data)
		if size != n {
			t.Fatalf("size %d after %d appends", size, n)
		}
		if want := ref.root(t, n); root != translog.Hash(want) {
			t.Fatalf("size %d: root %s, tlog says %s", n, root, want)
		}
		roots = append(roots, root)
		checkProofs(t, s, ref, roots, n)
	}
	count := tlog.StoredHashCount(1000)
	for x := range count {
		got, err := translog.ReadHashes(ctx, s, []int64{x})
		if err != nil || got[0] != translog.Hash(ref[x]) {
			t.Fatalf("stored hash %d: %v, %v; tlog stores %v", x, got, err, ref[x])
		}
	}
	if _, err := translog.ReadHashes(ctx, s, []int64{count}); err == nil {
		t.Errorf("a hash beyond tlog's %d is stored", count)
	}
	for n, want := range roots {
		if got, err := translog.RootAt(ctx, s, int64(n)); err != nil || got != want {
			t.Fatalf("RootAt(%d) = %s, %v; want %s", n, got, err, want)
		}
	}
	if got, err := translog.Recompute(ctx, s, 1000); err != nil || got != roots[1000] {
		t.Errorf("Recompute = %s, %v; want %s", got, err, roots[1000])
	}
}

// checkProofs proves, in the tree of size n, a few leaves (every leaf
// while n is small) and the consistency with a few earlier sizes, checks
// each with tlog and with the proof's own Verify, and sees a changed proof
// fail.
func checkProofs(t *testing.T, s *translog.MemStore, ref tlogStore, roots []translog.Hash, n int64) {
	t.Helper()
	ctx := context.Background()
	picks := []int64{0, n / 3, n / 2, n - 1}
	if n <= 40 {
		picks = picks[:0]
		for i := range n {
			picks = append(picks, i)
		}
	}
	for _, i := range picks {
		p, err := translog.ProveInclusion(ctx, s, i, n)
		if err != nil {
			t.Fatalf("ProveInclusion(%d, %d): %v", i, n, err)
		}
		data := leafData(int(i))
		if err := tlog.CheckRecord(tlogPath(p.Path), n, tlog.Hash(roots[n]), i, tlog.RecordHash(data)); err != nil {
			t.Fatalf("tlog refuses the inclusion proof of %d in %d: %v", i, n, err)
		}
		if err := p.Verify(data, roots[n]); err != nil {
			t.Fatalf("inclusion of %d in %d: %v", i, n, err)
		}
		if p.Verify(leafData(int(i)+1), roots[n]) == nil {
			t.Fatalf("inclusion of %d in %d holds for another leaf", i, n)
		}
		if len(p.Path) > 0 {
			p.Path[len(p.Path)-1][0] ^= 1
			if err := p.Verify(data, roots[n]); !errors.Is(err, translog.ErrProof) {
				t.Fatalf("a changed inclusion proof of %d in %d: %v, want ErrProof", i, n, err)
			}
		}
	}
	for _, m := range picks {
		p, err := translog.ProveConsistency(ctx, s, m, n)
		if err != nil {
			t.Fatalf("ProveConsistency(%d, %d): %v", m, n, err)
		}
		if err := tlog.CheckTree(tlogPath(p.Path), n, tlog.Hash(roots[n]), m, tlog.Hash(roots[m])); m > 0 && err != nil {
			t.Fatalf("tlog refuses the consistency proof %d→%d: %v", m, n, err)
		}
		if err := p.Verify(roots[m], roots[n]); err != nil {
			t.Fatalf("consistency %d→%d: %v", m, n, err)
		}
		if m > 0 && m < n && p.Verify(roots[m-1], roots[n]) == nil {
			t.Fatalf("consistency %d→%d holds from the root of %d", m, n, m-1)
		}
	}
}

func tlogPath(path []translog.Hash) []tlog.Hash {
	out := make([]tlog.Hash, len(path))
	for i, h := range path {
		out[i] = tlog.Hash(h)
	}
	return out
}

// Appending in batches of many sizes stores the same hashes and roots as
// appending one leaf at a time.
func TestAppendInBatches(t *testing.T) {
	ctx := context.Background()
	one := mustLog(t, 1000)
	s := &translog.MemStore{}
	next := 0
	for _, batch := range []int{1, 2, 3, 7, 100, 255, 256, 257, 119} {
		var leaves [][]byte
		for range batch {
			leaves = append(leaves, leafData(next))
			next++
		}
		size, root := mustAppend(t, s, leaves...)
		want, err := translog.RootAt(ctx, one, size)
		if err != nil {
			t.Fatal(err)
		}
		if size != int64(next) || root != want {
			t.Fatalf("after a batch of %d: size %d, root %s; want %d, %s", batch, size, root, next, want)
		}
	}
	size, root := mustAppend(t, s)
	if want, _ := translog.RootAt(ctx, one, 1000); size != 1000 || root != want {
		t.Errorf("appending nothing: %d, %s; want 1000, %s", size, root, want)
	}
	got, _ := translog.ReadHashes(ctx, s, []int64{tlog.StoredHashCount(1000) - 1})
	want, _ := translog.ReadHashes(ctx, one, []int64{tlog.StoredHashCount(1000) - 1})
	if got[0] != want[0] {
		t.Errorf("last stored hash %s, one at a time %s", got[0], want[0])
	}
}

// Proofs and roots of a tree the log does not have yet, and leaves too
// long for an entry bundle, are refused.
func TestOutOfRange(t *testing.T) {
	ctx := context.Background()
	s := mustLog(t, 10)
	for name, err := range map[string]error{
		"RootAt(11)":              second(translog.RootAt(ctx, s, 11)),
		"RootAt(-1)":              second(translog.RootAt(ctx, s, -1)),
		"Recompute(11)":           second(translog.Recompute(ctx, s, 11)),
		"ProveInclusion(10, 10)":  second(translog.ProveInclusion(ctx, s, 10, 10)),
		"ProveInclusion(0, 11)":   second(translog.ProveInclusion(ctx, s, 0, 11)),
		"ProveInclusion(-1, 5)":   second(translog.ProveInclusion(ctx, s, -1, 5)),
		"ProveConsistency(5, 11)": second(translog.ProveConsistency(ctx, s, 5, 11)),
	} {
		if tally.ErrorCodeOf(err) != tally.ENotFound {
			t.Errorf("%s: %v, want not found", name, err)
		}
	}
	if _, err := translog.ProveConsistency(ctx, s, 6, 5); tally.ErrorCodeOf(err) != tally.EInvalid {
		t.Errorf("ProveConsistency(6, 5): %v, want invalid", err)
	}
	if _, _, err := translog.Append(ctx, s, make([]byte, translog.MaxLeafSize+1)); tally.ErrorCodeOf(err) != tally.EInvalid {
		t.Errorf("a leaf of %d bytes: %v, want invalid", translog.MaxLeafSize+1, err)
	}
	if n, _ := s.TreeSize(ctx); n != 10 {
		t.Errorf("a refused append changed the size to %d", n)
	}
}

func second[T any](_ T, err error) error { return err }

// tamperedLeaves serves a log with one leaf changed, as an edit in the
// database would.
type tamperedLeaves struct {
	translog.Reader
	at int64
}

func (r tamperedLeaves) ReadLeaves(ctx context.Context, start int64, n int) ([][]byte, error) {
	leaves, err := r.Reader.ReadLeaves(ctx, start, n)
	if err == nil && r.at >= start && r.at < start+int64(n) {
		leaves[r.at-start] = []byte("edited")
	}
	return leaves, err
}

// Recompute, which reads only the leaves, disagrees with the stored
// hashes when a leaf was changed.
func TestRecomputeSeesAnEditedLeaf(t *testing.T) {
	ctx := context.Background()
	s := mustLog(t, 5000)
	root, err := translog.RootAt(ctx, s, 5000)
	if err != nil {
		t.Fatal(err)
	}
	got, err := translog.Recompute(ctx, tamperedLeaves{s, 4321}, 5000)
	if err != nil {
		t.Fatal(err)
	}
	if got == root {
		t.Error("Recompute gives the stored root after a leaf was edited")
	}
}
