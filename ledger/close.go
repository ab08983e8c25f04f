package ledger

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"math"
	"sort"
	"strconv"
	"time"

	"github.com/tallycredit/tally"
)

// ClosePage is how many subjects a close reads and writes at a time.
const ClosePage = 1000

// Progress is told how many of a total are done; nil tells nobody.
type Progress func(done, total int64)

// mayReadSheet: a close's header, rows, tally sheet and rewards name
// every subject of the scheme.
func mayReadSheet(a *tally.Actor, scheme string) error {
	return authorize(a, OpReadSheet, Target{Scheme: scheme})
}

// Close freezes a scheme's period: every subject enrolled when it is
// closed (records may be entered for conduct before an enrolment), with opening and closing scores, the period's gains and losses,
// grade and board marks, in one transaction. A period is closed once:
// closing it again returns the close made the first time (made is then
// false), and so does a close racing another. Periods close in order and
// only after they have ended. Records that arrived after the previous
// close for conduct in the periods it covered are listed as late.
func (s *Service) Close(ctx context.Context, scheme, period string, progress Progress) (c *tally.Close, made bool, err error) {
	if err := authorize(ActorOf(ctx), OpClose, Target{Scheme: scheme}); err != nil {
		return nil, false, err
	}
	p, err := tally.ParsePeriod(period)
	if err != nil {
		return nil, false, err
	}
	if progress == nil {
		progress = func(int64, int64) {}
	}
	err = s.store.Update(ctx, func(tx Tx) error {
		c, made = nil, false
		vs, err := s.versions(ctx, tx, scheme)
		if err != nil {
			return err
		}
		old, err := tx.CloseOf(ctx, scheme, period)
		if err == nil {
			c = local(old, vs)
			return nil
		} else if tally.ErrorCodeOf(err) != tally.ENotFound {
			return err
		}
		if c, err = s.close(ctx, tx, scheme, p, progress); err != nil {
			return err
		}
		c, made = local(c, vs), true
		return nil
	})
	if tally.ErrorCodeOf(err) == tally.EConflict { // another close of the same period won
		c, err = s.CloseOf(ctx, scheme, period)
		return c, false, err
	}
	if err != nil {
		return nil, false, err
	}
	return c, made, nil
}

// CloseOf returns the header of a closed period, or ENotFound.
func (s *Service) CloseOf(ctx context.Context, scheme, period string) (*tally.Close, error) {
	if err := mayReadSheet(ActorOf(ctx), scheme); err != nil {
		return nil, err
	}
	var c *tally.Close
	err := s.store.View(ctx, func(tx Tx) error {
		vs, err := s.versions(ctx, tx, scheme)
		if err != nil {
			return err
		}
		if c, err = tx.CloseOf(ctx, scheme, period); err != nil {
			return err
		}
		c = local(c, vs)
		return nil
	})
	return c, err
}

// local returns c with its times in the scheme's time zone.
func local(c *tally.Close, vs []Version) *tally.Close {
	loc := vs[len(vs)-1].Book.Location
	out := *c
	out.Starts, out.Ends, out.AsOf, out.ClosedAt = c.Starts.In(loc), c.Ends.In(loc), c.AsOf.In(loc), c.ClosedAt.In(loc)
	return &out
}

// Closes returns a scheme's closed periods, oldest first. Anyone may list
// them: a header holds only counts.
func (s *Service) Closes(ctx context.Context, scheme string) ([]tally.Close, error) {
	if err := authorize(ActorOf(ctx), OpListCloses, Target{Scheme: scheme}); err != nil {
		return nil, err
	}
	var cs []tally.Close
	err := s.store.View(ctx, func(tx Tx) error {
		vs, err := s.versions(ctx, tx, scheme)
		if err != nil {
			return err
		}
		if cs, err = tx.Closes(ctx, scheme); err != nil {
			return err
		}
		for i := range cs {
			cs[i] = *local(&cs[i], vs)
		}
		return nil
	})
	return cs, err
}

// closer carries one close through its pages.
type closer struct {
	vs             []Version
	book           *Version // in force at the period's end
	open           *Version // in force at the instant before the period, or book
	starts, ends   time.Time
	asOf, openAt   time.Time
	prev           *tally.Close
	totals         map[[2]string]*tally.CategoryTotal
	digest         hash.Hash
	subjects, recs int64
}

// closeTx is what a close reads and writes: the rulebook, the scheme's
// enrolments page by page with their subjects, records and publication
// consents, the previous close, and the new one.
type closeTx interface {
	Rulebooks
	Enrolments
	RecordCounts
	Periods
	Publications
	Closes
	CloseSheets
}

// close computes and writes a close inside tx.
func (s *Service) close(ctx context.Context, tx closeTx, scheme string, p tally.Period, progress Progress) (*tally.Close, error) {
	vs, err := s.versions(ctx, tx, scheme)
	if err != nil {
		return nil, err
	}
	loc := vs[len(vs)-1].Book.Location
	k := &closer{vs: vs, totals: map[[2]string]*tally.CategoryTotal{}, digest: sha256.New()}
	k.starts, k.ends = p.Bounds(loc)
	k.asOf, k.openAt = k.ends.Add(-time.Microsecond), k.starts.Add(-time.Microsecond)
	now := s.now()
	if now.Before(k.ends) {
		return nil, tally.FieldErrorf("period", "period %s of scheme %s has not ended: it can be closed from %s",
			p, scheme, k.ends.In(loc).Format(time.RFC3339))
	}
	if k.book, err = inForce(vs, k.asOf); err != nil {
		return nil, tally.FieldErrorf("period", "period %s of scheme %s ends before its first rulebook takes effect", p, scheme)
	}
	if k.open, err = inForce(vs, k.openAt); err != nil {
		k.open = k.book
	}
	closes, err := tx.Closes(ctx, scheme)
	if err != nil {
		return nil, err
	}
	if n := len(closes); n > 0 {
		k.prev = &closes[n-1]
		if k.prev.Period > string(p) {
			return nil, tally.FieldErrorf("period", "period %s of scheme %s is before its latest close (%s): periods close in order",
				p, scheme, k.prev.Period)
		}
	}
	total, _, err := tx.Counts(ctx, scheme)
	if err != nil {
		return nil, err
	}
	progress(0, total)
	var done int64
	for after := int64(0); ; {
		page, err := tx.Enrolments(ctx, scheme, after, ClosePage)
		if err != nil {
			return nil, err
		}
		if len(page) == 0 {
			break
		}
		rows, err := k.page(ctx, tx, scheme, after, page)
		if err != nil {
			return nil, err
		}
		if err := tx.InsertCloseRows(ctx, scheme, string(p), rows); err != nil {
			return nil, err
		}
		done += int64(len(page))
		progress(done, total)
		after = page[len(page)-1].SubjectID
		if len(page) < ClosePage {
			break
		}
	}
	var late []int64
	if k.prev != nil {
		if late, err = tx.LateRecords(ctx, scheme, k.prev.Ends, k.prev.ClosedAt); err != nil {
			return nil, err
		}
		for _, id := range late {
			fmt.Fprintf(k.digest, "late|%d\n", id)
		}
		if err := tx.InsertCloseLate(ctx, scheme, string(p), late); err != nil {
			return nil, err
		}
	}
	totals := k.sortedTotals()
	for _, t := range totals {
		fmt.Fprintf(k.digest, "total|%s|%s|%d|%d|%d\n", t.Unit, t.Category, t.Gains, t.Losses, t.Records)
	}
	if err := tx.InsertCloseTotals(ctx, scheme, string(p), totals); err != nil {
		return nil, err
	}
	c := &tally.Close{
		Scheme: scheme, Period: string(p), Version: k.book.Version, Starts: k.starts, Ends: k.ends, AsOf: k.asOf,
		ClosedAt: now, ClosedBy: ActorOf(ctx).Name, Subjects: k.subjects, Records: k.recs, Late: int64(len(late)),
		Digest: hex.EncodeToString(k.digest.Sum(nil)),
	}
	if err := tx.InsertClose(ctx, c); err != nil {
		return nil, err
	}
	return c, nil
}

// pageTx is what one page of a close reads.
type pageTx interface {
	Periods
	Publications
	CloseSheets
}

// page computes the rows of one page of enrolments, reading the page's
// subjects, records, publication consents and previous rows in one query
// each.
func (k *closer) page(ctx context.Context, tx pageTx, scheme string, after int64, page []tally.Enrolment) ([]tally.CloseRow, error) {
	last := page[len(page)-1].SubjectID
	subjects, err := tx.EnrolledSubjects(ctx, scheme, after, last)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]*tally.Subject, len(subjects))
	for i := range subjects {
		byID[subjects[i].ID] = &subjects[i]
	}
	records, err := tx.WindowRecords(ctx, scheme, after, last, k.openAt, k.asOf)
	if err != nil {
		return nil, err
	}
	published, err := tx.Published(ctx, scheme, after, last)
	if err != nil {
		return nil, err
	}
	previous := map[int64]*int64{}
	if k.prev != nil {
		prows, err := tx.CloseRows(ctx, scheme, k.prev.Period, after, last, math.MaxInt32)
		if err != nil {
			return nil, err
		}
		for _, r := range prows {
			if r.Scored {
				previous[r.SubjectID] = r.Closing
			}
		}
	}
	rows := make([]tally.CloseRow, 0, len(page))
	for i := range page {
		e := &page[i]
		subj, ok := byID[e.SubjectID]
		if !ok {
			return nil, fmt.Errorf("close: enrolled subject %d not found", e.SubjectID)
		}
		// Records of this subject: the slice is ordered by subject.
		n := 0
		for n < len(records) && records[n].SubjectID == e.SubjectID {
			n++
		}
		mine := records[:n]
		records = records[n:]
		row := k.row(subj, e, mine)
		row.Published = published[e.SubjectID]
		row.Previous = previous[e.SubjectID]
		rows = append(rows, row)
		k.subjects++
		fmt.Fprintf(k.digest, "row|%d|%s|%s|%s|%t|%s|%s|%d|%d|%d|%s|%s|%d|%d|%s|%d|%t\n",
			row.SubjectID, row.Unit, row.Masked, row.Name, row.Scored, row.Unscored, opt(row.Opening), row.Gains,
			row.Losses, row.Expired, opt(row.Closing), row.Grade, row.Flags, row.Stars, opt(row.Previous),
			row.Records, row.Published)
	}
	return rows, nil
}

// row computes one subject's line from the records that count at some
// instant of the period or just before it (WindowRecords: each record's
// standing is folded into its fields).
func (k *closer) row(subj *tally.Subject, e *tally.Enrolment, records []tally.Record) tally.CloseRow {
	book := k.book.Book
	row := tally.CloseRow{SubjectID: subj.ID, Unit: e.Unit, Masked: subj.Masked, Name: subj.Name}
	opening, closing := k.open.Book.Base, book.Base
	for i := range records {
		r := &records[i]
		if r.Counts(tally.Standing{}, k.openAt) {
			opening += r.Awarded
		}
		if r.Counts(tally.Standing{}, k.asOf) {
			closing += r.Awarded
		}
		if r.HappenedAt.Before(k.starts) {
			continue
		}
		row.Records++
		k.recs++
		t := k.total(e.Unit, k.category(r))
		t.Records++
		if r.Awarded >= 0 {
			row.Gains += r.Awarded
			t.Gains += r.Awarded
		} else {
			row.Losses += r.Awarded
			t.Losses += r.Awarded
		}
	}
	if why := unscored(subj, e, k.asOf); why != "" {
		row.Unscored = why
		return row
	}
	row.Scored = true
	row.Opening, row.Closing = &opening, &closing
	row.Expired = closing - opening - row.Gains - row.Losses
	if len(book.Grades) > 0 {
		row.Grade = book.Grade(closing)
	}
	if book.Board != nil {
		m := book.Board.Draw(closing)
		row.Flags, row.Stars = m.Flags, m.Stars
	}
	return row
}

// category is a record's rule category in the version that scored it.
func (k *closer) category(r *tally.Record) string {
	if r.Version >= 1 && r.Version <= len(k.vs) {
		if rule, ok := k.vs[r.Version-1].Book.Rule(r.Rule); ok {
			return rule.Category
		}
	}
	return ""
}

func (k *closer) total(unit, category string) *tally.CategoryTotal {
	key := [2]string{unit, category}
	t, ok := k.totals[key]
	if !ok {
		t = &tally.CategoryTotal{Unit: unit, Category: category}
		k.totals[key] = t
	}
	return t
}

// sortedTotals returns the totals by unit, then category (byte order).
func (k *closer) sortedTotals() []tally.CategoryTotal {
	out := make([]tally.CategoryTotal, 0, len(k.totals))
	for _, t := range k.totals {
		out = append(out, *t)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Unit != out[j].Unit {
			return out[i].Unit < out[j].Unit
		}
		return out[i].Category < out[j].Category
	})
	return out
}

// opt formats an optional number for the digest: "-" when absent.
func opt(n *int64) string {
	if n == nil {
		return "-"
	}
	return strconv.FormatInt(*n, 10)
}
