package wire

import "github.com/tallycredit/tally/translog"

// LogProof is that an entry of the ledger is in the transparency log
// (GET /log/proof): the entry's leaf, the signed checkpoint of the tree
// it is proved in, and the inclusion proof in that tree. The leaf is the
// salted commitment to the entry, never the entry; with the checkpoint's
// root, anyone can check the proof, and whoever holds the entry and its
// salt can check that the leaf is theirs.
type LogProof struct {
	Kind string `json:"kind"`
	Ref  string `json:"ref"`
	// Leaf is the leaf's data (base64).
	Leaf []byte `json:"leaf"`
	// Checkpoint is the signed checkpoint, a note in the C2SP
	// tlog-checkpoint format, of the tree of Proof.Size leaves.
	Checkpoint string                  `json:"checkpoint"`
	Proof      translog.InclusionProof `json:"proof"`
}

// LogConsistency is that the log's tree of To leaves extends its tree of
// From leaves (GET /log/consistency): an RFC 6962 consistency proof.
type LogConsistency = translog.ConsistencyProof
