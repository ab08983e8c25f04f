package ledger

import (
	"context"
	"hash/fnv"
	"io"
	"slices"
	"sync"

	"github.com/tallycredit/tally/parse"
)

// ParallelWriters is a Store whose writers to different subjects proceed
// at the same time (PostgreSQL, where subjects are locked one by one).
// An import then writes Writers batches at once.
type ParallelWriters interface {
	Writers() int
}

// importLanes is how many batches an import writes at once: opts.Workers
// if set, else as many as the store lets through together; one inside a
// request's one transaction, which workers cannot share.
func (s *Service) importLanes(ctx context.Context, opts ImportOptions) int {
	switch {
	case joinedOf(ctx) != nil:
		return 1
	case opts.Workers > 0:
		return opts.Workers
	}
	inner := s.store
	if j, ok := inner.(joiningStore); ok {
		inner = j.Store
	}
	if p, ok := inner.(ParallelWriters); ok {
		return max(1, p.Writers())
	}
	return 1
}

// recordInLanes records rows as recordRows does, through n workers at
// once. Each subject's rows go to one lane, in the order of the file, so
// that caps meet them in that order and no two lanes wait for the same
// subject's lock; each lane writes its own batches. The report is the
// lanes' summed, its bad rows in the order of the file.
func (s *Service) recordInLanes(ctx context.Context, next func() (row, error), batch, n, rows int, progress func(ImportReport)) (*ImportReport, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var (
		mu    sync.Mutex // guards total, read and the calls of progress
		total = &ImportReport{Bad: []parse.RowError{}, Total: rows}
		read  int
		wg    sync.WaitGroup
	)
	lanes := make([]chan []row, n)
	for i := range lanes {
		lanes[i] = make(chan []row, 1)
		wg.Add(1)
		go func(in <-chan []row) {
			defer wg.Done()
			for rows := range in {
				if ctx.Err() != nil {
					continue // another lane failed: drain
				}
				var part ImportReport
				err := s.importBatch(ctx, rows, &part)
				mu.Lock()
				total.Recorded += part.Recorded
				total.Replayed += part.Replayed
				total.Bad = append(total.Bad, part.Bad...)
				if progress != nil {
					now := *total
					now.Rows = read
					progress(now)
				}
				mu.Unlock()
				if err != nil {
					cancel(err)
				}
			}
		}(lanes[i])
	}
	send := func(i int, rows []row) {
		select {
		case lanes[i] <- rows:
		case <-ctx.Done():
		}
	}
	pending := make([][]row, n)
	var readErr error
	for ctx.Err() == nil {
		rw, err := next()
		if err == io.EOF {
			break
		}
		if err != nil {
			readErr = err
			break
		}
		mu.Lock()
		read++
		mu.Unlock()
		i := laneOf(rw, n)
		if pending[i] = append(pending[i], rw); len(pending[i]) == batch {
			send(i, pending[i])
			pending[i] = make([]row, 0, batch)
		}
	}
	for i := range lanes {
		if len(pending[i]) > 0 && readErr == nil {
			send(i, pending[i])
		}
		close(lanes[i])
	}
	wg.Wait()
	total.Rows = read
	slices.SortFunc(total.Bad, func(a, b parse.RowError) int { return a.Line - b.Line })
	if readErr != nil {
		return total, readErr
	}
	if ctx.Err() != nil {
		return total, context.Cause(ctx)
	}
	return total, nil
}

// laneOf is the lane of a row: by its subject, so that one subject's rows
// stay in one lane.
func laneOf(rw row, n int) int {
	h := fnv.New32a()
	h.Write([]byte(canonical(rw.conduct.Identifier)))
	return int(h.Sum32() % uint32(n))
}
