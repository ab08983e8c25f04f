package translog_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"testing"

	"github.com/tallycredit/tally/translog"
)

// leafData returns a distinct leaf for position i, as a commitment would
// be, of varying lengths.
func leafData(i int) []byte {
	return []byte(fmt.Sprintf("entry %d %s", i, make([]byte, i%5)))
}

// mustAppend appends leaves to s and returns the new size and root.
func mustAppend(tb testing.TB, s translog.Store, leaves ...[]byte) (int64, translog.Hash) {
	tb.Helper()
	n, root, err := translog.Append(context.Background(), s, leaves...)
	if err != nil {
		tb.Fatal(err)
	}
	return n, root
}

// mustLog returns a log of n leaves made by leafData.
func mustLog(tb testing.TB, n int) *translog.MemStore {
	tb.Helper()
	s := &translog.MemStore{}
	var leaves [][]byte
	for i := range n {
		leaves = append(leaves, leafData(i))
	}
	mustAppend(tb, s, leaves...)
	return s
}

// sum is SHA-256 over the concatenation of parts.
func sum(parts ...[]byte) [32]byte {
	h := sha256.New()
	for _, p := range parts {
		h.Write(p)
	}
	return [32]byte(h.Sum(nil))
}

// mth is the Merkle Tree Hash of RFC 6962, section 2.1, written from the
// definition: the reference the package is held to.
func mth(leaves [][]byte) [32]byte {
	switch n := len(leaves); n {
	case 0:
		return sum()
	case 1:
		return sum([]byte{0}, leaves[0])
	default:
		k := 1
		for k*2 < n {
			k *= 2
		}
		l, r := mth(leaves[:k]), mth(leaves[k:])
		return sum([]byte{1}, l[:], r[:])
	}
}
