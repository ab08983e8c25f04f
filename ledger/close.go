package ledger

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"sort"
	"strconv"
	"time"

	"github.com/tallycredit/tally"
)

// ClosePage is how many rows of a closed period a reader reads at a time.
const ClosePage = 1000

// closeBatch is how many subjects a close reads and writes at a time: a
// few queries each, over a range of subjects that keeps memory flat.
const closeBatch = 10000

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
	window         Window
	prev           *tally.Close
	standing       map[int64][]StandingRecord // by subject
	totals         map[[2]string]*tally.CategoryTotal
	digest         hash.Hash
	subjects, recs int64
}

// closeTx is what a close reads and writes: the rulebook, the scheme's
// subjects page by page with the sums of their records, the previous
// close, and the new one.
type closeTx interface {
	Rulebooks
	RecordCounts
	Periods
	Closes
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
	k.window, k.standing = Window{Starts: k.starts, OpenAt: k.openAt, AsOf: k.asOf}, map[int64][]StandingRecord{}
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
	standing, err := tx.StandingRecords(ctx, scheme, k.window)
	if err != nil {
		return nil, err
	}
	for _, r := range standing {
		k.standing[r.SubjectID] = append(k.standing[r.SubjectID], r)
	}
	previous := ""
	if k.prev != nil {
		previous = k.prev.Period
	}
	var done int64
	for after := int64(0); ; {
		page, err := tx.CloseSubjects(ctx, scheme, after, closeBatch, previous)
		if err != nil {
			return nil, err
		}
		if len(page) == 0 {
			break
		}
		last := page[len(page)-1].Subject.ID
		sums, err := tx.PeriodSums(ctx, scheme, after, last, k.window, false)
		if err == nil && k.recategorised(sums) {
			sums, err = tx.PeriodSums(ctx, scheme, after, last, k.window, true)
		}
		if err != nil {
			return nil, err
		}
		if err := tx.InsertCloseRows(ctx, scheme, string(p), k.page(page, sums)); err != nil {
			return nil, err
		}
		done += int64(len(page))
		progress(done, total)
		after = last
		if len(page) < closeBatch {
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

// page computes the rows of one page of subjects from the sums of their
// records, by subject ID like the page.
func (k *closer) page(page []CloseSubject, sums []RuleSums) []tally.CloseRow {
	rows := make([]tally.CloseRow, 0, len(page))
	for i := range page {
		e := &page[i]
		for len(sums) > 0 && sums[0].SubjectID < e.Subject.ID { // records of no enrolment
			sums = sums[1:]
		}
		n := 0
		for n < len(sums) && sums[n].SubjectID == e.Subject.ID {
			n++
		}
		row := k.row(e, sums[:n])
		sums = sums[n:]
		rows = append(rows, row)
		k.subjects++
		k.recs += row.Records
		fmt.Fprintf(k.digest, "row|%d|%s|%s|%s|%t|%s|%s|%d|%d|%d|%s|%s|%d|%d|%s|%d|%t\n",
			row.SubjectID, row.Unit, row.Masked, row.Name, row.Scored, row.Unscored, opt(row.Opening), row.Gains,
			row.Losses, row.Expired, opt(row.Closing), row.Grade, row.Flags, row.Stars, opt(row.Previous),
			row.Records, row.Published)
	}
	return rows
}

// row computes one subject's line from the sums of its records by their
// own fields, corrected by the records whose standing (reversed, held,
// repaired) changes when they count.
func (k *closer) row(e *CloseSubject, sums []RuleSums) tally.CloseRow {
	book := k.book.Book
	subj := &e.Subject
	row := tally.CloseRow{SubjectID: subj.ID, Unit: e.Enrolment.Unit, Masked: subj.Masked, Name: subj.Name,
		Published: e.Published, Previous: e.Previous}
	opening, closing := k.open.Book.Base, book.Base
	for _, s := range sums {
		opening += s.Opening
		closing += s.Closing
		k.add(&row, s.Version, s.Rule, s.Gains, s.Losses, s.Records)
	}
	for _, r := range k.standing[subj.ID] {
		o, c := k.standingCorrection(&r)
		opening, closing = opening+o, closing+c
		if (r.Standing.Reversed || r.Standing.Held) && !r.HappenedAt.Before(k.window.Starts) {
			// It never counted, so it is none of the period's records.
			gains, losses := -r.Awarded, int64(0)
			if r.Awarded < 0 {
				gains, losses = 0, -r.Awarded
			}
			k.add(&row, r.Version, r.Rule, gains, losses, -1)
		}
	}
	if why := unscored(subj, &e.Enrolment, k.asOf); why != "" {
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

// standingCorrection returns what r's standing changes in its subject's
// opening and closing scores, from what its own fields count for.
func (k *closer) standingCorrection(r *StandingRecord) (opening, closing int64) {
	points := func(s tally.Standing, at time.Time) int64 {
		if r.Counts(s, at) {
			return r.Awarded
		}
		return 0
	}
	return points(r.Standing, k.openAt) - points(tally.Standing{}, k.openAt),
		points(r.Standing, k.asOf) - points(tally.Standing{}, k.asOf)
}

// add counts records of a rule and version in the period (n of them, with
// those gains and losses) in row and in the category totals.
func (k *closer) add(row *tally.CloseRow, version int, rule string, gains, losses, n int64) {
	if n == 0 {
		return
	}
	row.Gains += gains
	row.Losses += losses
	row.Records += n
	t := k.total(row.Unit, k.category(version, rule))
	t.Gains += gains
	t.Losses += losses
	t.Records += n
}

// recategorised: some sum adds records of versions that put its rule in
// different categories, which the totals must then count apart.
func (k *closer) recategorised(sums []RuleSums) bool {
	for _, s := range sums {
		for v := s.FirstVersion; v < s.Version; v++ {
			if k.category(v, s.Rule) != k.category(s.Version, s.Rule) {
				return true
			}
		}
	}
	return false
}

// category is a rule's category in the version that scored a record.
func (k *closer) category(version int, name string) string {
	if version >= 1 && version <= len(k.vs) {
		if rule, ok := k.vs[version-1].Book.Rule(name); ok {
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
		if t.Records != 0 { // none left once its records' standing was counted
			out = append(out, *t)
		}
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
