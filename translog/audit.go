package translog

import (
	"errors"

	"github.com/tallycredit/tally"
	"golang.org/x/mod/sumdb/note"
)

// Finding is what an auditor found wrong with a log's new checkpoint.
type Finding int

// The findings of Audit.
const (
	// Rollback: the new checkpoint has fewer entries than the trusted one.
	Rollback Finding = iota + 1
	// Fork: the new checkpoint does not extend the trusted one (the same
	// size with another root, or a consistency proof that fails).
	Fork
	// BadSignature: the checkpoint carries no valid signature of the log.
	BadSignature
	// KeyChanged: the checkpoint is signed under the log's name by a key
	// other than the one trusted.
	KeyChanged
	// OtherLog: the checkpoint names another log.
	OtherLog
)

func (f Finding) String() string {
	switch f {
	case Rollback:
		return "rollback"
	case Fork:
		return "fork"
	case BadSignature:
		return "bad signature"
	case KeyChanged:
		return "key changed"
	case OtherLog:
		return "other log"
	}
	return "unknown"
}

// AuditError is a log's misbehaviour found by Audit: what was found, the
// checkpoint trusted before and the one refused (zero when it could not be
// read). Err says it for people (an EConflict *tally.Error).
type AuditError struct {
	Finding Finding
	Trusted Checkpoint
	Got     Checkpoint
	Err     error
}

func (e *AuditError) Error() string { return e.Err.Error() }
func (e *AuditError) Unwrap() error { return e.Err }

// Audit checks a log's new signed checkpoint against the checkpoint the
// auditor trusted before, with a consistency proof from the trusted size
// to the new one, and returns the new checkpoint to trust from now on. A
// log that rolled back, forked, changed its key or is not the same log is
// an *AuditError. log is the log's key, named as its origin. A zero trusted
// checkpoint trusts the first checkpoint seen, once its signature holds; a
// checkpoint of the trusted size needs no proof.
func Audit(log note.Verifier, trusted Checkpoint, signed []byte, p ConsistencyProof) (Checkpoint, error) {
	n, err := note.Open(signed, note.VerifierList(log))
	if err != nil {
		var unverified *note.UnverifiedNoteError
		if errors.As(err, &unverified) {
			for _, s := range unverified.Note.UnverifiedSigs {
				if s.Name == log.Name() {
					return Checkpoint{}, finding(KeyChanged, trusted, Checkpoint{}, "the checkpoint of %q is signed by a key other than the one trusted: the log's key has changed", log.Name())
				}
			}
		}
		return Checkpoint{}, finding(BadSignature, trusted, Checkpoint{}, "the checkpoint carries no valid signature of the log %q", log.Name())
	}
	got, err := ParseCheckpoint([]byte(n.Text))
	if err != nil {
		return Checkpoint{}, err
	}
	if got.Origin != log.Name() {
		return Checkpoint{}, finding(OtherLog, trusted, got, "the checkpoint is of the log %q, not %q", got.Origin, log.Name())
	}
	if trusted.Origin != "" && got.Origin != trusted.Origin {
		return Checkpoint{}, finding(OtherLog, trusted, got, "the checkpoint is of the log %q, not %q", got.Origin, trusted.Origin)
	}
	switch {
	case trusted.Origin == "":
		return got, nil
	case got.Size < trusted.Size:
		return Checkpoint{}, finding(Rollback, trusted, got, "rollback: the log shows %d entries, fewer than the %d of a checkpoint it signed before", got.Size, trusted.Size)
	case got.Size == trusted.Size:
		if got.Root != trusted.Root {
			return Checkpoint{}, finding(Fork, trusted, got, "fork: two checkpoints of %d entries with different root hashes", got.Size)
		}
		return got, nil
	}
	if p.From != trusted.Size || p.To != got.Size {
		return Checkpoint{}, tally.Errorf(tally.EInvalid, "the consistency proof is from %d to %d entries, not from %d to %d", p.From, p.To, trusted.Size, got.Size)
	}
	if p.Verify(trusted.Root, got.Root) != nil {
		return Checkpoint{}, finding(Fork, trusted, got, "fork: the checkpoint of %d entries does not extend the trusted one of %d entries", got.Size, trusted.Size)
	}
	return got, nil
}

// finding returns the AuditError of f, said for people from an English
// format.
func finding(f Finding, trusted, got Checkpoint, format string, args ...any) *AuditError {
	return &AuditError{Finding: f, Trusted: trusted, Got: got, Err: tally.Errorf(tally.EConflict, format, args...)}
}
