// Package witness is the auditor of a tally instance's transparency log:
// it follows the instance's signed checkpoints over HTTP, checks that each
// extends the last one it trusted (a consistency proof, translog.Audit),
// keeps what it trusts in a directory of its own, and on a fork, a
// rollback or a change of the log's key raises an alert and keeps both
// checkpoints as evidence. With a key of its own it cosigns each
// checkpoint it accepts, as a witness, so that a reader can require that
// somebody other than the log saw the same history.
package witness
