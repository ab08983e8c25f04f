// Package translog is tally's transparency log: an append-only Merkle tree
// (RFC 6962 hashing) of salted commitments to the ledger's entries, signed
// checkpoints in the C2SP tlog-checkpoint format, inclusion and
// consistency proofs, the C2SP tlog-tiles encoding the log is served in,
// and the auditor's verdict on a new checkpoint.
//
// The package does no I/O of its own: the tree lives behind the small
// Store interface (leaves by position, each with the hashes it
// completed), which the SQL stores implement in the same transaction as
// the entry a leaf commits to; MemStore keeps one in memory for tests
// and tools. A leaf is never the
// entry itself but Commit(entry, salt), so the whole log can be public.
package translog
