package translog_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/tallycredit/tally/translog"
)

// The hashes are RFC 6962's, computed here from the definition: leaf
// SHA-256(0x00 || d), node SHA-256(0x01 || l || r), the empty tree
// SHA-256 of nothing.
func TestRFC6962Hashing(t *testing.T) {
	if got, want := translog.EmptyRoot(), translog.Hash(sum()); got != want {
		t.Errorf("empty root %s, want SHA-256(\"\") %s", got, want)
	}
	if got, want := translog.LeafHash([]byte("d0")), translog.Hash(sum([]byte{0}, []byte("d0"))); got != want {
		t.Errorf("leaf hash %s, want %s", got, want)
	}
	// Three leaves by hand: root = H(1 || H(1 || h0 || h1) || h2).
	h0, h1, h2 := sum([]byte{0}, []byte("d0")), sum([]byte{0}, []byte("d1")), sum([]byte{0}, []byte("d2"))
	left := sum([]byte{1}, h0[:], h1[:])
	three := sum([]byte{1}, left[:], h2[:])
	s := &translog.MemStore{}
	_, root := mustAppend(t, s, []byte("d0"), []byte("d1"), []byte("d2"))
	if root != translog.Hash(three) {
		t.Errorf("root of three leaves %s, want %s", root, translog.Hash(three))
	}
	// Every size up to 70, against the recursive definition.
	s = &translog.MemStore{}
	var leaves [][]byte
	for i := range 70 {
		leaves = append(leaves, leafData(i))
		_, root := mustAppend(t, s, leafData(i))
		if want := translog.Hash(mth(leaves)); root != want {
			t.Fatalf("size %d: root %s, want %s", i+1, root, want)
		}
	}
	got, err := translog.RootAt(context.Background(), s, 0)
	if err != nil || got != translog.EmptyRoot() {
		t.Errorf("RootAt(0) = %s, %v; want the empty root", got, err)
	}
}

// A hash is standard base64 in text and JSON, and nothing else reads as
// one.
func TestHashText(t *testing.T) {
	h := translog.LeafHash([]byte("x"))
	b, err := json.Marshal(struct{ H translog.Hash }{h})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"H":"` + h.String() + `"}`; string(b) != want {
		t.Errorf("JSON %s, want %s", b, want)
	}
	var back struct{ H translog.Hash }
	if err := json.Unmarshal(b, &back); err != nil || back.H != h {
		t.Errorf("round trip %v, %v", back.H, err)
	}
	for _, bad := range []string{"", "AAAA", h.String()[:43], h.String() + "=", "!" + h.String()[1:]} {
		if _, err := translog.ParseHash(bad); err == nil {
			t.Errorf("ParseHash(%q): no error", bad)
		}
	}
}
