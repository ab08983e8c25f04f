package ledger

import (
	"context"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/translog"
	sumnote "golang.org/x/mod/sumdb/note"
)

// LogSettings configures the transparency log of a Service. The log's
// origin, the first line of every checkpoint, is the signer's name.
type LogSettings struct {
	// Signer signs checkpoints; without one none can be made.
	Signer sumnote.Signer
}

// LogInclusion shows that a logged entry is in the log: its position and
// leaf (the public commitment, never the salt), and the inclusion proof
// against a signed checkpoint, which it carries.
type LogInclusion struct {
	Kind       LogKind
	Ref        string
	Index      int64
	Leaf       []byte
	Proof      translog.InclusionProof
	Checkpoint *LogCheckpoint
}

// ParseLogKind accepts the name of a kind of logged entry.
func ParseLogKind(s string) (LogKind, error) {
	for _, k := range LogKinds {
		if string(k) == s {
			return k, nil
		}
	}
	return "", tally.Errorf(tally.EInvalid, "%q is not a kind of logged entry", s)
}

// LogCheckpoint returns the latest signed checkpoint, or ENotFound before
// the first. Anyone may read the log.
func (s *Service) LogCheckpoint(ctx context.Context) (*LogCheckpoint, error) {
	if err := authorize(ActorOf(ctx), OpReadLog, Target{}); err != nil {
		return nil, err
	}
	var c *LogCheckpoint
	err := s.store.View(ctx, func(tx Tx) (err error) {
		c, err = tx.LatestCheckpoint(ctx)
		return err
	})
	return c, err
}

// SignLogCheckpoint signs and archives a checkpoint of the log as it is
// now, when it grew since the latest checkpoint or none exists yet (an
// empty log gets one too), and otherwise returns the latest. Without a
// signer it is EInvalid; a log smaller than its latest checkpoint (a
// database restored from an old copy) is EConflict.
func (s *Service) SignLogCheckpoint(ctx context.Context) (*LogCheckpoint, error) {
	if err := authorize(ActorOf(ctx), OpSignLog, Target{}); err != nil {
		return nil, err
	}
	signer := s.log.Signer
	if signer == nil {
		return nil, tally.Errorf(tally.EInvalid, "this instance has no key to sign the log's checkpoints with")
	}
	var c *LogCheckpoint
	err := s.store.Update(ctx, func(tx Tx) (err error) {
		c, err = signCheckpoint(ctx, tx, signer, s.now())
		return err
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// signCheckpoint signs and archives in tx a checkpoint of the log as it is
// now, as SignLogCheckpoint does, holding the log's lock until tx ends.
func signCheckpoint(ctx context.Context, tx Tx, signer sumnote.Signer, now time.Time) (*LogCheckpoint, error) {
	if err := lockLog(ctx, tx); err != nil {
		return nil, err
	}
	size, err := tx.TreeSize(ctx)
	if err != nil {
		return nil, err
	}
	latest, err := tx.LatestCheckpoint(ctx)
	switch {
	case err == nil && latest.Size == size:
		return latest, nil
	case err == nil && latest.Size > size:
		return nil, tally.Errorf(tally.EConflict, "the log has %d entries, fewer than the %d of its latest checkpoint: it was rolled back", size, latest.Size)
	case err != nil && tally.ErrorCodeOf(err) != tally.ENotFound:
		return nil, err
	}
	root, err := translog.RootAt(ctx, tx, size)
	if err != nil {
		return nil, err
	}
	note, err := translog.SignCheckpoint(signer, translog.Checkpoint{Origin: signer.Name(), Size: size, Root: root})
	if err != nil {
		return nil, err
	}
	c := &LogCheckpoint{Size: size, Root: root, At: now, Note: note}
	return c, tx.InsertCheckpoint(ctx, c)
}

// LogTile returns a resource of the log as C2SP tlog-tiles names it below
// the log's prefix ("tile/0/000", "tile/1/000.p/7", "tile/entries/000"):
// a hash tile, or an entry bundle of the leaves' public commitments. Only
// what the latest checkpoint covers is served: a tile beyond it is
// ENotFound, a path that names no tile EInvalid.
func (s *Service) LogTile(ctx context.Context, path string) ([]byte, error) {
	if err := authorize(ActorOf(ctx), OpReadLog, Target{}); err != nil {
		return nil, err
	}
	t, err := translog.ParseTilePath(path)
	if err != nil {
		return nil, tally.Errorf(tally.EInvalid, "%q is not a tile path: want tile/<L>/<N>[.p/<W>] or tile/entries/<N>[.p/<W>]", path)
	}
	var out []byte
	err = s.store.View(ctx, func(tx Tx) error {
		c, err := tx.LatestCheckpoint(ctx)
		if err != nil {
			return err
		}
		out, err = translog.ReadTile(ctx, tx, c.Size, t)
		return err
	})
	return out, err
}

// LogInclusion returns the position and leaf of a logged entry and the
// proof that it is in the log, against the checkpoint of size (0 for the
// latest). An entry not logged, or logged after that checkpoint, is
// ENotFound; so is a size no checkpoint was signed for.
func (s *Service) LogInclusion(ctx context.Context, kind LogKind, ref string, size int64) (*LogInclusion, error) {
	if err := authorize(ActorOf(ctx), OpReadLog, Target{}); err != nil {
		return nil, err
	}
	if _, err := ParseLogKind(string(kind)); err != nil {
		return nil, err
	}
	if size < 0 {
		return nil, tally.Errorf(tally.EInvalid, "a checkpoint's size is 0 or more, not %d", size)
	}
	var out *LogInclusion
	err := s.store.View(ctx, func(tx Tx) error {
		c, err := checkpointOf(ctx, tx, size)
		if err != nil {
			return err
		}
		leaf, err := tx.LeafOf(ctx, kind, ref)
		if err != nil {
			return err
		}
		if leaf.Index >= c.Size {
			return tally.Errorf(tally.ENotFound, "%s %s is at position %d of the log, after the checkpoint of %d entries: the next checkpoint will hold it", kind, ref, leaf.Index, c.Size)
		}
		p, err := translog.ProveInclusion(ctx, tx, leaf.Index, c.Size)
		if err != nil {
			return err
		}
		out = &LogInclusion{Kind: kind, Ref: ref, Index: leaf.Index, Leaf: leaf.Data, Proof: p, Checkpoint: c}
		return nil
	})
	return out, err
}

// checkpointOf returns the checkpoint of size, or the latest for 0.
func checkpointOf(ctx context.Context, tx Tx, size int64) (*LogCheckpoint, error) {
	if size == 0 {
		return tx.LatestCheckpoint(ctx)
	}
	return tx.CheckpointAt(ctx, size)
}

// LogConsistency returns the proof that the log of to entries extends the
// log of from entries. to may be no larger than the latest checkpoint
// (ENotFound otherwise), and from no larger than to (EInvalid).
func (s *Service) LogConsistency(ctx context.Context, from, to int64) (translog.ConsistencyProof, error) {
	if err := authorize(ActorOf(ctx), OpReadLog, Target{}); err != nil {
		return translog.ConsistencyProof{}, err
	}
	var p translog.ConsistencyProof
	err := s.store.View(ctx, func(tx Tx) error {
		c, err := tx.LatestCheckpoint(ctx)
		if err != nil {
			return err
		}
		if to > c.Size {
			return tally.Errorf(tally.ENotFound, "the latest checkpoint has %d entries, fewer than %d", c.Size, to)
		}
		p, err = translog.ProveConsistency(ctx, tx, from, to)
		return err
	})
	return p, err
}

// entryOf returns the canonical bytes of the logged entry (kind, ref) as
// stored now, or ENotFound when it is not there.
func entryOf(ctx context.Context, tx Tx, kind LogKind, ref string) (loggedEntry, error) {
	read, ok := entryReaders[kind]
	if !ok {
		return loggedEntry{}, tally.Errorf(tally.EInvalid, "%q is not a kind of logged entry", kind)
	}
	e, err := read(ctx, tx, ref)
	if err != nil {
		return loggedEntry{}, err
	}
	if e.kind != kind || e.ref != ref {
		return loggedEntry{}, errNoEntry(kind, ref)
	}
	return e, nil
}

// AppendUnlogged appends leaves for the stored entries that have none,
// such as those written before the log existed, kind by kind in
// LogKinds' order and by key, BackfillBatch entries a transaction, each
// batch reading on from where the last ended; it returns how many it
// appended, and tells progress, if set, after each batch.
func (s *Service) AppendUnlogged(ctx context.Context, progress func(appended int)) (int, error) {
	if err := authorize(ActorOf(ctx), OpBackfillLog, Target{}); err != nil {
		return 0, err
	}
	total := 0
	for _, kind := range LogKinds {
		after := ""
		for {
			n, last := 0, ""
			err := s.store.Update(ctx, func(tx Tx) error {
				if err := lockLog(ctx, tx); err != nil {
					return err
				}
				refs, err := tx.Unlogged(ctx, kind, after, BackfillBatch)
				if err != nil {
					return err
				}
				if len(refs) > 0 {
					last = refs[len(refs)-1]
				}
				entries := make([]loggedEntry, len(refs))
				for i, ref := range refs {
					if entries[i], err = entryOf(ctx, tx, kind, ref); err != nil {
						return err
					}
				}
				n = len(entries)
				return appendEntries(ctx, tx, entries, s.now())
			})
			if err != nil {
				return total, err
			}
			total, after = total+n, last
			if progress != nil && n > 0 {
				progress(total)
			}
			if n < BackfillBatch {
				break
			}
		}
	}
	return total, nil
}

// BackfillBatch is how many entries AppendUnlogged logs a transaction:
// small enough that a transaction is short and progress shows.
const BackfillBatch = 1000
