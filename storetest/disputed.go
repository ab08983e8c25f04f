package storetest

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// disputedSeed seeds the random objections of testDisputedAgrees; it is
// fixed, so a failure comes back on every run.
const disputedSeed = 24

// testDisputedAgrees is the differential test of what is disputed: it
// files random objections to records, list entries and scores (some
// decided, at the instant filed or later, some of those appealed, some
// appeals decided), then at many instants, many of them on the edge of a
// filing or a decision, compares the store's Disputed with what
// tally.Objection.Disputes says.
func testDisputedAgrees(t *testing.T, s ledger.Store) {
	ctx := t.Context()
	rng := rand.New(rand.NewPCG(disputedSeed, 0))
	ids := addSubjects(t, s, 5)
	span := int64(60 * 24 * time.Hour / time.Microsecond)
	at := func(from time.Time) time.Time { return from.Add(time.Duration(rng.Int64N(span)) * time.Microsecond) }
	targets := []tally.ObjectionTarget{tally.TargetRecord, tally.TargetEntry, tally.TargetScore}
	var all []tally.Objection
	mustUpdate(t, s, func(tx ledger.Tx) error {
		for range 120 {
			o := tally.Objection{SubjectID: ids[rng.IntN(len(ids))], Target: targets[rng.IntN(len(targets))],
				TargetID: 1 + rng.Int64N(40), Grounds: "g", FiledAt: at(t0), FiledBy: "f"}
			if o.Target == tally.TargetScore {
				o.TargetID = 0
			}
			if err := fileAndDecide(ctx, tx, rng, &o, at); err != nil {
				return err
			}
			all = append(all, o)
			if o.Decision == nil || rng.IntN(2) == 0 {
				continue
			}
			ap := tally.Objection{SubjectID: o.SubjectID, Target: o.Target, TargetID: o.TargetID, Grounds: "again",
				FiledAt: o.Decision.At.Add(time.Duration(rng.IntN(3)) * time.Hour), FiledBy: "f", AppealOf: o.ID}
			if err := fileAndDecide(ctx, tx, rng, &ap, at); err != nil {
				return err
			}
			all = append(all, ap)
		}
		return nil
	})
	var edges []time.Time
	for _, o := range all {
		edges = append(edges, o.FiledAt, o.FiledAt.Add(-time.Microsecond))
		if o.Decision != nil {
			edges = append(edges, o.Decision.At, o.Decision.At.Add(-time.Microsecond))
		}
	}
	// edges counts the instants asked that sit on an edge of some
	// objection with no other objection disputing its target then.
	edgeHits := map[string]int{}
	mustView(t, s, func(tx ledger.Tx) error {
		for i := range 200 {
			instant := at(t0.Add(-24 * time.Hour))
			if i%2 == 0 {
				instant = edges[rng.IntN(len(edges))]
			}
			subjects := ids[:1+rng.IntN(len(ids))]
			var theirs []tally.Objection
			for _, o := range all {
				if slices.Contains(subjects, o.SubjectID) {
					theirs = append(theirs, o)
				}
			}
			want := tally.DisputedAt(theirs, instant)
			got, err := tx.Disputed(ctx, subjects, instant)
			if err != nil {
				return err
			}
			if !maps.Equal(got, want) {
				t.Errorf("Disputed(subjects %v, %s) = %v, want %v", subjects, instant.Format(time.RFC3339Nano), got, want)
			}
			for _, o := range theirs {
				if o.Target == tally.TargetScore {
					continue
				}
				k := tally.Objected{Target: o.Target, ID: o.TargetID}
				switch {
				case instant.Equal(o.FiledAt) && want[k]:
					edgeHits["filed"]++
				case o.Decision != nil && instant.Equal(o.Decision.At) && !want[k]:
					edgeHits["decided"]++
				case o.Decision != nil && instant.Equal(o.Decision.At.Add(-time.Microsecond)) && want[k]:
					edgeHits["just before decided"]++
				case instant.Equal(o.FiledAt.Add(-time.Microsecond)) && !want[k]:
					edgeHits["just before filed"]++
				}
			}
		}
		none, err := tx.Disputed(ctx, nil, t0)
		if err == nil && len(none) != 0 {
			t.Errorf("Disputed of no subject = %v, want none", none)
		}
		return err
	})
	t.Logf("edges asked: %v", edgeHits)
	for _, e := range []string{"filed", "decided", "just before decided", "just before filed"} {
		if edgeHits[e] == 0 {
			t.Errorf("no instant asked was %q with nothing else disputing the target: change the generator or the seed", e)
		}
	}
}

// fileAndDecide inserts objection o and, four times in five, its decision
// (one time in four at the very instant it was filed).
func fileAndDecide(ctx context.Context, tx ledger.Tx, rng *rand.Rand, o *tally.Objection, at func(time.Time) time.Time) error {
	o.AcknowledgeBy, o.DecideBy = o.FiledAt, o.FiledAt
	if err := tx.InsertObjection(ctx, o); err != nil {
		return fmt.Errorf("file %+v: %w", o, err)
	}
	if rng.IntN(5) == 0 {
		return nil
	}
	d := &tally.ObjectionDecision{ObjectionID: o.ID, Outcome: tally.Upheld, Reasons: "r", At: o.FiledAt, By: "b"}
	if rng.IntN(4) != 0 {
		d.At = at(o.FiledAt)
	}
	o.Decision = d
	return tx.InsertObjectionDecision(ctx, d)
}
