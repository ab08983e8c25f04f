package ledger

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/parse"
)

// ListImportReport counts a list import's rows.
type ListImportReport struct {
	Rows      int `json:"rows"`
	Listed    int `json:"listed"`
	Unchanged int `json:"unchanged"` // listed before with the same content
	// Proposed counts the rows of lists with a statement period: each
	// became a proposal, not yet an entry (see StateCase).
	Proposed int `json:"proposed,omitempty"`
	// Revoked counts, for a full snapshot, the entries in effect the file
	// no longer names, each revoked with its cascade (see Revoke).
	Revoked int              `json:"revoked,omitempty"`
	Bad     []parse.RowError `json:"bad"`
}

// ImportListings lists every good row of a court's file (CSV with the
// header list,subject,name,case_number,court,decided,notice,grounds,basis
// [,aggravation], or JSON Lines with the same names; see parse.Listings)
// and reports every bad row with its line and reason, as Import does for
// records. It first reads the whole file without writing: if any row
// cannot be read as a row it returns a *parse.FileError listing every such
// row, and nothing is written.
// Rows are written DefaultBatch to a transaction; because each row carries its
// case number, importing a file again changes nothing. Dates are read in
// the catalogue's time zone.
func (s *Service) ImportListings(ctx context.Context, r io.Reader, format parse.Format, progress func(ListImportReport)) (*ListImportReport, error) {
	return s.importListingsFile(ctx, r, format, progress, "")
}

// ImportListSnapshot imports a file that is the full snapshot of one
// list, as ImportListings does, and then treats every entry of that list
// still in effect that no row of the file names (good or bad) as revoked:
// each is revoked with its cascade (Revoke), dated now, in one
// transaction. A row of another list is a bad row. That a file is a full
// snapshot is always said by the caller (this method), never guessed.
func (s *Service) ImportListSnapshot(ctx context.Context, list string, r io.Reader, format parse.Format, progress func(ListImportReport)) (*ListImportReport, error) {
	if err := authorize(ActorOf(ctx), OpRevokeSource, Target{Category: list}); err != nil {
		return nil, err
	}
	if strings.TrimSpace(list) == "" {
		return nil, tally.FieldErrorf("list", "name the list the file is a full snapshot of")
	}
	return s.importListingsFile(ctx, r, format, progress, list)
}

// importListingsFile imports a file of listings; with snapshot, a full
// snapshot of that list.
func (s *Service) importListingsFile(ctx context.Context, r io.Reader, format parse.Format, progress func(ListImportReport), snapshot string) (*ListImportReport, error) {
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
	next, err := parse.Listings(in, format)
	if err != nil {
		return nil, err
	}
	if err := parse.Check(next); err != nil {
		return nil, err
	}
	if in, err = src.again(); err != nil {
		return nil, err
	}
	if next, err = parse.Listings(in, format); err != nil {
		return nil, err
	}
	if _, ok := cat.List(snapshot); snapshot != "" && !ok {
		return nil, tally.FieldErrorf("list", "unknown list %q (see the published catalogue)", snapshot)
	}
	rep := &ListImportReport{Bad: []parse.RowError{}}
	named := map[string]bool{} // the case numbers a snapshot names
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
		named[strings.TrimSpace(rw.CaseNumber)] = true
		if snapshot != "" && strings.TrimSpace(rw.List) != snapshot {
			rep.Bad = append(rep.Bad, listRowError(rw.Line, rw.CaseNumber, tally.FieldErrorf("list", "%q: a snapshot of %s names only that list", rw.List, snapshot)))
			continue
		}
		if rw.Bad != nil { // the file changed between the readings
			rep.Bad = append(rep.Bad, *rw.Bad)
			continue
		}
		in, err := listingOf(rw, cat.Location)
		if err != nil {
			rep.Bad = append(rep.Bad, listRowError(rw.Line, rw.CaseNumber, err))
			continue
		}
		batch, lines = append(batch, in), append(lines, rw.Line)
		if len(batch) == DefaultBatch {
			if err := flush(); err != nil {
				return rep, err
			}
		}
	}
	if err := flush(); err != nil {
		return rep, err
	}
	if snapshot != "" {
		if err := s.revokeMissing(ctx, snapshot, named, rep); err != nil {
			return rep, err
		}
	}
	s.listsChanged(ctx)
	return rep, nil
}

// revokeMissing revokes, in one transaction, every entry of list in
// effect whose case number the snapshot did not name.
func (s *Service) revokeMissing(ctx context.Context, list string, named map[string]bool, rep *ListImportReport) error {
	note := fmt.Sprintf("not in the full snapshot of %s imported by %s", list, ActorOf(ctx).Name)
	return s.store.Update(ctx, func(tx Tx) error {
		rep.Revoked = 0
		cases, err := tx.CasesInEffect(ctx, list, s.now())
		if err != nil {
			return err
		}
		for _, c := range missingCases(cases, named) {
			if _, err := s.revoke(ctx, tx, Revocation{Source: c, Note: note}); err != nil {
				return fmt.Errorf("revoke case %s: %w", c, err)
			}
			rep.Revoked++
		}
		return nil
	})
}

func listRowError(line int, ref string, err error) parse.RowError {
	return parse.RowError{Line: line, Field: fieldOf(err), Ref: ref, Code: string(tally.ErrorCodeOf(err)), Message: err.Error(), Err: err}
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
			var f filing
			if err == nil {
				f, err = s.file(ctx, tx, cat, in)
			}
			switch code := tally.ErrorCodeOf(err); {
			case err == nil && f.existed:
				part.Unchanged++
			case err == nil && f.proposal != nil:
				part.Proposed++
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
	rep.Proposed += part.Proposed
	rep.Bad = append(rep.Bad, part.Bad...)
	return nil
}

// listingOf turns a row into a Listing, reading its dates in loc. A
// missing date is left zero for List to refuse with its reason.
func listingOf(rw parse.ListRow, loc *time.Location) (Listing, error) {
	in := Listing{List: rw.List, Identifier: rw.Subject, Name: rw.Name, CaseNumber: rw.CaseNumber, Court: rw.Court,
		Grounds: rw.Grounds, Basis: rw.Basis}
	for _, d := range []struct {
		field, value string
		dst          *time.Time
	}{{"decided", rw.Decided, &in.DecidedOn}, {"notice", rw.Notice, &in.NoticeServed}} {
		if strings.TrimSpace(d.value) == "" {
			continue
		}
		t, err := ParseTime(d.value, loc, false)
		if err != nil {
			return in, tally.FieldErrorf(d.field, "%v", err)
		}
		*d.dst = t
	}
	if a := strings.TrimSpace(rw.Aggravation); a != "" {
		n, err := strconv.Atoi(a)
		if err != nil {
			return in, tally.FieldErrorf("aggravation", "%q: want whole years, such as 1", a)
		}
		in.Aggravation = n
	}
	return in, nil
}
