package storetest

import (
	"math/rand/v2"
	"time"
)

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
