package storetest

import (
	"cmp"
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
