package storetest

import (
	"fmt"
	"reflect"
	"strconv"
	"testing"

	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/translog"
	"golang.org/x/mod/sumdb/tlog"
)

// LogAsOf0017 returns a log of n leaves (data "leaf <i>", logged as
// record <i>) as tally kept it before migration 0018: the rows of
// log_leaves (idx, kind, ref, data, salt, at) and of log_hashes (id,
// hash), every hash of the tree at tlog's stored-hash index, computed
// here with tlog rather than with the code that reads them back; and the
// same log in a MemStore.
func LogAsOf0017(tb testing.TB, n int) (leaves, hashes [][]any, mem *translog.MemStore) {
	tb.Helper()
	stored := map[int64]tlog.Hash{}
	reader := tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(indexes))
		for i, x := range indexes {
			out[i] = stored[x]
		}
		return out, nil
	})
	var data [][]byte
	for i := range int64(n) {
		d := fmt.Appendf(nil, "leaf %d", i)
		hs, err := tlog.StoredHashes(i, d, reader)
		if err != nil {
			tb.Fatal(err)
		}
		first := tlog.StoredHashIndex(0, i)
		for j, h := range hs {
			stored[first+int64(j)] = h
			hashes = append(hashes, []any{first + int64(j), h[:]})
		}
		salt := saltOf(i)
		leaves = append(leaves, []any{i, string(ledger.LogRecord), strconv.FormatInt(i, 10), d, salt[:], t0.UnixMicro()})
		data = append(data, d)
	}
	mem = &translog.MemStore{}
	if _, _, err := translog.Append(tb.Context(), mem, data...); err != nil {
		tb.Fatal(err)
	}
	return leaves, hashes, mem
}

// CheckLogAfter0018 checks a store opened on a database whose log of
// len(mem) leaves was written before migration 0018 (LogAsOf0017): it
// reads the old leaves' hashes from log_hashes and the new leaves' from
// the leaves, so that appends go on from the old tree, and roots, proofs
// and tiles across the two agree with the MemStore's.
func CheckLogAfter0018(t *testing.T, s ledger.Store, mem *translog.MemStore) {
	t.Helper()
	ctx := t.Context()
	old, _ := mem.TreeSize(ctx)
	next := old
	for _, batch := range []int64{1, 6, 300} {
		var data [][]byte
		for range batch {
			data = append(data, fmt.Appendf(nil, "leaf %d", next))
			next++
		}
		mustUpdate(t, s, func(tx ledger.Tx) error {
			_, _, err := translog.Append(ctx, logStore{tx}, data...)
			return err
		})
		if _, _, err := translog.Append(ctx, mem, data...); err != nil {
			t.Fatal(err)
		}
	}
	mustView(t, s, func(tx ledger.Tx) error {
		for _, size := range []int64{old, old + 1, old + 7, next} {
			got, err := translog.RootAt(ctx, tx, size)
			want, _ := translog.RootAt(ctx, mem, size)
			if err != nil || got != want {
				t.Errorf("RootAt(%d) after 0018 (%d leaves from before): got %v, %v; want %v", size, old, got, err, want)
			}
		}
		for _, leaf := range []int64{0, old - 1, old, next - 1} {
			got, err := translog.ProveInclusion(ctx, tx, leaf, next)
			want, _ := translog.ProveInclusion(ctx, mem, leaf, next)
			if err != nil || !reflect.DeepEqual(got, want) {
				t.Errorf("ProveInclusion(%d, %d) after 0018: got %v, %v; want %v", leaf, next, got, err, want)
			}
		}
		got, err := translog.ProveConsistency(ctx, tx, old, next)
		want, _ := translog.ProveConsistency(ctx, mem, old, next)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("ProveConsistency(%d, %d) after 0018: got %v, %v; want %v", old, next, got, err, want)
		}
		tile := translog.Tile{Level: 0, Index: 0, Width: translog.TileWidth}
		gotTile, err := translog.ReadTile(ctx, tx, next, tile)
		wantTile, _ := translog.ReadTile(ctx, mem, next, tile)
		if err != nil || !reflect.DeepEqual(gotTile, wantTile) {
			t.Errorf("ReadTile(%s) after 0018: got %d bytes, %v; want the MemStore's %d", tile.Path(), len(gotTile), err, len(wantTile))
		}
		return nil
	})
}
