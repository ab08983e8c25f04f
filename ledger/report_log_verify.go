package ledger

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/translog"
	sumnote "golang.org/x/mod/sumdb/note"
)

// ReportLogStatus is what VerifyReportLog found of one entry a report
// lists.
type ReportLogStatus string

// The statuses of a report's entry.
const (
	// ReportLogIntact: the entry is in the log at the report's checkpoint
	// and is stored now as the log committed to.
	ReportLogIntact ReportLogStatus = "in-log"
	// ReportLogChanged: the entry is stored now other than it was logged
	// (edited or backdated since the report).
	ReportLogChanged ReportLogStatus = "changed"
	// ReportLogMissing: the entry is no longer stored.
	ReportLogMissing ReportLogStatus = "missing"
	// ReportLogUnproven: the report's proof does not lead to its
	// checkpoint's root, so the report's log section itself was altered.
	ReportLogUnproven ReportLogStatus = "unproven"
)

// ReportLogEntryCheck is the status of one entry a report lists.
type ReportLogEntryCheck struct {
	Kind   LogKind         `json:"kind"`
	Ref    string          `json:"ref"`
	Index  int64           `json:"index"`
	Status ReportLogStatus `json:"status"`
}

// ReportLogCheck is the outcome of VerifyReportLog. Carried is false for
// a report issued without proofs, and then nothing else is set. Signed
// says the report's checkpoint carries the instance's log signature;
// Consistent that the log's latest checkpoint (of Latest entries) extends
// it, so that nothing in it was taken back.
type ReportLogCheck struct {
	Code       string                `json:"code"`
	Carried    bool                  `json:"carried"`
	Size       int64                 `json:"size,omitempty"`
	Root       translog.Hash         `json:"root,omitzero"`
	Signed     bool                  `json:"signed"`
	Latest     int64                 `json:"latest,omitempty"`
	Consistent bool                  `json:"consistent"`
	Entries    []ReportLogEntryCheck `json:"entries,omitempty"`
}

// OK reports whether the check found nothing wrong: the checkpoint is the
// instance's, the log only grew since, and every entry is as logged. A
// report without proofs is not OK, nor wrong: check Carried first.
func (c *ReportLogCheck) OK() bool { return c.Carried && c.Problems() == 0 }

// Problems counts what the check found wrong: a checkpoint not signed
// with the instance's log key, a log not consistent with it, and each
// entry not as logged. A report without proofs has none.
func (c *ReportLogCheck) Problems() int {
	if !c.Carried {
		return 0
	}
	n := 0
	if !c.Signed {
		n++
	}
	if !c.Consistent {
		n++
	}
	for _, e := range c.Entries {
		if e.Status != ReportLogIntact {
			n++
		}
	}
	return n
}

// LogKeyName is the name of an instance's log key, the origin of its
// checkpoints: the instance's name and "/log", so that a checkpoint and
// an exchange message, signed with the same key, never share a key name.
func LogKeyName(instance string) string { return instance + "/log" }

// VerifyReportLog checks the proofs a report issued under code carries:
// its checkpoint's signature with the instance's log key (the report
// signing key under LogKeyName), each entry's inclusion proof against
// that checkpoint, that the latest checkpoint is consistent with it, and
// that each entry as stored now still gives the bytes its leaf commits
// to. Whoever may check the report's seal may check this; the seal's
// check logs the access. An unknown code is ENotFound; a finding is not
// an error.
func (s *Service) VerifyReportLog(ctx context.Context, code string) (*ReportLogCheck, error) {
	if err := authorize(ActorOf(ctx), OpVerifyReportSeal, Target{}); err != nil {
		return nil, err
	}
	out := &ReportLogCheck{Code: strings.ToUpper(strings.TrimSpace(code))}
	err := s.store.View(ctx, func(tx Tx) error {
		r, err := tx.ReportByCode(ctx, out.Code)
		if err != nil {
			return err
		}
		rl, err := reportLogOf(r.Content)
		if err != nil || rl == nil {
			return err
		}
		out.Carried, out.Size, out.Root = true, rl.Size, rl.Root
		verifier, err := logVerifier(ctx, tx)
		if err != nil {
			return err
		}
		c, err := translog.OpenCheckpoint([]byte(rl.Checkpoint), sumnote.VerifierList(verifier))
		out.Signed = err == nil && c.Size == rl.Size && c.Root == rl.Root
		if !out.Signed { // the entries are checked against the root the report claims
			c = translog.Checkpoint{Size: rl.Size, Root: rl.Root}
		}
		if out.Consistent, out.Latest, err = consistentSince(ctx, tx, verifier, c); err != nil {
			return err
		}
		for _, e := range rl.Entries {
			st, err := entryStatus(ctx, tx, e, c)
			if err != nil {
				return err
			}
			out.Entries = append(out.Entries, ReportLogEntryCheck{Kind: e.Kind, Ref: e.Ref, Index: e.Index, Status: st})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// reportLogOf reads a report's proofs back from its stored content (nil
// for a report issued without).
func reportLogOf(content []byte) (*ReportLog, error) {
	if len(content) == 0 {
		return nil, nil
	}
	var c struct {
		Log *ReportLog `json:"log"`
	}
	if err := json.Unmarshal(content, &c); err != nil {
		return nil, fmt.Errorf("report content: %w", err)
	}
	return c.Log, nil
}

// logVerifier returns the verifier of the instance's log key: its report
// signing key under LogKeyName. An instance without a name or a bound
// key is EInvalid: it cannot have signed a checkpoint.
func logVerifier(ctx context.Context, tx Tx) (sumnote.Verifier, error) {
	name, err := storedInstanceName(ctx, tx)
	if err != nil {
		return nil, tally.Errorf(tally.EInvalid, "this instance has no name, so no log key checks its checkpoints")
	}
	text, err := tx.Meta(ctx, reportKeyMeta)
	if err != nil {
		return nil, tally.Errorf(tally.EInvalid, "this instance has no report signing key, so no log key checks its checkpoints")
	}
	pub, err := hex.DecodeString(text)
	if err != nil {
		return nil, fmt.Errorf("report public key: %w", err)
	}
	vkey, err := sumnote.NewEd25519VerifierKey(LogKeyName(name), pub)
	if err != nil {
		return nil, fmt.Errorf("log key: %w", err)
	}
	return sumnote.NewVerifier(vkey)
}

// consistentSince reports whether the latest checkpoint, signed with
// verifier, extends the checkpoint c by a consistency proof from the
// stored tree, and returns the latest size. A log rolled back below c, a
// rewritten tree or an unsigned latest checkpoint is not consistent.
func consistentSince(ctx context.Context, tx Tx, verifier sumnote.Verifier, c translog.Checkpoint) (bool, int64, error) {
	latest, err := tx.LatestCheckpoint(ctx)
	if tally.ErrorCodeOf(err) == tally.ENotFound {
		return false, 0, nil
	}
	if err != nil {
		return false, 0, err
	}
	lc, err := translog.OpenCheckpoint(latest.Note, sumnote.VerifierList(verifier))
	if err != nil || lc.Size < c.Size {
		return false, latest.Size, nil
	}
	p, err := translog.ProveConsistency(ctx, tx, c.Size, lc.Size)
	if err != nil {
		return false, lc.Size, nil
	}
	return p.Verify(c.Root, lc.Root) == nil, lc.Size, nil
}

// entryStatus checks one of a report's entries: its proof against the
// checkpoint c, then the entry as stored now against its leaf and salt.
func entryStatus(ctx context.Context, tx Tx, e ReportLogEntry, c translog.Checkpoint) (ReportLogStatus, error) {
	p := translog.InclusionProof{Index: e.Index, Size: c.Size, Path: e.Proof}
	if len(e.Salt) != translog.SaltSize || p.Verify(e.Leaf, c.Root) != nil {
		return ReportLogUnproven, nil
	}
	now, err := entryOf(ctx, tx, e.Kind, e.Ref)
	switch code := tally.ErrorCodeOf(err); {
	case code == tally.ENotFound || code == tally.EInvalid:
		return ReportLogMissing, nil
	case err != nil:
		return "", err
	case !translog.Commits(e.Leaf, now.canonical, [translog.SaltSize]byte(e.Salt)):
		return ReportLogChanged, nil
	}
	return ReportLogIntact, nil
}
