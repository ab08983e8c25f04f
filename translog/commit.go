package translog

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
)

// A leaf of the log is a commitment to an entry, never the entry: one
// version byte, then SHA-256 over a label that no other hash in tally
// starts with, the entry's 32-byte secret salt and the entry's canonical
// bytes. Without the salt nobody can test a guess (an identity number, a
// name, a whole record) against a leaf, so the tree can be published; with
// it, the entry's holder shows that exactly these bytes were logged. The
// label and the fixed-size salt leave no ambiguity in where the salt ends
// and the entry begins.

// CommitmentVersion is the first byte of every leaf made by Commit; a
// later scheme would take another byte and leave old leaves readable.
const CommitmentVersion byte = 1

// SaltSize is the size of an entry's secret salt.
const SaltSize = 32

// commitmentLabel separates commitments from every other SHA-256 in tally.
const commitmentLabel = "tally translog commitment v1\x00"

// CommitmentSize is the length of a leaf made by Commit.
const CommitmentSize = 1 + sha256.Size

// Commit returns the leaf data that commits to an entry's canonical bytes
// under its salt: CommitmentVersion followed by
// SHA-256("tally translog commitment v1" || 0x00 || salt || canonical).
func Commit(canonical []byte, salt [SaltSize]byte) []byte {
	h := sha256.New()
	h.Write([]byte(commitmentLabel))
	h.Write(salt[:])
	h.Write(canonical)
	return h.Sum([]byte{CommitmentVersion})
}

// Commits reports whether leaf is the commitment to canonical under salt:
// the self-check of a stored entry against its leaf.
func Commits(leaf, canonical []byte, salt [SaltSize]byte) bool {
	return subtle.ConstantTimeCompare(leaf, Commit(canonical, salt)) == 1
}

// NewSalt returns a fresh random salt, to be stored with its entry and
// shown only to those who may see the entry.
func NewSalt() [SaltSize]byte {
	var s [SaltSize]byte
	if _, err := rand.Read(s[:]); err != nil { // crypto/rand does not fail since Go 1.24
		panic(err)
	}
	return s
}

// Leaf is one leaf of the log: its position (from 0) and its data.
type Leaf struct {
	Index int64  `json:"index"`
	Data  []byte `json:"data"`
}

// Hash returns the leaf's RFC 6962 hash.
func (l Leaf) Hash() Hash { return LeafHash(l.Data) }
