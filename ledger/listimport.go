package ledger

import (
	"bufio"
	"context"
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
	err                                                                     error     // the content is wrong
	bad                                                                     *RowError // the row cannot be read
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
	Aggravation *int   `json:"aggravation"`
}

// ImportListings lists every good row of a court's file (CSV with the
// header list,subject,name,case_number,court,decided,notice,grounds,basis
// [,aggravation], or JSON Lines with the same names) and reports every bad
// row with its line and reason, as Import does for records. It first reads
// the whole file without writing: if any row cannot be read as a row it
// returns a *FileError listing every such row, and nothing is written.
// Rows are written DefaultBatch to a transaction; because each row carries its
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
	src := newReplay(r)
	defer src.close()
	in, err := src.first()
	if err != nil {
		return nil, err
	}
	next, err := listReader(in, format)
	if err != nil {
		return nil, err
	}
	if err := checkRows(next, func(rw *listRow) *RowError { return rw.bad }); err != nil {
		return nil, err
	}
	if in, err = src.again(); err != nil {
		return nil, err
	}
	if next, err = listReader(in, format); err != nil {
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
		if rw.bad != nil { // the file changed between the readings
			rep.Bad = append(rep.Bad, *rw.bad)
			continue
		}
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
	return RowError{Line: line, Field: fieldOf(err), Ref: ref, Code: string(tally.ErrorCodeOf(err)), Message: err.Error()}
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

// listReader returns a function yielding the rows of a list-entries file,
// io.EOF at the end; a row that cannot be read comes back with bad set.
func listReader(r io.Reader, format Format) (func() (*listRow, error), error) {
	br := bufio.NewReaderSize(r, MaxRowBytes)
	switch detectFormat(br, format) {
	case CSV:
		c, err := newCSVRows(br, listColumns, 9)
		if err != nil {
			return nil, err
		}
		return func() (*listRow, error) {
			rec, line, bad, err := c.next()
			if err != nil {
				return nil, err
			}
			if bad != nil {
				return &listRow{line: line, bad: bad}, nil
			}
			get := func(name string) string { return c.get(rec, name) }
			return &listRow{line: line, list: get("list"), subject: get("subject"), name: get("name"), caseNumber: get("case_number"),
				court: get("court"), decided: get("decided"), notice: get("notice"), grounds: get("grounds"), basis: get("basis"),
				aggravation: get("aggravation")}, nil
		}, nil
	case JSONL:
		j := newJSONLines(br)
		return func() (*listRow, error) {
			text, line, bad, err := j.next()
			if err != nil {
				return nil, err
			}
			var jr jsonListRow
			if bad == nil {
				bad = decodeLine(text, line, &jr, false)
			}
			if bad != nil {
				return &listRow{line: line, bad: bad}, nil
			}
			rw := &listRow{line: line, list: jr.List, subject: jr.Subject, name: jr.Name, caseNumber: jr.CaseNumber,
				court: jr.Court, decided: jr.Decided, notice: jr.Notice, grounds: jr.Grounds, basis: jr.Basis}
			if jr.Aggravation != nil {
				rw.aggravation = strconv.Itoa(*jr.Aggravation)
			}
			return rw, nil
		}, nil
	}
	return nil, tally.FieldErrorf("format", "unknown import format %q (want csv or jsonl)", format)
}
