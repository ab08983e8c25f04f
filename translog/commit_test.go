package translog_test

import (
	"bytes"
	"testing"

	"github.com/tallycredit/tally/translog"
)

// A leaf is the version byte and SHA-256 over the label, the salt and the
// entry; without the salt it matches nothing computed from the entry.
func TestCommit(t *testing.T) {
	entry := []byte(`{"subject":"110101199003074514","points":-5}`)
	salt := translog.NewSalt()
	leaf := translog.Commit(entry, salt)
	want := sum([]byte("tally translog commitment v1\x00"), salt[:], entry)
	if !bytes.Equal(leaf, append([]byte{translog.CommitmentVersion}, want[:]...)) || len(leaf) != translog.CommitmentSize {
		t.Fatalf("Commit = %x, want 01%x", leaf, want)
	}
	if !translog.Commits(leaf, entry, salt) {
		t.Error("Commits refuses the entry under its own salt")
	}
	other := translog.NewSalt()
	if other == salt {
		t.Fatal("NewSalt gave the same salt twice")
	}
	if bytes.Equal(translog.Commit(entry, other), leaf) || translog.Commits(leaf, entry, other) {
		t.Error("the same entry under another salt makes the same leaf")
	}
	if translog.Commits(leaf, entry, [translog.SaltSize]byte{}) {
		t.Error("the entry under the zero salt makes the same leaf")
	}
	if translog.Commits(leaf, append(entry, ' '), salt) {
		t.Error("another entry under the salt makes the same leaf")
	}
	plain, leafHash := sum(entry), translog.LeafHash(entry)
	for _, guess := range [][]byte{entry, plain[:], leafHash[:], []byte("110101199003074514")} {
		if bytes.Contains(leaf, guess) {
			t.Errorf("the leaf contains %x", guess)
		}
	}
}
