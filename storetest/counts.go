package storetest

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// countsSeed seeds the random ledger of testCountsAgree. It is fixed, so
// a failure comes back on every run; the test logs it.
const countsSeed = 16

// The size of the random ledger and of the questions asked of it: enough
// for every state and its edges, small enough for a few seconds under
// -race on two cores.
const (
	countsSubjects  = 8
	countsOriginals = 1300
	countsInstants  = 90
	countsWindows   = 30
)

// countsSpan is the stretch of time the records happen in, after t0.
const countsSpan = 400 * 24 * time.Hour

// counted is a stored record with what the ledger knows of it beyond its
// fields, and how the test made it, for a failure to show.
type counted struct {
	r     *tally.Record
	s     tally.Standing
	state []string
}

func (c *counted) String() string {
	r := c.r
	expires, repaired := "never", "no"
	if !r.ExpiresAt.IsZero() {
		expires = instant(r.ExpiresAt)
	}
	if !c.s.RepairedAt.IsZero() {
		repaired = instant(c.s.RepairedAt)
	}
	return fmt.Sprintf("#%d (%s, subject %d, %+d, happened %s, expires %s, reverses %d; reversed %t, held %t, repaired %s; made as: %s)",
		r.ID, r.Ref, r.SubjectID, r.Awarded, instant(r.HappenedAt), expires, r.Reverses,
		c.s.Reversed, c.s.Held, repaired, strings.Join(c.state, ", "))
}

// testCountsAgree is the differential test of what counts: it makes a
// random ledger of some 1,700 records in every state (future, expired,
// never expiring, reversed, reversals, held and undecided, hold approved,
// hold rejected, repair pending, declined, approved before, at or after
// an instant), then at many instants, many of them on an edge of some
// record's term, compares the store's InEffect, PointsInEffect and
// WindowRecords with what tally.Record.Counts says.
func testCountsAgree(t *testing.T, s ledger.Store) {
	t.Logf("seed %d", countsSeed)
	rng := rand.New(rand.NewPCG(countsSeed, 0))
	ids := addSubjects(t, s, countsSubjects)
	enrol(t, s, scheme, ids...)
	enrol(t, s, otherScheme, ids...)
	all := makeCountsLedger(t, s, rng, ids)

	var mine []*counted
	states := map[string]int{}
	for _, c := range all {
		if c.r.Scheme == scheme {
			mine = append(mine, c)
			for _, st := range c.state {
				states[st]++
			}
		}
	}
	t.Logf("%d records, %d in scheme %s: %v", len(all), len(mine), scheme, states)
	for _, st := range countsStates {
		if states[st] == 0 {
			t.Fatalf("the random ledger has no record %q: change the generator or the seed", st)
		}
	}

	f := &countsFailures{t: t, all: map[int64]*counted{}}
	for _, c := range all {
		f.all[c.r.ID] = c
	}
	edges, windowEdges := map[string]int{}, map[string]int{}
	mustView(t, s, func(tx ledger.Tx) error {
		for range countsInstants {
			at, id := countsInstant(rng, mine, ids)
			for _, c := range mine {
				if c.r.SubjectID == id {
					edges[edgeOf(c, at)]++
				}
			}
			want := countingAt(mine, id, at)
			got, err := tx.InEffect(t.Context(), scheme, id, at)
			if err != nil {
				return err
			}
			f.compare(fmt.Sprintf("InEffect(subject %d, %s)", id, instant(at)), readFull, got, want)
			got, err = tx.PointsInEffect(t.Context(), scheme, id, at)
			if err != nil {
				return err
			}
			f.compare(fmt.Sprintf("PointsInEffect(subject %d, %s)", id, instant(at)), readPoints, got, want)
		}
		for range countsWindows {
			i := rng.IntN(len(ids))
			after, last := int64(0), ids[i+rng.IntN(len(ids)-i)]
			if i > 0 {
				after = ids[i-1]
			}
			var inRange []*counted
			for _, c := range mine {
				if c.r.SubjectID > after && c.r.SubjectID <= last {
					inRange = append(inRange, c)
				}
			}
			from, to := countsWindow(rng, inRange)
			got, err := tx.WindowRecords(t.Context(), scheme, after, last, from, to)
			if err != nil {
				return err
			}
			want := inWindow(inRange, after, last, from, to)
			for _, c := range inRange {
				windowEdges[windowEdgeOf(c, from, to)]++
			}
			f.compare(fmt.Sprintf("WindowRecords(subjects (%d, %d], [%s, %s])", after, last, instant(from), instant(to)), readWindow, got, want)
		}
		return nil
	})
	t.Logf("records by instant asked: %v", edges)
	t.Logf("records by window asked: %v", windowEdges)
	for _, e := range countsEdges {
		if edges[e] == 0 {
			t.Errorf("no record was asked about %q: change the generator or the seed", e)
		}
	}
	for _, e := range countsWindowEdges {
		if windowEdges[e] == 0 {
			t.Errorf("no record was asked about %q: change the generator or the seed", e)
		}
	}
}

// countsWindowEdges are the relations of a record to a window that the
// windows asked must cover at least once.
var countsWindowEdges = []string{
	"happened at its end", "happened just after it", "expires at its start", "expires just after its start",
	"repaired at its start", "repaired before it",
}

// windowEdgeOf names how an original nobody reversed or held stands
// against the window [from, to], for the edges WindowRecords must get
// right; "" for others.
func windowEdgeOf(c *counted, from, to time.Time) string {
	r, repaired := c.r, c.s.RepairedAt
	switch {
	case r.IsReversal() || c.s.Reversed || c.s.Held:
		return ""
	case r.HappenedAt.Equal(to):
		return "happened at its end"
	case r.HappenedAt.Equal(to.Add(time.Microsecond)):
		return "happened just after it"
	case r.HappenedAt.After(to):
		return ""
	case r.ExpiresAt.Equal(from):
		return "expires at its start"
	case r.ExpiresAt.Equal(from.Add(time.Microsecond)):
		return "expires just after its start"
	case repaired.Equal(from):
		return "repaired at its start"
	case !repaired.IsZero() && repaired.Before(from) && (r.ExpiresAt.IsZero() || r.ExpiresAt.After(from)):
		return "repaired before it"
	}
	return ""
}

// countsEdges are the relations of a record to an instant that the
// instants asked must cover at least once.
var countsEdges = []string{
	"a reversal", "reversed", "held", "not happened yet", "happened at the instant",
	"expired before", "expires at the instant", "repaired before", "repaired at the instant",
	"repaired after", "counts, never expires", "counts",
}

// edgeOf names how record c stands at instant at, to show that the
// instants asked reach every edge of every state.
func edgeOf(c *counted, at time.Time) string {
	r, repaired := c.r, c.s.RepairedAt
	switch {
	case r.IsReversal():
		return "a reversal"
	case c.s.Reversed:
		return "reversed"
	case c.s.Held:
		return "held"
	case r.HappenedAt.After(at):
		return "not happened yet"
	case r.HappenedAt.Equal(at):
		return "happened at the instant"
	case r.ExpiresAt.Equal(at):
		return "expires at the instant"
	case !r.ExpiresAt.IsZero() && r.ExpiresAt.Before(at):
		return "expired before"
	case repaired.Equal(at):
		return "repaired at the instant"
	case !repaired.IsZero() && repaired.Before(at):
		return "repaired before"
	case !repaired.IsZero():
		return "repaired after"
	case r.ExpiresAt.IsZero():
		return "counts, never expires"
	}
	return "counts"
}

// countsStates are the states the random ledger must hold at least once.
var countsStates = []string{
	"never expires", "expires", "reversed", "reversal", "same instant as another",
	"held, undecided", "hold approved", "hold rejected", "held and reversed",
	"repair pending", "repair declined", "repair approved", "repaired twice",
	"repaired at its expiry", "repaired as it happened",
}

// makeCountsLedger stores subjects' records in scheme and, as noise that
// must never show, in otherScheme, with reversals, holds and repairs, and
// returns every record with its standing.
func makeCountsLedger(t *testing.T, s ledger.Store, rng *rand.Rand, ids []int64) []*counted {
	ctx := t.Context()
	var all []*counted
	originals := make([]*tally.Record, 0, countsOriginals)
	for n := range countsOriginals + countsOriginals/10 {
		sch := scheme
		if n >= countsOriginals {
			sch = otherScheme
		}
		c := &counted{}
		happened := t0.Add(micro(rng, countsSpan))
		if n > 0 && rng.IntN(12) == 0 { // ties are broken by ID
			prev := all[rng.IntN(len(all))]
			happened = prev.r.HappenedAt
			c.state = append(c.state, "same instant as another")
		}
		c.r = newRecord(sch, ids[rng.IntN(len(ids))], fmt.Sprintf("rule%d", rng.IntN(5)), fmt.Sprintf("c%d", n), happened, int64(rng.IntN(121)-80))
		switch rng.IntN(4) {
		case 0:
			c.state = append(c.state, "never expires")
		case 1: // short terms put expiries among the instants asked
			c.r.ExpiresAt = happened.Add(time.Microsecond + micro(rng, 3*24*time.Hour))
			c.state = append(c.state, "expires")
		default:
			c.r.ExpiresAt = happened.Add(time.Microsecond + micro(rng, 200*24*time.Hour))
			c.state = append(c.state, "expires")
		}
		all = append(all, c)
		originals = append(originals, c.r)
	}
	mustUpdate(t, s, func(tx ledger.Tx) error { return tx.InsertRecords(ctx, originals) })

	n := 0
	reverse := func(tx ledger.Tx, c *counted, why string) (*tally.Record, error) {
		n++
		rev := newReversal(c.r, fmt.Sprintf("rev%d", n))
		rev.Reason = why
		if rng.IntN(2) == 0 { // a reversal happens whenever it is made
			rev.HappenedAt = t0.Add(micro(rng, countsSpan))
		}
		if err := tx.InsertRecord(ctx, rev); err != nil {
			return nil, err
		}
		c.s.Reversed = true
		all = append(all, &counted{r: rev, state: []string{"reversal"}})
		return rev, nil
	}
	decided := func(c *counted) time.Time { return c.r.HappenedAt.Add(micro(rng, 60*24*time.Hour)) }
	mustUpdate(t, s, func(tx ledger.Tx) error {
		for _, c := range all[:len(originals)] {
			r := c.r
			if rng.IntN(8) == 0 {
				if _, err := reverse(tx, c, "voided"); err != nil {
					return err
				}
				c.state = append(c.state, "reversed")
			}
			if r.Awarded < 0 && rng.IntN(4) == 0 {
				h := &tally.Hold{RecordID: r.ID, Scheme: r.Scheme, SubjectID: r.SubjectID, Reason: "serious", At: r.RecordedAt}
				if err := tx.InsertHold(ctx, h); err != nil {
					return err
				}
				d := &tally.HoldDecision{RecordID: r.ID, Reasons: "checked", At: decided(c), By: "second"}
				switch choice := rng.IntN(3); {
				case c.s.Reversed:
					c.s.Held = true
					c.state = append(c.state, "held and reversed")
					d = nil
				case choice == 0:
					c.s.Held = true
					c.state = append(c.state, "held, undecided")
					d = nil
				case choice == 1:
					d.Approved = true
					c.state = append(c.state, "hold approved")
				default:
					rev, err := reverse(tx, c, "rejected at second review")
					if err != nil {
						return err
					}
					d.Reversal = rev.ID
					c.state = append(c.state, "hold rejected")
				}
				if d != nil {
					if err := tx.InsertHoldDecision(ctx, d); err != nil {
						return err
					}
				}
			}
			if rng.IntN(3) == 0 {
				if err := repairAtRandom(ctx, tx, rng, c, decided); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return all
}

// repairAtRandom applies for one or two repairs of c's record and decides
// them, or not, at random, keeping c's standing.
func repairAtRandom(ctx context.Context, tx ledger.Tx, rng *rand.Rand, c *counted, at func(*counted) time.Time) error {
	r := c.r
	apply := func() (*tally.Repair, error) {
		p := &tally.Repair{Scheme: r.Scheme, SubjectID: r.SubjectID, RecordID: r.ID, Obligations: "fine paid", AppliedAt: r.HappenedAt, AppliedBy: "subject"}
		return p, tx.InsertRepair(ctx, p)
	}
	decide := func(p *tally.Repair, approve bool, when time.Time) error {
		if approve && (c.s.RepairedAt.IsZero() || when.Before(c.s.RepairedAt)) {
			c.s.RepairedAt = when
		}
		return tx.InsertRepairDecision(ctx, &tally.RepairDecision{RepairID: p.ID, RecordID: r.ID, Approved: approve, Reasons: "seen", At: when, By: "reviewer"})
	}
	first, err := apply()
	if err != nil {
		return err
	}
	when := at(c)
	switch rng.IntN(8) {
	case 0:
		c.state = append(c.state, "repair pending")
		return nil
	case 1:
		c.state = append(c.state, "repair declined")
		return decide(first, false, when)
	case 2:
		if r.ExpiresAt.IsZero() {
			break
		}
		c.state = append(c.state, "repaired at its expiry")
		return decide(first, true, r.ExpiresAt)
	case 3:
		c.state = append(c.state, "repaired as it happened")
		return decide(first, true, r.HappenedAt)
	case 4: // declined, then approved on a second application
		if err := decide(first, false, when); err != nil {
			return err
		}
		second, err := apply()
		if err != nil {
			return err
		}
		c.state = append(c.state, "repair declined", "repair approved")
		return decide(second, true, when.Add(micro(rng, 30*24*time.Hour)))
	case 5: // the stores allow two approvals; the earlier one ends it
		second, err := apply()
		if err != nil {
			return err
		}
		c.state = append(c.state, "repaired twice")
		if err := decide(first, true, when.Add(micro(rng, 30*24*time.Hour))); err != nil {
			return err
		}
		return decide(second, true, when)
	}
	c.state = append(c.state, "repair approved")
	return decide(first, true, when)
}

// micro returns a random duration in [0, d) at the stores' precision.
func micro(rng *rand.Rand, d time.Duration) time.Duration {
	return time.Duration(rng.Int64N(int64(d/time.Microsecond))) * time.Microsecond
}

// Edges of a record's term, where a store and the definition are
// likeliest to part: when it happened, expires and was repaired.
const (
	edgeHappened = iota
	edgeExpires
	edgeRepaired
)

// countsInstant picks an instant and a subject to ask about: a third of
// the time a random subject at a random instant, else the subject of a
// random original on a random edge of its term.
func countsInstant(rng *rand.Rand, cs []*counted, ids []int64) (time.Time, int64) {
	if rng.IntN(3) == 0 {
		return randomInstant(rng), ids[rng.IntN(len(ids))]
	}
	at, c := edgeInstant(rng, cs, rng.IntN(3))
	return at, c.r.SubjectID
}

// randomInstant returns an instant over the ledger's span and beyond it.
func randomInstant(rng *rand.Rand) time.Time {
	return t0.Add(-10 * 24 * time.Hour).Add(micro(rng, countsSpan+250*24*time.Hour))
}

// edgeInstant returns an edge of the given kind of a random original of
// cs that counts at some instant, or a microsecond either side, and that
// original; a random instant and nil if none has such an edge.
func edgeInstant(rng *rand.Rand, cs []*counted, kind int) (time.Time, *counted) {
	var edges []*counted
	for _, c := range cs {
		if !c.r.IsReversal() && !c.s.Reversed && !c.s.Held && !edgeAt(c, kind).IsZero() {
			edges = append(edges, c)
		}
	}
	if len(edges) == 0 {
		return randomInstant(rng), nil
	}
	c := edges[rng.IntN(len(edges))]
	offset := []time.Duration{-time.Microsecond, 0, 0, time.Microsecond}[rng.IntN(4)]
	return edgeAt(c, kind).Add(offset), c
}

// countsWindow picks a window to ask WindowRecords about for the records
// of cs: from at random or on an expiry or repair, to equal to from, a
// month or so later, or on when a record happened.
func countsWindow(rng *rand.Rand, cs []*counted) (from, to time.Time) {
	from = randomInstant(rng)
	if rng.IntN(3) != 0 {
		from, _ = edgeInstant(rng, cs, edgeExpires+rng.IntN(2))
	}
	switch rng.IntN(3) {
	case 0:
		return from, from
	case 1:
		return from, from.Add(micro(rng, 40*24*time.Hour))
	}
	to, _ = edgeInstant(rng, cs, edgeHappened)
	if to.Before(from) {
		return to, from
	}
	return from, to
}

// edgeAt returns the edge of c's term of the given kind, zero for an
// expiry or repair it does not have.
func edgeAt(c *counted, kind int) time.Time {
	return [3]time.Time{c.r.HappenedAt, c.r.ExpiresAt, c.s.RepairedAt}[kind]
}

// countingAt is the definition's answer to InEffect: the subject's records
// in scheme that count at at, by HappenedAt then ID.
func countingAt(cs []*counted, subjectID int64, at time.Time) []*counted {
	var out []*counted
	for _, c := range cs {
		if c.r.SubjectID == subjectID && c.r.Counts(c.s, at) {
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(a, b *counted) int {
		if d := a.r.HappenedAt.Compare(b.r.HappenedAt); d != 0 {
			return d
		}
		return cmp.Compare(a.r.ID, b.r.ID)
	})
	return out
}

// inWindow is the definition's answer to WindowRecords: the records of
// subjects in (after, last] that would count at some instant of [from,
// to] had no repair been approved (a record's term is one stretch from
// when it happened, so that instant is the later of from and when it
// happened), by subject, HappenedAt, ID. The store gives each its Until as
// ExpiresAt (readWindow), so the close counts a repaired record only
// before its repair; one repaired at or before from is returned but counts
// at no instant of the window.
func inWindow(cs []*counted, after, last int64, from, to time.Time) []*counted {
	var out []*counted
	for _, c := range cs {
		first := c.r.HappenedAt
		if first.Before(from) {
			first = from
		}
		unrepaired := c.s
		unrepaired.RepairedAt = time.Time{}
		if c.r.SubjectID > after && c.r.SubjectID <= last && !first.After(to) && c.r.Counts(unrepaired, first) {
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(a, b *counted) int {
		if d := cmp.Compare(a.r.SubjectID, b.r.SubjectID); d != 0 {
			return d
		}
		if d := a.r.HappenedAt.Compare(b.r.HappenedAt); d != 0 {
			return d
		}
		return cmp.Compare(a.r.ID, b.r.ID)
	})
	return out
}

// instant formats an instant for a failure message.
func instant(at time.Time) string { return at.UTC().Format(time.RFC3339Nano) }

// read is which of the store's readings of records a question asks.
type read int

const (
	readFull   read = iota // InEffect: whole records
	readPoints             // PointsInEffect: the columns a score reads
	readWindow             // WindowRecords: those columns, ExpiresAt moved to Until
)

// countsFailures reports where a store and the definition disagree, each
// record with its standing and the question asked, and stops the test
// after a screenful.
type countsFailures struct {
	t   *testing.T
	all map[int64]*counted
	n   int
}

// compare reports the records that got and want do not share, and any
// difference of order or of the columns that kind reads.
func (f *countsFailures) compare(question string, kind read, got []tally.Record, want []*counted) {
	f.t.Helper()
	byID := map[int64]*counted{}
	for _, c := range want {
		byID[c.r.ID] = c
	}
	gotIDs := map[int64]bool{}
	for i := range got {
		g := &got[i]
		gotIDs[g.ID] = true
		c, ok := byID[g.ID]
		if !ok {
			if c, ok = f.all[g.ID]; ok {
				f.errorf("%s: the store returns %s, which the definition does not expect", question, c)
			} else {
				f.errorf("%s: the store returns #%d, which the test never made: %+v", question, g.ID, g)
			}
			continue
		}
		if diff := countsDiff(kind, g, c); diff != "" {
			f.errorf("%s: the store returns %s with %s", question, c, diff)
		}
	}
	for _, c := range want {
		if !gotIDs[c.r.ID] {
			f.errorf("%s: the store leaves out %s, which the definition expects", question, c)
		}
	}
	if len(got) == len(want) {
		for i := range got {
			if got[i].ID != want[i].r.ID {
				f.errorf("%s: the store's order differs at %d: got #%d, want %s", question, i, got[i].ID, want[i])
				break
			}
		}
	}
}

func (f *countsFailures) errorf(format string, args ...any) {
	f.t.Helper()
	f.n++
	f.t.Errorf(format, args...)
	if f.n >= 20 {
		f.t.Fatalf("stopping after %d disagreements (seed %d)", f.n, countsSeed)
	}
}

// countsDiff names the columns kind reads in which got differs from the
// record of want, or "".
func countsDiff(kind read, got *tally.Record, want *counted) string {
	r, expires := want.r, want.r.ExpiresAt
	if kind == readWindow {
		expires = r.Until(want.s)
	}
	var d []string
	check := func(name string, same bool, g, w any) {
		if !same {
			d = append(d, fmt.Sprintf("%s %v (want %v)", name, g, w))
		}
	}
	check("Scheme", got.Scheme == r.Scheme, got.Scheme, r.Scheme)
	check("SubjectID", got.SubjectID == r.SubjectID, got.SubjectID, r.SubjectID)
	check("Version", got.Version == r.Version, got.Version, r.Version)
	check("Rule", got.Rule == r.Rule, got.Rule, r.Rule)
	check("Awarded", got.Awarded == r.Awarded, got.Awarded, r.Awarded)
	check("HappenedAt", got.HappenedAt.Equal(r.HappenedAt), instant(got.HappenedAt), instant(r.HappenedAt))
	check("ExpiresAt", got.ExpiresAt.Equal(expires), instant(got.ExpiresAt), instant(expires))
	if kind == readFull {
		check("Ref", got.Ref == r.Ref, got.Ref, r.Ref)
		check("Digest", got.Digest == r.Digest, got.Digest, r.Digest)
		check("RecordedAt", got.RecordedAt.Equal(r.RecordedAt), instant(got.RecordedAt), instant(r.RecordedAt))
	}
	return strings.Join(d, ", ")
}
