package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

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
