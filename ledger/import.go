package ledger

import (
	"context"
	"errors"
	"io"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/parse"
)

// DefaultBatch is how many rows an import writes in one transaction: large
// enough that a batch's few queries and bulk statements cost little per
// row, small enough that SQLite's one writer is not held for long (about
// a tenth of a second) and a batch's rows fit in a few megabytes.
const DefaultBatch = 5000

// ImportOptions tunes Import.
type ImportOptions struct {
	Format   parse.Format // see parse.Records; detected from the file when ""
	Batch    int          // rows per transaction; DefaultBatch when 0
	Workers  int          // batches written at once; 0: as the store allows (see ParallelWriters)
	Progress func(ImportReport)
}

// ImportReport counts an import's rows.
type ImportReport struct {
	Rows     int              `json:"rows"`
	Recorded int              `json:"recorded"`
	Replayed int              `json:"unchanged"` // recorded before with the same content
	Bad      []parse.RowError `json:"bad"`
	Total    int              `json:"-"` // rows in all, known before the first is written: for progress
}

// row is one parsed line of an import file.
type row struct {
	line    int
	conduct Conduct
	at      string
	err     error           // the content is wrong: the row is reported, the rest recorded
	bad     *parse.RowError // the row cannot be read: the file is refused
}

// usable says whether the row is one to record: read, and right so far.
func (rw row) usable() bool { return rw.err == nil && rw.bad == nil }

// Import records every good row of a CSV or JSON Lines file and reports
// every bad one with its line and reason. It first reads the whole file
// without writing: if any row cannot be read as a row it returns a
// *parse.FileError listing every such row, and nothing is written. Then rows are
// written in batches, one transaction each; a row whose content is wrong
// (an unknown rule, a subject not enrolled) writes nothing and spoils
// nothing else. Because each row carries its source reference, importing
// a file again changes nothing.
func (s *Service) Import(ctx context.Context, r io.Reader, opts ImportOptions) (*ImportReport, error) {
	src := newReplay(r)
	defer src.close()
	return s.recordRows(ctx, func() (func() (row, error), int, error) {
		in, err := src.first()
		if err != nil {
			return nil, 0, err
		}
		next, err := parse.Records(in, opts.Format)
		if err != nil {
			return nil, 0, err
		}
		total := 0
		counted := func() (parse.RecordRow, error) {
			r, err := next()
			if err == nil {
				total++
			}
			return r, err
		}
		if err := parse.Check(counted); err != nil {
			return nil, 0, err
		}
		if in, err = src.again(); err != nil {
			return nil, 0, err
		}
		rows, err := reader(in, opts.Format)
		return rows, total, err
	}, opts)
}

// RecordAll records many conducts as Import records rows; a row's Line in
// the report is its index in conducts plus one.
func (s *Service) RecordAll(ctx context.Context, conducts []Conduct, opts ImportOptions) (*ImportReport, error) {
	i := 0
	next := func() (row, error) {
		if i == len(conducts) {
			return row{}, io.EOF
		}
		i++
		return row{line: i, conduct: conducts[i-1]}, nil
	}
	return s.recordRows(ctx, func() (func() (row, error), int, error) { return next, len(conducts), nil }, opts)
}

// recordRows checks that the caller may import, then records the rows
// open gives, and as many in all as it says.
func (s *Service) recordRows(ctx context.Context, open func() (func() (row, error), int, error), opts ImportOptions) (*ImportReport, error) {
	if err := authorize(ActorOf(ctx), OpImportRecords, Target{}); err != nil { // before reading a byte
		return nil, err
	}
	next, total, err := open()
	if err != nil {
		return nil, err
	}
	batch := opts.Batch
	if batch <= 0 {
		batch = DefaultBatch
	}
	if n := s.importLanes(ctx, opts); n > 1 {
		return s.recordInLanes(ctx, next, batch, n, total, opts.Progress)
	}
	rep := &ImportReport{Bad: []parse.RowError{}, Total: total}
	pending := make([]row, 0, batch)
	flush := func() error {
		err := s.importBatch(ctx, pending, rep)
		pending = pending[:0]
		if opts.Progress != nil {
			opts.Progress(*rep)
		}
		return err
	}
	for {
		rw, err := next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return rep, err
		}
		rep.Rows++
		pending = append(pending, rw)
		if len(pending) == batch {
			if err := flush(); err != nil {
				return rep, err
			}
		}
	}
	return rep, flush()
}

// importBatch writes rows in one transaction. When a write itself fails
// (a constraint met under concurrent writers) the transaction is spoilt, so
// the batch is written again a row at a time.
func (s *Service) importBatch(ctx context.Context, rows []row, rep *ImportReport) error {
	if len(rows) == 0 {
		return nil
	}
	var part ImportReport
	err := s.store.Update(ctx, func(tx Tx) error {
		part = ImportReport{}
		b := newBatch()
		if err := s.resolveTimes(ctx, tx, rows, b); err != nil {
			return err
		}
		if err := s.readSubjects(ctx, tx, rows, b); err != nil {
			return err
		}
		if err := s.lockBatch(ctx, tx, rows, b); err != nil {
			return err
		}
		if err := s.prefetch(ctx, tx, rows, b); err != nil {
			return err
		}
		for _, rw := range rows {
			if err := s.importRow(ctx, tx, rw, b, &part); err != nil {
				return err
			}
		}
		return s.writeBatch(ctx, tx, b)
	})
	var we writeError
	if errors.As(err, &we) && len(rows) > 1 {
		for _, rw := range rows {
			if err := s.importBatch(ctx, []row{rw}, rep); err != nil {
				return err
			}
		}
		return nil
	}
	if err != nil && !errors.As(err, &we) {
		return err
	}
	if err != nil { // a single row whose write failed
		part.Bad = append(part.Bad, rowError(rows[0], err))
	}
	rep.Recorded += part.Recorded
	rep.Replayed += part.Replayed
	rep.Bad = append(rep.Bad, part.Bad...)
	return nil
}

// writeBatch writes what the batch's rows recorded: the records, then
// their holds, access-log entries, notices and shares, each kind in bulk. The
// notices, which need the records' IDs and are the most text to write, are
// composed on another goroutine while the holds and entries are written.
func (s *Service) writeBatch(ctx context.Context, tx Tx, b *batch) error {
	if len(b.pending) == 0 {
		return nil
	}
	if err := tx.InsertRecords(ctx, b.pending); err != nil {
		return writeError{err}
	}
	now := s.now()
	notices := make([]*tally.Notice, len(b.notes))
	composed := make(chan struct{})
	go func() {
		defer close(composed)
		for i, n := range b.notes {
			notices[i] = recordNotice(n.r, n.rule, n.held, n.book, now)
		}
	}()
	err := s.writeHoldsAndLog(ctx, tx, b, now)
	<-composed
	if err != nil {
		return err
	}
	if err := tx.InsertNotices(ctx, notices); err != nil {
		return writeError{err}
	}
	return s.shareBatch(ctx, tx, b)
}

// shareBatch puts the batch's records that an agreement covers into the
// outbox, with the agreements read once for the batch.
func (s *Service) shareBatch(ctx context.Context, tx Tx, b *batch) error {
	o, err := s.outbox(ctx, tx)
	if err != nil || o.iss == nil {
		return err
	}
	for _, n := range b.notes {
		if err := o.record(ctx, tx, n.r, n.rule); err != nil {
			return writeError{err}
		}
	}
	return nil
}

// writeHoldsAndLog holds the batch's records that wait for a second
// person and logs that each was imported.
func (s *Service) writeHoldsAndLog(ctx context.Context, tx Tx, b *batch, now time.Time) error {
	var holds []*tally.Hold
	for _, n := range b.notes {
		if n.held != "" {
			holds = append(holds, holdOf(n.r, n.held, now))
		}
	}
	if err := tx.InsertHolds(ctx, holds); err != nil {
		return writeError{err}
	}
	log := make([]*tally.Access, len(b.pending))
	for i, r := range b.pending {
		log[i] = s.access(ctx, r.SubjectID, r.Scheme, "record", recordDetail("imported", r))
	}
	return tx.InsertAccesses(ctx, log)
}

// resolveTimes reads each row's time in its scheme's time zone, before
// anything that depends on it (the rule in force, its cap window) is
// read for the batch; a row whose time cannot be read carries the error.
func (s *Service) resolveTimes(ctx context.Context, tx Rulebooks, rows []row, b *batch) error {
	for i := range rows {
		rw := &rows[i]
		if !rw.usable() || rw.at == "" {
			continue
		}
		if err := s.resolveAt(ctx, tx, rw, b); err != nil {
			if tally.ErrorCodeOf(err) == tally.EInternal {
				return err
			}
			rw.err = err
		}
		rw.at = ""
	}
	return nil
}

// importRow records one row; it returns an error only when the batch must stop.
func (s *Service) importRow(ctx context.Context, tx recordTx, rw row, b *batch, rep *ImportReport) error {
	if rw.bad != nil { // the file changed between the readings
		rep.Bad = append(rep.Bad, *rw.bad)
		return nil
	}
	err := rw.err
	if err == nil {
		var out *Recorded
		out, err = s.record(ctx, tx, rw.conduct, false, b)
		if err == nil {
			if out.Replayed {
				rep.Replayed++
			} else {
				rep.Recorded++
			}
			return nil
		}
	}
	var we writeError
	if errors.As(err, &we) || tally.ErrorCodeOf(err) == tally.EInternal {
		return err
	}
	rep.Bad = append(rep.Bad, rowError(rw, err))
	return nil
}

// resolveAt reads the row's time in its scheme's time zone.
func (s *Service) resolveAt(ctx context.Context, tx Rulebooks, rw *row, b *batch) error {
	vs, err := s.cachedVersions(ctx, tx, rw.conduct.Scheme, b)
	if err != nil {
		return err
	}
	at, err := ParseTime(rw.at, vs[len(vs)-1].Book.Location, false)
	if err != nil {
		return tally.FieldErrorf("at", "%v", err)
	}
	rw.conduct.At = at
	return nil
}

func rowError(rw row, err error) parse.RowError {
	msg, field := err.Error(), ""
	var te *tally.Error
	if errors.As(err, &te) {
		msg, field = te.Error(), te.Field
	}
	return parse.RowError{Line: rw.line, Field: field, Ref: rw.conduct.Ref, Code: string(tally.ErrorCodeOf(err)), Message: msg, Err: err}
}
