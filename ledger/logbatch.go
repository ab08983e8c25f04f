package ledger

import (
	"context"
	"sync"
	"time"

	"github.com/tallycredit/tally"
)

// logWriteTimeout bounds one group write of access-log entries.
const logWriteTimeout = 30 * time.Second

// How the writer gathers entries while reads overlap (entries arrived
// while it was writing the last group): it writes once no entry arrived
// for logGatherQuiet, or logGatherMax after it began to gather. A lone
// reader, whose next read waits for its last entry, never waits for it.
const (
	logGatherQuiet = 150 * time.Microsecond
	logGatherMax   = time.Millisecond
)

// logBatch group-commits the access-log entries of reads. A read waits
// until its entry is committed (a read that cannot be logged fails), but
// reads that arrive while a write is under way share the next transaction:
// with one writer (SQLite), concurrent readers no longer queue one commit
// each.
type logBatch struct {
	mu      sync.Mutex
	pending []logWait
	writing bool
	overlap int // entries that arrived while the writer was writing a group
}

// logWait is one entry and the channel its reader waits on.
type logWait struct {
	entry *tally.Access
	done  chan error
}

// logRead records that a subject's data was read, after the read, and
// returns once the entry is committed: if it cannot be logged, the read
// fails.
func (s *Service) logRead(ctx context.Context, subjectID int64, scheme, action, detail string) error {
	w := logWait{entry: s.access(ctx, subjectID, scheme, action, detail), done: make(chan error, 1)}
	if joinedOf(ctx) != nil { // in a request's one transaction (Idempotent): the batch would wait for it
		return s.store.Update(ctx, func(tx Tx) error { return tx.InsertAccess(ctx, w.entry) })
	}
	b := &s.logs
	b.mu.Lock()
	b.pending = append(b.pending, w)
	if b.writing {
		b.overlap++
	} else {
		b.writing = true
		go s.writeLogs()
	}
	b.mu.Unlock()
	select {
	case err := <-w.done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// writeLogs writes what is pending, one transaction at a time, until
// nothing is.
func (s *Service) writeLogs() {
	b := &s.logs
	for {
		b.gather()
		b.mu.Lock()
		batch := b.pending
		b.pending, b.overlap = nil, 0
		if len(batch) == 0 {
			b.writing = false
			b.mu.Unlock()
			return
		}
		b.mu.Unlock()
		entries := make([]*tally.Access, len(batch))
		for i, w := range batch {
			entries[i] = w.entry
		}
		ctx, cancel := context.WithTimeout(context.Background(), logWriteTimeout)
		err := s.store.Update(ctx, func(tx Tx) error { return tx.InsertAccesses(ctx, entries) })
		cancel()
		for _, w := range batch {
			w.done <- err
		}
	}
}

// gather waits, while reads overlap, for the entries of the reads still
// arriving, so that one transaction carries several: a commit costs much
// more than an entry. An entry that found the writer idle is written at
// once.
func (b *logBatch) gather() {
	began := time.Now()
	b.mu.Lock()
	n := len(b.pending)
	busy := b.overlap > 0
	b.mu.Unlock()
	for n > 0 && busy && time.Since(began) < logGatherMax {
		time.Sleep(logGatherQuiet)
		b.mu.Lock()
		more := len(b.pending)
		b.mu.Unlock()
		if more == n {
			break
		}
		n = more
	}
}
