package ledger

import (
	"context"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/translog"
)

// LogProblem is what the log's self-check found wrong with an entry or
// with the tree.
type LogProblem string

// The problems VerifyLog reports.
const (
	// LogChanged: the entry as stored is not what its leaf commits to.
	LogChanged LogProblem = "changed"
	// LogMissing: a leaf commits to an entry that is no longer stored.
	LogMissing LogProblem = "missing"
	// LogUnlogged: a stored entry has no leaf.
	LogUnlogged LogProblem = "unlogged"
	// LogRootMismatch: the stored tree does not give the latest
	// checkpoint's root (its hashes or leaves were changed or removed).
	LogRootMismatch LogProblem = "root"
)

// LogFinding is one problem VerifyLog found: the entry's kind and key and
// its position in the log (-1 for an entry without a leaf); a problem of
// the tree names no entry.
type LogFinding struct {
	Kind    LogKind
	Ref     string
	Index   int64
	Problem LogProblem
}

// LogReport is the outcome of VerifyLog: how many leaves it checked, the
// checkpoint whose root it recomputed (nil before the first) and what it
// found wrong, nothing when all is well.
type LogReport struct {
	Leaves     int64
	Checkpoint *LogCheckpoint
	Findings   []LogFinding
}

// verifyChunk is how many leaves VerifyLog checks a read transaction.
const verifyChunk = 512

// maxUnlogged bounds the entries without leaf VerifyLog lists of a kind.
const maxUnlogged = 10000

// VerifyLog is the operator's self-check of the log against the stored
// entries: every leaf's entry must still be stored and give the bytes the
// leaf commits to, every stored entry must have a leaf, and the stored
// tree (its hashes, and its leaves alone) must give the latest
// checkpoint's root. progress, when not nil, is told how many of the
// leaves are checked. A finding is not an error: the error is for a check
// that could not be made.
func (s *Service) VerifyLog(ctx context.Context, progress func(done, total int64)) (*LogReport, error) {
	if err := authorize(ActorOf(ctx), OpVerifyLog, Target{}); err != nil {
		return nil, err
	}
	rep := &LogReport{}
	err := s.store.View(ctx, func(tx Tx) (err error) {
		if rep.Leaves, err = tx.TreeSize(ctx); err != nil {
			return err
		}
		rep.Checkpoint, err = tx.LatestCheckpoint(ctx)
		if tally.ErrorCodeOf(err) == tally.ENotFound {
			rep.Checkpoint, err = nil, nil
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	for start := int64(0); start < rep.Leaves; start += verifyChunk {
		err := s.store.View(ctx, func(tx Tx) error {
			leaves, err := tx.LogLeaves(ctx, start, int(min(verifyChunk, rep.Leaves-start)))
			if err != nil {
				return err
			}
			for _, l := range leaves {
				if p, err := checkLeaf(ctx, tx, l); err != nil || p != "" {
					if err != nil {
						return err
					}
					rep.Findings = append(rep.Findings, LogFinding{Kind: l.Kind, Ref: l.Ref, Index: l.Index, Problem: p})
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if progress != nil {
			progress(min(start+verifyChunk, rep.Leaves), rep.Leaves)
		}
	}
	err = s.store.View(ctx, func(tx Tx) error {
		for _, kind := range LogKinds {
			refs, err := tx.Unlogged(ctx, kind, "", maxUnlogged)
			if err != nil {
				return err
			}
			for _, ref := range refs {
				rep.Findings = append(rep.Findings, LogFinding{Kind: kind, Ref: ref, Index: -1, Problem: LogUnlogged})
			}
		}
		if rep.Checkpoint == nil {
			return nil
		}
		ok, err := rootHolds(ctx, tx, rep.Checkpoint)
		if err == nil && !ok {
			rep.Findings = append(rep.Findings, LogFinding{Index: -1, Problem: LogRootMismatch})
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// checkLeaf returns what is wrong with a leaf's entry, "" when nothing.
func checkLeaf(ctx context.Context, tx Tx, l LogLeaf) (LogProblem, error) {
	e, err := entryOf(ctx, tx, l.Kind, l.Ref)
	switch {
	case tally.ErrorCodeOf(err) == tally.ENotFound || tally.ErrorCodeOf(err) == tally.EInvalid:
		return LogMissing, nil
	case err != nil:
		return "", err
	case !translog.Commits(l.Data, e.canonical, l.Salt):
		return LogChanged, nil
	}
	return "", nil
}

// rootHolds reports whether both the stored hashes and the leaves alone
// give the checkpoint's root. A tree too small for the checkpoint, or
// hashes that cannot be read, do not.
func rootHolds(ctx context.Context, tx Tx, c *LogCheckpoint) (bool, error) {
	size, err := tx.TreeSize(ctx)
	if err != nil {
		return false, err
	}
	if size < c.Size {
		return false, nil
	}
	stored, err := translog.RootAt(ctx, tx, c.Size)
	if err != nil || stored != c.Root {
		return false, nil
	}
	fromLeaves, err := translog.Recompute(ctx, tx, c.Size)
	if err != nil || fromLeaves != c.Root {
		return false, nil
	}
	return true, nil
}
