package ledger

import (
	"context"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/translog"
)

// ReportLog is a report's proofs that what it lists was in the public
// log: one signed checkpoint and, for each entry the report lists that the
// log holds, its position and inclusion proof against that checkpoint.
// Each entry carries its salt too, so that the check of an issued report
// (VerifyReportLog) recomputes the commitment from the entry as it is
// stored now. The report's content stays in the database: the PDF prints
// positions and the checkpoint, never the salts.
type ReportLog struct {
	// Checkpoint is the signed checkpoint note, as the log serves it.
	Checkpoint string           `json:"checkpoint"`
	Size       int64            `json:"size"` // the checkpoint's tree size
	Root       translog.Hash    `json:"root"` // and root hash, as its note says
	Entries    []ReportLogEntry `json:"entries"`
}

// ReportLogEntry is one listed entry's place in the log: its kind and key
// (a record's, list entry's or the subject's ID), position, leaf (the public commitment),
// secret salt and inclusion proof (the audit path, leaf to root). In JSON
// leaf, salt and hashes are base64.
type ReportLogEntry struct {
	Kind  LogKind         `json:"kind"`
	Ref   string          `json:"ref"`
	Index int64           `json:"index"`
	Leaf  []byte          `json:"leaf"`
	Salt  []byte          `json:"salt"`
	Proof []translog.Hash `json:"proof"`
}

// LogRef names a logged entry: its kind and key.
type LogRef struct {
	Kind LogKind
	Ref  string
}

// logRefs returns the entries a report of the subject subjectID lists
// that the log holds: its records, its list entries, then the subject
// itself, whose leaf ties the entries' subject ID to the identifier and
// name the report is issued for.
func (r *Report) logRefs(subjectID int64) []LogRef {
	var refs []LogRef
	for _, s := range r.Schemes {
		for _, e := range s.InEffect {
			refs = append(refs, LogRef{LogRecord, idRef(e.ID)})
		}
	}
	for _, l := range r.Lists {
		if l.ID != 0 {
			refs = append(refs, LogRef{LogListEntry, idRef(l.ID)})
		}
	}
	return append(refs, LogRef{LogSubject, idRef(subjectID)})
}

// LogIndex returns the position in the log of an entry the report lists,
// and false when the report carries no proof of it.
func (r *Report) LogIndex(kind LogKind, id int64) (int64, bool) {
	if r.Log == nil {
		return 0, false
	}
	ref := idRef(id)
	for _, e := range r.Log.Entries {
		if e.Kind == kind && e.Ref == ref {
			return e.Index, true
		}
	}
	return 0, false
}

// SubjectLogIndex returns the position in the log of the entry of the
// report's subject itself, when the report proves it.
func (r *Report) SubjectLogIndex() (int64, bool) {
	if r.Log == nil {
		return 0, false
	}
	for _, e := range r.Log.Entries {
		if e.Kind == LogSubject {
			return e.Index, true
		}
	}
	return 0, false
}

// logCheckpointFirst signs a checkpoint before a report is built, when the
// instance can sign, so that the report's entries are covered by one
// without taking the log's lock in the report's own transaction.
func (s *Service) logCheckpointFirst(ctx context.Context) error {
	if s.log.Signer == nil {
		return nil
	}
	return s.store.Update(ctx, func(tx Tx) error {
		_, err := signCheckpoint(ctx, tx, s.log.Signer, s.now())
		return err
	})
}

// reportLog returns the proofs of the entries of a report of the subject
// subjectID against the latest checkpoint, signing a newer one in tx when
// an entry was logged after it. It is nil when the instance cannot sign
// checkpoints or the log holds none of the entries (they predate it and
// were not backfilled).
func (s *Service) reportLog(ctx context.Context, tx Tx, rep *Report, subjectID int64) (*ReportLog, error) {
	if s.log.Signer == nil {
		return nil, nil
	}
	var (
		leaves []*LogLeaf
		last   int64 = -1
	)
	for _, r := range rep.logRefs(subjectID) {
		l, err := tx.LeafOf(ctx, r.Kind, r.Ref)
		if tally.ErrorCodeOf(err) == tally.ENotFound {
			continue
		}
		if err != nil {
			return nil, err
		}
		leaves = append(leaves, l)
		last = max(last, l.Index)
	}
	if len(leaves) == 0 {
		return nil, nil
	}
	c, err := tx.LatestCheckpoint(ctx)
	if tally.ErrorCodeOf(err) == tally.ENotFound || (err == nil && c.Size <= last) {
		c, err = signCheckpoint(ctx, tx, s.log.Signer, s.now())
	}
	if err != nil {
		return nil, err
	}
	out := &ReportLog{Checkpoint: string(c.Note), Size: c.Size, Root: c.Root, Entries: make([]ReportLogEntry, len(leaves))}
	for i, l := range leaves {
		p, err := translog.ProveInclusion(ctx, tx, l.Index, c.Size)
		if err != nil {
			return nil, err
		}
		out.Entries[i] = ReportLogEntry{Kind: l.Kind, Ref: l.Ref, Index: l.Index, Leaf: l.Data, Salt: l.Salt[:], Proof: nonNil(p.Path)}
	}
	return out, nil
}

// LogPositions returns the positions in the log of the given entries, so
// that a page can show each "in the public log at position N"; an entry
// the log does not hold is left out. Anyone may read the log.
func (s *Service) LogPositions(ctx context.Context, refs []LogRef) (map[LogRef]int64, error) {
	if err := authorize(ActorOf(ctx), OpReadLog, Target{}); err != nil {
		return nil, err
	}
	out := make(map[LogRef]int64, len(refs))
	err := s.store.View(ctx, func(tx Tx) error {
		for _, r := range refs {
			l, err := tx.LeafOf(ctx, r.Kind, r.Ref)
			if tally.ErrorCodeOf(err) == tally.ENotFound {
				continue
			}
			if err != nil {
				return err
			}
			out[r] = l.Index
		}
		return nil
	})
	return out, err
}
