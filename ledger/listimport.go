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
	"strconv"
	"strings"
	"time"

	"github.com/tallycredit/tally"
)

// listColumns are the columns of a list-entries file; all but aggravation
// are required.
var listColumns = []string{"list", "subject", "name", "case_number", "court", "decided", "notice", "grounds", "basis", "aggravation"}

// ListImportReport counts a list import's rows.
type ListImportReport struct {
	Rows      int        `json:"rows"`
	Listed    int        `json:"listed"`
	Unchanged int        `json:"unchanged"` // listed before with the same content
	Bad       []RowError `json:"bad"`
}

// listRow is one row of a list-entries file, as text.
type listRow struct {
	line                                                                    int
	list, subject, name, caseNumber, court, decided, notice, grounds, basis string
	aggravation                                                             string
	err                                                                     error
}

// jsonListRow is one line of a JSON Lines list file.
type jsonListRow struct {
	List        string `json:"list"`
	Subject     string `json:"subject"`
	Name        string `json:"name"`
	CaseNumber  string `json:"case_number"`
	Court       string `json:"court"`
	Decided     string `json:"decided"`
	Notice      string `json:"notice"`
	Grounds     string `json:"grounds"`
	Basis       string `json:"basis"`
	Aggravation int    `json:"aggravation"`
}

// ImportListings lists every good row of a court's file (CSV with the
// header list,subject,name,case_number,court,decided,notice,grounds,basis
// [,aggravation], or JSON Lines with the same names) and reports every bad
// row with its line and reason, as Import does for records. Rows are
// written DefaultBatch to a transaction; because each row carries its
// case number, importing a file again changes nothing. Dates are read in
// the catalogue's time zone.
func (s *Service) ImportListings(ctx context.Context, r io.Reader, format Format, progress func(ListImportReport)) (*ListImportReport, error) {
	if err := authorize(ActorOf(ctx), OpImportListEntries, Target{}); err != nil {
		return nil, err
	}
	cat, _, err := s.Catalogue(ctx)
	if err != nil {
		return nil, err
	}
	next, err := listReader(r, format)
	if err != nil {
		return nil, err
	}
	rep := &ListImportReport{Bad: []RowError{}}
	var batch []Listing
	var lines []int
	flush := func() error {
		if len(batch) > 0 {
			if err := s.importListings(ctx, batch, lines, rep); err != nil {
				return err
			}
		}
		batch, lines = batch[:0], lines[:0]
		if progress != nil {
			progress(*rep)
		}
		return nil
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
		in, err := rw.listing(cat.Location)
		if err == nil {
			err = rw.err
		}
		if err != nil {
			rep.Bad = append(rep.Bad, listRowError(rw.line, rw.caseNumber, err))
			continue
		}
		batch, lines = append(batch, in), append(lines, rw.line)
		if len(batch) == DefaultBatch {
			if err := flush(); err != nil {
				return rep, err
			}
		}
	}
	if err := flush(); err != nil {
		return rep, err
	}
	s.listsChanged(ctx)
	return rep, nil
}

func listRowError(line int, ref string, err error) RowError {
	return RowError{Line: line, Ref: ref, Code: string(tally.ErrorCodeOf(err)), Message: err.Error()}
}

// importListings writes one batch in one transaction; a bad row is
// reported and spoils nothing else.
func (s *Service) importListings(ctx context.Context, batch []Listing, lines []int, rep *ListImportReport) error {
	a := ActorOf(ctx)
	var part ListImportReport
	err := s.store.Update(ctx, func(tx Tx) error {
		part = ListImportReport{}
		if err := lockLists(ctx, tx); err != nil {
			return err
		}
		cat, _, err := s.catalogue(ctx, tx)
		if err != nil {
			return err
		}
		for i, in := range batch {
			err := mayList(a, in.List)
			var existed bool
			if err == nil {
				_, existed, err = s.list(ctx, tx, cat, in)
			}
			switch code := tally.ErrorCodeOf(err); {
			case err == nil && existed:
				part.Unchanged++
			case err == nil:
				part.Listed++
			case code == tally.EInternal:
				return fmt.Errorf("line %d: %w", lines[i], err)
			default:
				part.Bad = append(part.Bad, listRowError(lines[i], in.CaseNumber, err))
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	rep.Listed += part.Listed
	rep.Unchanged += part.Unchanged
	rep.Bad = append(rep.Bad, part.Bad...)
	return nil
}

// listing turns a row into a Listing, reading its dates in loc. A
// missing date is left zero for List to refuse with its reason.
func (rw *listRow) listing(loc *time.Location) (Listing, error) {
	in := Listing{List: rw.list, Identifier: rw.subject, Name: rw.name, CaseNumber: rw.caseNumber, Court: rw.court,
		Grounds: rw.grounds, Basis: rw.basis}
	for _, d := range []struct {
		field, value string
		dst          *time.Time
	}{{"decided", rw.decided, &in.DecidedOn}, {"notice", rw.notice, &in.NoticeServed}} {
		if strings.TrimSpace(d.value) == "" {
			continue
		}
		t, err := ParseTime(d.value, loc, false)
		if err != nil {
			return in, tally.FieldErrorf(d.field, "%v", err)
		}
		*d.dst = t
	}
	if a := strings.TrimSpace(rw.aggravation); a != "" {
		n, err := strconv.Atoi(a)
		if err != nil {
			return in, tally.FieldErrorf("aggravation", "%q: want whole years, such as 1", a)
		}
		in.Aggravation = n
	}
	return in, nil
}

func listReader(r io.Reader, format Format) (func() (*listRow, error), error) {
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
		cr := csv.NewReader(br)
		cr.FieldsPerRecord = -1
		col, width, err := csvHeader(cr, listColumns, 9)
		if err != nil {
			return nil, err
		}
		return func() (*listRow, error) {
			rec, err := cr.Read()
			if err == io.EOF {
				return nil, io.EOF
			}
			line, _ := cr.FieldPos(0)
			if err != nil {
				var pe *csv.ParseError
				if errors.As(err, &pe) {
					return &listRow{line: pe.Line, err: tally.Errorf(tally.EInvalid, "%v", pe.Err)}, nil
				}
				return nil, err
			}
			get := func(name string) string { return field(col, rec, name) }
			rw := &listRow{line: line, list: get("list"), subject: get("subject"), name: get("name"), caseNumber: get("case_number"),
				court: get("court"), decided: get("decided"), notice: get("notice"), grounds: get("grounds"), basis: get("basis"),
				aggravation: get("aggravation")}
			if len(rec) != width {
				rw.err = tally.Errorf(tally.EInvalid, "has %d fields, the header %d", len(rec), width)
			}
			return rw, nil
		}, nil
	case JSONL:
		line := 0
		return func() (*listRow, error) {
			for {
				text, err := br.ReadBytes('\n')
				if len(text) == 0 && err != nil {
					return nil, err
				}
				line++
				text = bytes.TrimSpace(text)
				if len(text) == 0 {
					continue
				}
				var jr jsonListRow
				dec := json.NewDecoder(bytes.NewReader(text))
				dec.DisallowUnknownFields()
				if derr := dec.Decode(&jr); derr != nil {
					return &listRow{line: line, err: tally.Errorf(tally.EInvalid, "not a valid row: %v", derr)}, nil
				}
				return &listRow{line: line, list: jr.List, subject: jr.Subject, name: jr.Name, caseNumber: jr.CaseNumber,
					court: jr.Court, decided: jr.Decided, notice: jr.Notice, grounds: jr.Grounds, basis: jr.Basis,
					aggravation: strconv.Itoa(jr.Aggravation)}, nil
			}
		}, nil
	}
	return nil, tally.FieldErrorf("format", "unknown import format %q (want csv or jsonl)", format)
}
