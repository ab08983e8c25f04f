package checkindex_test

import (
	"crypto/sha256"
	"fmt"
	"testing"
	"time"

	"github.com/tallycredit/tally/checkindex"
)

func hashOf(n int) [checkindex.HashSize]byte {
	return sha256.Sum256(fmt.Appendf(nil, "subject %d", n))
}

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func TestIndex(t *testing.T) {
	var x checkindex.Index
	zhang := checkindex.NameTag("张三")
	if got := x.Check(&[32]byte{}, ^uint64(0), checkindex.Seconds(t0), zhang, true); got.Listed || got.NameMismatch {
		t.Fatalf("empty index: %+v, want nothing", got)
	}
	var es []checkindex.Entry
	for n := 1; n <= 5000; n++ { // enough to grow the slot table several times
		es = append(es, checkindex.Entry{ID: int64(n), Hash: hashOf(n), List: uint8(n % 2), Start: t0, End: t0.AddDate(2, 0, 0), Name: zhang})
	}
	// Subject 7 listed again on list 3, from a year on.
	es = append(es, checkindex.Entry{ID: 6000, Hash: hashOf(7), List: 3, Start: t0.AddDate(1, 0, 0), End: t0.AddDate(3, 0, 0), Name: checkindex.NameTag("张 三")})
	x.Add(es[:100])
	x.Add(es[100:])
	x.Add(es[:10]) // again: ignored
	if x.Len() != 5001 || x.LastID() != 6000 {
		t.Fatalf("Len %d, LastID %d; want 5001, 6000", x.Len(), x.LastID())
	}
	at := checkindex.Seconds(t0.Add(time.Hour))
	list := func(ns ...int) uint64 {
		var m uint64
		for _, n := range ns {
			m |= 1 << n
		}
		return m
	}
	h7, h8 := hashOf(7), hashOf(8)
	tests := []struct {
		name  string
		hash  [32]byte
		mask  uint64
		at    uint32
		nm    string
		check bool
		want  checkindex.Result
	}{
		{"listed on a restricting list", h7, list(1), at, "张三", true, checkindex.Result{Listed: true, EntryID: 7}},
		{"listed on another list", h7, list(0), at, "张三", true, checkindex.Result{}},
		{"name case and spaces ignored", h7, list(1), at, " 张三 ", true, checkindex.Result{Listed: true, EntryID: 7}},
		{"name mismatch", h7, list(1), at, "李四", true, checkindex.Result{NameMismatch: true, EntryID: 7}},
		{"name not checked", h7, list(1), at, "李四", false, checkindex.Result{Listed: true, EntryID: 7}},
		{"before the notice", h8, list(0), checkindex.Seconds(t0) - 1, "张三", true, checkindex.Result{}},
		{"at the notice", h8, list(0), checkindex.Seconds(t0), "张三", true, checkindex.Result{Listed: true, EntryID: 8}},
		{"at the end", h8, list(0), checkindex.Seconds(t0.AddDate(2, 0, 0)), "张三", true, checkindex.Result{}},
		{"second entry not yet", h7, list(3), at, "张三", true, checkindex.Result{}},
		{"second entry in effect", h7, list(3), checkindex.Seconds(t0.AddDate(2, 6, 0)), "张三", true, checkindex.Result{Listed: true, EntryID: 6000}},
		{"unknown subject", hashOf(99999), ^uint64(0), at, "张三", true, checkindex.Result{}},
	}
	for _, tc := range tests {
		if got := x.Check(&tc.hash, tc.mask, tc.at, checkindex.NameTag(tc.nm), tc.check); got != tc.want {
			t.Errorf("%s: got %+v, want %+v", tc.name, got, tc.want)
		}
	}
	// A removal: from its second on, the entry restricts nothing.
	removed := t0.Add(2 * time.Hour)
	if !x.End(8, removed) {
		t.Fatal("End(8) did not find entry 8")
	}
	if x.End(5500, removed) {
		t.Error("End(5500) found an entry that does not exist")
	}
	if got := x.Check(&h8, list(0), checkindex.Seconds(removed)-1, 0, false); !got.Listed {
		t.Errorf("a second before the removal: %+v, want listed", got)
	}
	if got := x.Check(&h8, list(0), checkindex.Seconds(removed), 0, false); got.Listed {
		t.Errorf("at the removal: %+v, want not listed", got)
	}
	x.End(8, t0.AddDate(5, 0, 0)) // a later end never lengthens an entry
	if got := x.Check(&h8, list(0), checkindex.Seconds(removed), 0, false); got.Listed {
		t.Errorf("after a later End: %+v, want still not listed", got)
	}
	hashes := [][32]byte{h7, h8, hashOf(3)}
	out := make([]checkindex.Result, 3)
	x.CheckMany(hashes, []uint32{zhang, zhang, zhang}, list(1), at, true, out)
	if !out[0].Listed || out[1].Listed || !out[2].Listed {
		t.Errorf("CheckMany = %+v, want listed, not listed, listed", out)
	}
}
