package ledger

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/tallycredit/tally"
)

// Format is the layout of an import file.
type Format string

// The import formats.
const (
	CSV   Format = "csv"   // header: scheme,subject,rule,at,ref[,facts][,evidence][,by]
	JSONL Format = "jsonl" // one object a line with the same names; facts an object
)

// DefaultBatch is how many rows an import writes in one transaction.
const DefaultBatch = 500

// ImportOptions tunes Import.
type ImportOptions struct {
	Format   Format
	Batch    int // rows per transaction; DefaultBatch when 0
	Progress func(ImportReport)
}

// RowError is one bad row of an import: nothing of it was written.
type RowError struct {
	Line    int    `json:"line"`
	Ref     string `json:"ref,omitempty"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// ImportReport counts an import's rows.
type ImportReport struct {
	Rows     int        `json:"rows"`
	Recorded int        `json:"recorded"`
	Replayed int        `json:"unchanged"` // recorded before with the same content
	Bad      []RowError `json:"bad"`
}

// row is one parsed line of an import file.
type row struct {
	line    int
	conduct Conduct
	at      string
	err     error
}

// Import records every good row of a CSV or JSON Lines file and reports
// every bad one with its line and reason. Rows are written in batches, one
// transaction each; a bad row writes nothing and spoils nothing else.
// Because each row carries its source reference, importing a file again
// changes nothing.
func (s *Service) Import(ctx context.Context, r io.Reader, opts ImportOptions) (*ImportReport, error) {
	next, err := reader(r, opts.Format)
	if err != nil {
		return nil, err
	}
	return s.recordRows(ctx, next, opts)
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
	return s.recordRows(ctx, next, opts)
}

func (s *Service) recordRows(ctx context.Context, next func() (row, error), opts ImportOptions) (*ImportReport, error) {
	if a := ActorOf(ctx); a.Role != tally.Admin && a.Role != tally.Recorder && a.Role != tally.Agency {
		return nil, forbidden(a, "import records")
	}
	batch := opts.Batch
	if batch <= 0 {
		batch = DefaultBatch
	}
	rep := &ImportReport{Bad: []RowError{}}
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
		if len(b.pending) == 0 {
			return nil
		}
		if err := tx.InsertRecords(ctx, b.pending); err != nil {
			return writeError{err}
		}
		log := make([]*tally.Access, len(b.pending))
		for i, r := range b.pending {
			log[i] = s.access(ctx, r.SubjectID, r.Scheme, "record", "import: "+recordDetail(r))
		}
		return tx.InsertAccesses(ctx, log)
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

// importRow records one row; it returns an error only when the batch must stop.
func (s *Service) importRow(ctx context.Context, tx Tx, rw row, b *batch, rep *ImportReport) error {
	err := rw.err
	if err == nil && rw.at != "" {
		err = s.resolveAt(ctx, tx, &rw, b)
	}
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
func (s *Service) resolveAt(ctx context.Context, tx Tx, rw *row, b *batch) error {
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

func rowError(rw row, err error) RowError {
	msg := err.Error()
	var te *tally.Error
	if errors.As(err, &te) {
		msg = te.Error()
	}
	return RowError{Line: rw.line, Ref: rw.conduct.Ref, Code: string(tally.ErrorCodeOf(err)), Message: msg}
}

// reader returns a function yielding the file's rows one by one, io.EOF
// at the end. A row that cannot be parsed comes back with err set; an
// error of the file as a whole (a bad header) is returned at once.
func reader(r io.Reader, format Format) (func() (row, error), error) {
	br := bufio.NewReaderSize(r, 1<<16)
	if format == "" {
		head, _ := br.Peek(512)
		format = CSV
		if t := bytes.TrimLeft(head, " \t\r\n\ufeff"); len(t) > 0 && t[0] == '{' {
			format = JSONL
		}
	}
	switch format {
	case CSV:
		return csvReader(br)
	case JSONL:
		return jsonlReader(br), nil
	}
	return nil, tally.FieldErrorf("format", "unknown import format %q (want csv or jsonl)", format)
}

var csvColumns = map[string]bool{"scheme": true, "subject": true, "rule": true, "at": true, "ref": true, "facts": true, "evidence": true, "by": true}

func csvReader(r io.Reader) (func() (row, error), error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, &tally.Error{Code: tally.EInvalid, Line: 1, Message: fmt.Sprintf("cannot read the CSV header: %v", err)}
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if !csvColumns[h] {
			return nil, &tally.Error{Code: tally.EInvalid, Line: 1, Field: "header", Message: fmt.Sprintf("unknown column %q (want scheme, subject, rule, at, ref, facts, evidence, by)", h)}
		}
		col[h] = i
	}
	for _, need := range []string{"scheme", "subject", "rule", "at", "ref"} {
		if _, ok := col[need]; !ok {
			return nil, &tally.Error{Code: tally.EInvalid, Line: 1, Field: "header", Message: fmt.Sprintf("missing column %q", need)}
		}
	}
	return func() (row, error) {
		rec, err := cr.Read()
		if err == io.EOF {
			return row{}, io.EOF
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return row{line: pe.Line, err: tally.Errorf(tally.EInvalid, "%v", pe.Err)}, nil
			}
			return row{}, err
		}
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		rw := row{line: line, at: get("at"), conduct: Conduct{
			Scheme: get("scheme"), Identifier: get("subject"), Rule: get("rule"),
			Ref: get("ref"), Evidence: get("evidence"), By: get("by"), FactArgs: []string{},
		}}
		if len(rec) != len(header) {
			rw.err = tally.Errorf(tally.EInvalid, "has %d fields, the header %d", len(rec), len(header))
		}
		for _, kv := range strings.Split(get("facts"), ";") {
			if kv = strings.TrimSpace(kv); kv != "" {
				rw.conduct.FactArgs = append(rw.conduct.FactArgs, kv)
			}
		}
		return rw, nil
	}, nil
}

// jsonRow is one line of a JSON Lines import.
type jsonRow struct {
	Scheme   string         `json:"scheme"`
	Subject  string         `json:"subject"`
	Rule     string         `json:"rule"`
	At       string         `json:"at"`
	Ref      string         `json:"ref"`
	Facts    map[string]any `json:"facts"`
	Evidence string         `json:"evidence"`
	By       string         `json:"by"`
}

func jsonlReader(r *bufio.Reader) func() (row, error) {
	line := 0
	return func() (row, error) {
		for {
			text, err := r.ReadBytes('\n')
			if len(text) == 0 && err != nil {
				return row{}, err
			}
			line++
			text = bytes.TrimSpace(text)
			if len(text) == 0 {
				continue
			}
			var jr jsonRow
			dec := json.NewDecoder(bytes.NewReader(text))
			dec.DisallowUnknownFields()
			dec.UseNumber()
			rw := row{line: line}
			if derr := dec.Decode(&jr); derr != nil {
				rw.err = tally.Errorf(tally.EInvalid, "not a valid row: %v", derr)
				return rw, nil
			}
			rw.at = jr.At
			rw.conduct = Conduct{Scheme: jr.Scheme, Identifier: jr.Subject, Rule: jr.Rule, Ref: jr.Ref, Evidence: jr.Evidence, By: jr.By, Facts: jr.Facts}
			if rw.conduct.Facts == nil {
				rw.conduct.Facts = map[string]any{}
			}
			if jr.At == "" {
				rw.err = tally.FieldErrorf("at", "say when the conduct happened")
			}
			return rw, nil
		}
	}
}
