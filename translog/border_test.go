package translog_test

import (
	"context"
	"testing"

	"github.com/tallycredit/tally/translog"
)

// TestAppendFromKeptBorder: appends that start from the border a writer
// kept give the tree appends that read it give, also when another writer
// appended in between and when the border is of a larger tree than
// the store's (its append was undone).
func TestAppendFromKeptBorder(t *testing.T) {
	ctx := context.Background()
	s := &translog.MemStore{}
	var kept translog.Border
	i := 0
	appendKept := func(n int) {
		t.Helper()
		var leaves [][]byte
		for range n {
			leaves = append(leaves, leafData(i))
			i++
		}
		b, root, err := translog.AppendFrom(ctx, s, &kept, leaves...)
		if err != nil {
			t.Fatal(err)
		}
		all, err := s.ReadLeaves(ctx, 0, int(b.Size))
		if err != nil {
			t.Fatal(err)
		}
		if want := translog.Hash(mth(all)); root != want {
			t.Fatalf("after %d leaves the root is %x, want %x", b.Size, root, want)
		}
		kept = b
	}
	appendKept(1)
	appendKept(5)
	appendKept(2)
	// Another writer appends: the kept border is of a smaller tree.
	mustAppend(t, s, leafData(i))
	i++
	appendKept(3)
	// An append whose border was kept is undone: the store is smaller.
	kept = translog.Border{Size: kept.Size + 4, Hashes: append(kept.Hashes, translog.Hash{1})}
	appendKept(1)
	appendKept(7)
}
