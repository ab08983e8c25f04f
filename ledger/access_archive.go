package ledger

import (
	"context"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/localtime"
)

// MinAccessRetention is the shortest time a deployment may keep
// access-log entries in the live log before archiving them: credit
// reporting keeps the record of who queried whose credit, with its
// authorisation, at least 5 years (docs/DUE-PROCESS.md, "Query log").
var MinAccessRetention = tally.Span{N: 5, Unit: tally.Year}

// archiveChunk is how many entries ArchiveAccess moves per statement, and
// so how often it reports progress.
const archiveChunk = 10_000

// Archived is what ArchiveAccess did: the entries older than Before moved
// to the archive, under a retention period of Keep.
type Archived struct {
	Before time.Time `json:"before"`
	Keep   string    `json:"keep"`
	Moved  int64     `json:"moved"`
}

// ArchiveAccess moves the access-log entries older than before to the
// archive, in one transaction; a subject's log still shows them, marked
// archived, and nothing is deleted. keep is the deployment's retention
// period (zero: MinAccessRetention); one shorter than MinAccessRetention,
// or a before less than keep ago, is EInvalid naming the field. progress,
// if not nil, hears how many entries of how many have moved. Running it
// again moves nothing more. Admins only.
func (s *Service) ArchiveAccess(ctx context.Context, before time.Time, keep tally.Span, progress func(done, total int64)) (*Archived, error) {
	if err := authorize(ActorOf(ctx), OpArchiveAccessLog, Target{}); err != nil {
		return nil, err
	}
	if keep.IsZero() {
		keep = MinAccessRetention
	}
	now := s.now()
	if keep.After(now).Before(MinAccessRetention.After(now)) {
		return nil, tally.FieldErrorf("keep", "the access log is kept at least %s; %s is shorter", MinAccessRetention, keep)
	}
	if latest := (tally.Span{N: -keep.N, Unit: keep.Unit}).After(now); before.After(latest) {
		return nil, tally.FieldErrorf("before", "entries are kept %s before they are archived: the date must be %s or earlier",
			keep, localtime.Date(latest, localtime.Default()))
	}
	out := &Archived{Before: before, Keep: keep.String()}
	err := s.store.Update(ctx, func(tx Tx) error {
		out.Moved = 0
		total, err := tx.CountArchivable(ctx, before)
		if err != nil || total == 0 {
			return err
		}
		for after := int64(0); ; {
			n, last, err := tx.ArchiveAccess(ctx, before, now, after, archiveChunk)
			if err != nil || n == 0 {
				return err
			}
			out.Moved, after = out.Moved+int64(n), last
			if progress != nil {
				progress(out.Moved, total)
			}
		}
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
