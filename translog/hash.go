package translog

import (
	"encoding/base64"

	"github.com/tallycredit/tally"
	"github.com/transparency-dev/merkle/rfc6962"
)

// HashSize is the size of every hash of the log: SHA-256.
const HashSize = 32

// Hash is a SHA-256 hash of the tree: a leaf hash, an interior node or a
// root. It reads and writes as standard base64, in checkpoints and JSON.
type Hash [HashSize]byte

// hasher is the RFC 6962 tree hasher: a leaf is SHA-256(0x00 || data), an
// interior node SHA-256(0x01 || left || right), the empty tree SHA-256("").
var hasher = rfc6962.DefaultHasher

// LeafHash returns the RFC 6962 hash of a leaf's data.
func LeafHash(data []byte) Hash { return Hash(hasher.HashLeaf(data)) }

// EmptyRoot returns the root hash of the tree without leaves.
func EmptyRoot() Hash { return Hash(hasher.EmptyRoot()) }

// String returns h in standard base64.
func (h Hash) String() string { return base64.StdEncoding.EncodeToString(h[:]) }

// MarshalText returns h in standard base64.
func (h Hash) MarshalText() ([]byte, error) { return []byte(h.String()), nil }

// UnmarshalText reads a hash in standard base64; anything else, or a
// decoded length other than 32 bytes, is an EInvalid error.
func (h *Hash) UnmarshalText(text []byte) error {
	p, err := ParseHash(string(text))
	if err != nil {
		return err
	}
	*h = p
	return nil
}

// ParseHash reads a hash in standard base64 (with padding, as checkpoints
// write it).
func ParseHash(s string) (Hash, error) {
	b, err := base64.StdEncoding.Strict().DecodeString(s)
	if err != nil || len(b) != HashSize {
		return Hash{}, tally.Errorf(tally.EInvalid, "%q is not a base64 SHA-256 hash", s)
	}
	return Hash(b), nil
}

// hashSlices returns hs as the byte slices the merkle packages take.
func hashSlices(hs []Hash) [][]byte {
	out := make([][]byte, len(hs))
	for i := range hs {
		out[i] = hs[i][:]
	}
	return out
}
