package witness

import (
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/client"
	"github.com/tallycredit/tally/translog"
	"golang.org/x/mod/sumdb/note"
)

// Witness follows the log of one instance. Set From, Log and Dir; the
// other fields are optional. Checks of one state directory must not run
// concurrently.
type Witness struct {
	// From is the instance's address, such as https://tally.example.
	From string
	// Log is the log's key (name+hash+base64 read by note.NewVerifier),
	// named as the log's origin.
	Log note.Verifier
	// Dir keeps the witness's state: the checkpoint it trusts, the one it
	// cosigned last, and the evidence of alerts.
	Dir string
	// Cosigner, when set, cosigns every checkpoint the witness accepts.
	Cosigner note.Signer
	// HTTP is the client the log is read with (nil: one with a
	// 60-second timeout).
	HTTP *http.Client
	// Now names evidence by the time it was found (nil: time.Now).
	Now func() time.Time
}

// Seen is what a check accepted.
type Seen struct {
	// Checkpoint is the checkpoint trusted from now on.
	Checkpoint translog.Checkpoint
	// Grew is set when it is the first checkpoint trusted or a larger one
	// than before.
	Grew bool
	// Cosigned is the checkpoint with the witness's signature added (nil
	// without a Cosigner).
	Cosigned []byte
}

// Alert is a log caught misbehaving: what Audit found, and the directory
// where the checkpoint trusted before and the one refused are kept.
type Alert struct {
	*translog.AuditError
	Evidence string
}

// Check reads the log's latest checkpoint and audits it against the one
// trusted before, with a consistency proof from the log. An accepted
// checkpoint is stored (and cosigned); a fork, a rollback, a changed key
// or a checkpoint without the log's valid signature is an *Alert, and the
// trusted checkpoint stays as it was. Errors in reaching the log are
// returned as they are: they prove nothing against it.
func (w *Witness) Check(ctx context.Context) (*Seen, error) {
	cl := client.New(w.From, "", w.HTTP)
	msg, err := cl.LogCheckpoint(ctx)
	if err != nil {
		return nil, err
	}
	keys := note.VerifierList(w.Log)
	old, err := readState(w.Dir, TrustedFile)
	if err != nil {
		return nil, err
	}
	var trusted translog.Checkpoint
	if old != nil {
		if trusted, err = translog.OpenCheckpoint(old, keys); err != nil {
			return nil, tally.Errorf(tally.EInvalid, "the checkpoint trusted in %s is not signed by the key %q: is this state directory another log's?", w.Dir, w.Log.Name())
		}
	}
	var proof translog.ConsistencyProof
	if got, err := translog.OpenCheckpoint(msg, keys); err == nil && old != nil && got.Size > trusted.Size {
		p, err := cl.LogConsistency(ctx, trusted.Size, got.Size)
		if err != nil {
			return nil, err
		}
		proof = *p
	}
	got, err := translog.Audit(w.Log, trusted, msg, proof)
	if ae := (*translog.AuditError)(nil); errors.As(err, &ae) {
		dir, kept := w.keepEvidence(strings.ReplaceAll(ae.Finding.String(), " ", "-"), old, msg)
		if kept != nil {
			return nil, errors.Join(ae, kept)
		}
		return nil, &Alert{AuditError: ae, Evidence: dir}
	}
	if err != nil {
		return nil, err
	}
	seen := &Seen{Checkpoint: got, Grew: old == nil || got.Size > trusted.Size}
	if seen.Grew {
		if err := writeAtomic(w.Dir, TrustedFile, msg); err != nil {
			return nil, err
		}
	}
	if w.Cosigner != nil {
		if seen.Cosigned, err = translog.Cosign(msg, w.Cosigner, keys); err != nil {
			return nil, err
		}
		if err := writeAtomic(w.Dir, CosignedFile, seen.Cosigned); err != nil {
			return nil, err
		}
	}
	return seen, nil
}

// keepEvidence writes the trusted and the refused checkpoint into a new
// directory of the state named after the time and what was found, and
// returns its path.
func (w *Witness) keepEvidence(found string, trusted, refused []byte) (string, error) {
	now := time.Now
	if w.Now != nil {
		now = w.Now
	}
	name := "evidence-" + now().UTC().Format("20060102T150405.000000000Z") + "-" + found
	dir := filepath.Join(w.Dir, name)
	if trusted != nil {
		if err := writeAtomic(dir, EvidenceTrusted, trusted); err != nil {
			return "", err
		}
	}
	if err := writeAtomic(dir, EvidenceRefused, refused); err != nil {
		return "", err
	}
	return dir, nil
}
