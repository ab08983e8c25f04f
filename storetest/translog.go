package storetest

import (
	"bytes"
	"context"
	"fmt"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/translog"
)

// logStore is a translog.Store over a transaction, as the ledger appends:
// each leaf it writes is logged as record <position>, with a fixed salt.
type logStore struct{ ledger.Tx }

func (s logStore) WriteLeaves(ctx context.Context, start int64, nodes []translog.Node) error {
	leaves := make([]ledger.LogLeaf, len(nodes))
	for i, n := range nodes {
		idx := start + int64(i)
		leaves[i] = ledger.LogLeaf{Index: idx, Kind: ledger.LogRecord, Ref: strconv.FormatInt(idx, 10), Data: n.Data, Salt: saltOf(idx), At: t0, Completes: n.Completes}
	}
	return s.InsertLeaves(ctx, leaves)
}

// saltOf is the fixture salt of leaf idx.
func saltOf(idx int64) (s [translog.SaltSize]byte) {
	s[0], s[1] = byte(idx), byte(idx>>8)
	return s
}

// appendLeaves appends leaves 0..n-1 (data "leaf <i>") in batches of the
// sizes given, through the store and through a MemStore, and returns the
// MemStore.
func appendLeaves(t *testing.T, s ledger.Store, batches ...int) *translog.MemStore {
	t.Helper()
	mem := &translog.MemStore{}
	next := 0
	for _, n := range batches {
		var data [][]byte
		for range n {
			data = append(data, fmt.Appendf(nil, "leaf %d", next))
			next++
		}
		mustUpdate(t, s, func(tx ledger.Tx) error {
			_, _, err := translog.Append(t.Context(), logStore{tx}, data...)
			return err
		})
		if _, _, err := translog.Append(t.Context(), mem, data...); err != nil {
			t.Fatal(err)
		}
	}
	return mem
}

// testLogTree checks that a store keeps the log's tree as the reference
// MemStore does: the same size, roots, proofs and tiles after appends of
// one leaf and of many, and leaves read back by position and by entry
// with their salts.
func testLogTree(t *testing.T, s ledger.Store) {
	mustView(t, s, func(tx ledger.Tx) error {
		n, err := tx.TreeSize(t.Context())
		if err != nil || n != 0 {
			t.Errorf("TreeSize of an empty log: got %d, %v; want 0, nil", n, err)
		}
		_, err = tx.LeafOf(t.Context(), ledger.LogRecord, "0")
		wantCode(t, "LeafOf in an empty log", err, tally.ENotFound)
		return nil
	})
	mem := appendLeaves(t, s, 1, 1, 300, 5)
	const size = 307
	mustView(t, s, func(tx ledger.Tx) error {
		ctx := t.Context()
		n, err := tx.TreeSize(ctx)
		if err != nil || n != size {
			t.Errorf("TreeSize: got %d, %v; want %d", n, err, size)
		}
		for _, sz := range []int64{0, 1, 2, 255, 256, 257, size} {
			got, err := translog.RootAt(ctx, tx, sz)
			want, _ := translog.RootAt(ctx, mem, sz)
			if err != nil || got != want {
				t.Errorf("RootAt(%d): got %v, %v; want %v", sz, got, err, want)
			}
		}
		got, err := translog.ProveInclusion(ctx, tx, 200, size)
		want, _ := translog.ProveInclusion(ctx, mem, 200, size)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("ProveInclusion(200, %d): got %v, %v; want %v", size, got, err, want)
		}
		for _, tile := range []translog.Tile{{Level: 0, Index: 0, Width: 256}, {Level: 0, Index: 1, Width: 51}, {Entries: true, Index: 1, Width: 51}} {
			got, err := translog.ReadTile(ctx, tx, size, tile)
			want, _ := translog.ReadTile(ctx, mem, size, tile)
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("ReadTile(%s): got %d bytes, %v; want the MemStore's %d", tile.Path(), len(got), err, len(want))
			}
		}
		leaves, err := tx.LogLeaves(ctx, 300, 10)
		if err != nil || len(leaves) != 7 {
			t.Fatalf("LogLeaves(300, 10): got %d leaves, %v; want the last 7", len(leaves), err)
		}
		l := leaves[2]
		if l.Index != 302 || l.Kind != ledger.LogRecord || l.Ref != "302" || string(l.Data) != "leaf 302" || l.Salt != saltOf(302) || !l.At.Equal(t0) {
			t.Errorf("LogLeaves(300, 10)[2] = %+v, want leaf 302 with its salt", l)
		}
		of, err := tx.LeafOf(ctx, ledger.LogRecord, "302")
		if err != nil || !reflect.DeepEqual(*of, l) {
			t.Errorf("LeafOf(record, 302): got %+v, %v; want %+v", of, err, l)
		}
		if _, err := tx.ReadLeaves(ctx, 300, 10); err == nil {
			t.Error("ReadLeaves past the end: got nil error")
		}
		all := make([]int64, size)
		for i := range all {
			all[i] = int64(i)
		}
		gotNodes, err := tx.ReadNodes(ctx, all)
		wantNodes, _ := mem.ReadNodes(ctx, all)
		if err != nil || !reflect.DeepEqual(gotNodes, wantNodes) {
			t.Errorf("ReadNodes of every leaf: got %d, %v; want the MemStore's %d, each with the hashes it completed", len(gotNodes), err, len(wantNodes))
		}
		if _, err := tx.ReadNodes(ctx, []int64{size}); err == nil {
			t.Error("ReadNodes past the end: got nil error")
		}
		return nil
	})
}

// testLogAppendOnce checks that a position or an entry is written once: a second write is EConflict.
func testLogAppendOnce(t *testing.T, s ledger.Store) {
	appendLeaves(t, s, 2)
	leaf := func(idx int64, ref string) []ledger.LogLeaf {
		return []ledger.LogLeaf{{Index: idx, Kind: ledger.LogRecord, Ref: ref, Data: []byte("x"), At: t0}}
	}
	for _, tc := range []struct {
		name string
		fn   func(tx ledger.Tx) error
	}{
		{"InsertLeaves at a used position", func(tx ledger.Tx) error { return tx.InsertLeaves(t.Context(), leaf(1, "new")) }},
		{"InsertLeaves of a logged entry", func(tx ledger.Tx) error { return tx.InsertLeaves(t.Context(), leaf(2, "1")) }},
	} {
		err := s.Update(t.Context(), tc.fn)
		wantCode(t, tc.name, err, tally.EConflict)
	}
}

// testLogCheckpoints checks that checkpoints are archived once a size, the
// latest is the largest tree, and a size not archived is ENotFound.
func testLogCheckpoints(t *testing.T, s ledger.Store) {
	mustView(t, s, func(tx ledger.Tx) error {
		_, err := tx.LatestCheckpoint(t.Context())
		wantCode(t, "LatestCheckpoint before the first", err, tally.ENotFound)
		return nil
	})
	cp := func(size int64) *ledger.LogCheckpoint {
		return &ledger.LogCheckpoint{Size: size, Root: translog.Hash{byte(size)}, At: t0.In(lima), Note: fmt.Appendf(nil, "note %d\n", size)}
	}
	for _, size := range []int64{0, 9, 4} {
		mustUpdate(t, s, func(tx ledger.Tx) error { return tx.InsertCheckpoint(t.Context(), cp(size)) })
	}
	err := s.Update(t.Context(), func(tx ledger.Tx) error { return tx.InsertCheckpoint(t.Context(), cp(9)) })
	wantCode(t, "InsertCheckpoint of an archived size", err, tally.EConflict)
	mustView(t, s, func(tx ledger.Tx) error {
		got, err := tx.LatestCheckpoint(t.Context())
		if err != nil || got.Size != 9 || got.Root != cp(9).Root || !got.At.Equal(t0) || string(got.Note) != "note 9\n" {
			t.Errorf("LatestCheckpoint: got %+v, %v; want the checkpoint of 9", got, err)
		}
		got, err = tx.CheckpointAt(t.Context(), 4)
		if err != nil || got.Size != 4 || string(got.Note) != "note 4\n" {
			t.Errorf("CheckpointAt(4): got %+v, %v; want the checkpoint of 4", got, err)
		}
		_, err = tx.CheckpointAt(t.Context(), 5)
		wantCode(t, "CheckpointAt(5)", err, tally.ENotFound)
		return nil
	})
}

// testLogUnlogged checks that Unlogged lists the entries of a kind that no
// leaf commits to, in key order (numbers as numbers), up to the limit, and
// that the entries it names read back by key.
func testLogUnlogged(t *testing.T, s ledger.Store) {
	ids := addSubjects(t, s, 1)
	enrol(t, s, scheme, ids[0])
	var rs []*tally.Record
	for i := range 11 {
		rs = append(rs, newRecord(scheme, ids[0], "volunteer", fmt.Sprint("u", i), t0, 1))
	}
	insertRecords(t, s, rs...)
	mustUpdate(t, s, func(tx ledger.Tx) error { return tx.InsertRulebook(t.Context(), newRulebook(scheme, 1)) })
	ref := func(r *tally.Record) string { return strconv.FormatInt(r.ID, 10) }
	// Log records 1 and 3 (by position in rs).
	mustUpdate(t, s, func(tx ledger.Tx) error {
		return tx.InsertLeaves(t.Context(), []ledger.LogLeaf{
			{Index: 0, Kind: ledger.LogRecord, Ref: ref(rs[1]), Data: []byte("a"), At: t0},
			{Index: 1, Kind: ledger.LogRecord, Ref: ref(rs[3]), Data: []byte("b"), At: t0},
		})
	})
	var want []string
	for i, r := range rs {
		if i != 1 && i != 3 {
			want = append(want, ref(r))
		}
	}
	mustView(t, s, func(tx ledger.Tx) error {
		ctx := t.Context()
		got, err := tx.Unlogged(ctx, ledger.LogRecord, "", 100)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("Unlogged(record, 100): got %v, %v; want %v", got, err, want)
		}
		got, err = tx.Unlogged(ctx, ledger.LogRecord, "", 2)
		if err != nil || !reflect.DeepEqual(got, want[:2]) {
			t.Errorf("Unlogged(record, 2): got %v, %v; want %v", got, err, want[:2])
		}
		got, err = tx.Unlogged(ctx, ledger.LogRecord, want[2], 100)
		if err != nil || !reflect.DeepEqual(got, want[3:]) {
			t.Errorf("Unlogged(record, after %s, 100): got %v, %v; want %v", want[2], got, err, want[3:])
		}
		_, err = tx.Unlogged(ctx, ledger.LogRecord, "x", 100)
		wantCode(t, "Unlogged after a key that is no record's", err, tally.EInvalid)
		got, err = tx.Unlogged(ctx, ledger.LogRulebook, "", 10)
		if err != nil || !reflect.DeepEqual(got, []string{scheme + "/1"}) {
			t.Errorf("Unlogged(rulebook): got %v, %v; want [%s/1]", got, err, scheme)
		}
		for _, kind := range ledger.LogKinds {
			if _, err := tx.Unlogged(ctx, kind, "", 1); err != nil {
				t.Errorf("Unlogged(%s): %v", kind, err)
			}
		}
		_, err = tx.Unlogged(ctx, "no-such-kind", "", 1)
		wantCode(t, "Unlogged of an unknown kind", err, tally.EInvalid)
		return nil
	})
}

// testLogEntryReads checks the reads by key the log's self-check needs:
// a list entry with its removal, a removal, a catalogue version.
func testLogEntryReads(t *testing.T, s ledger.Store) {
	ids := addSubjects(t, s, 1)
	e := newEntry(ids[0], 1, "dishonest", "(2024)鲁1082执1号")
	rm := &tally.ListRemoval{Reason: tally.Performed, On: t0.Add(48 * time.Hour), Note: "paid", RecordedAt: t0.Add(49 * time.Hour), RecordedBy: "court-7"}
	c := &tally.CatalogueVersion{Version: 3, PublishedAt: t0, PublishedBy: "admin", Digest: "d3", Source: []byte("catalogue: v3\n")}
	mustUpdate(t, s, func(tx ledger.Tx) error {
		if err := tx.InsertListEntry(t.Context(), e); err != nil {
			return err
		}
		rm.EntryID = e.ID
		if err := tx.InsertRemoval(t.Context(), rm); err != nil {
			return err
		}
		return tx.InsertCatalogue(t.Context(), c)
	})
	mustView(t, s, func(tx ledger.Tx) error {
		ctx := t.Context()
		ge, err := tx.ListEntryByID(ctx, e.ID)
		if err != nil || ge.CaseNumber != e.CaseNumber || ge.Name != e.Name || ge.Removal == nil || ge.Removal.ID != rm.ID {
			t.Errorf("ListEntryByID: got %+v, %v; want the entry with its removal", ge, err)
		}
		gr, err := tx.RemovalByID(ctx, rm.ID)
		if err != nil || gr.EntryID != e.ID || gr.Note != "paid" || !gr.On.Equal(rm.On) {
			t.Errorf("RemovalByID: got %+v, %v; want %+v", gr, err, rm)
		}
		gc, err := tx.CatalogueByVersion(ctx, 3)
		if err != nil || gc.Digest != "d3" || string(gc.Source) != "catalogue: v3\n" {
			t.Errorf("CatalogueByVersion(3): got %+v, %v", gc, err)
		}
		_, err = tx.ListEntryByID(ctx, 1<<40)
		wantCode(t, "ListEntryByID(unknown)", err, tally.ENotFound)
		_, err = tx.RemovalByID(ctx, 1<<40)
		wantCode(t, "RemovalByID(unknown)", err, tally.ENotFound)
		_, err = tx.CatalogueByVersion(ctx, 4)
		wantCode(t, "CatalogueByVersion(unknown)", err, tally.ENotFound)
		return nil
	})
}
