package ledger

import (
	"context"
	"sort"
	"time"

	"github.com/tallycredit/tally"
)

// MaxExpiriesAhead is how many of the coming expiries an outlook lists.
const MaxExpiriesAhead = 5

// Outlook is what would change a subject's grade in a scheme: how far the
// score is from the grade bands either side, the next expiries with the
// score right after each, and the deductions that may be repaired and from
// when, so a resident knows what lies ahead without asking.
type Outlook struct {
	Score    tally.Score
	Up       *BandStep // the next band up; nil at the top or without grades
	Down     *BandStep // the band below; nil in the lowest band
	Expiries []ExpiryStep
	Repairs  []Repairable
}

// BandStep is a neighbouring grade band and the points that separate the
// score from it: points to gain going up, points of deductions going down.
type BandStep struct {
	Grade  string
	Points int64
}

// ExpiryStep is an instant records stop counting and the score right after.
type ExpiryStep struct {
	At      time.Time
	Records []Entry
	Points  int64 // the change to the score
	After   tally.Score
}

// Repairable is a deduction in effect and the first instant a repair of it
// may be applied for.
type Repairable struct {
	Entry
	From time.Time
}

// Outlook computes a subject's outlook in a scheme at instant at; every
// predicted score is computed as Score computes it at that instant. It is
// logged as one read.
func (s *Service) Outlook(ctx context.Context, scheme, identifier string, at time.Time) (*Outlook, error) {
	a := ActorOf(ctx)
	if err := s.mayRead(a, scheme, identifier); err != nil {
		return nil, err
	}
	if err := checkPurpose(ctx, a); err != nil {
		return nil, err
	}
	var out *Outlook
	var subjectID int64
	err := s.store.View(ctx, func(tx Tx) error {
		tl, err := s.readTimeline(ctx, tx, scheme, identifier)
		if err != nil {
			return err
		}
		subjectID, out = tl.subj.ID, tl.outlook(at)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, s.logRead(ctx, subjectID, scheme, "outlook", accessDetail("as-of", instantArg(out.Score.AsOf)))
}

// outlook computes an outlook from a timeline; it does no I/O.
func (tl *timeline) outlook(at time.Time) *Outlook {
	now := tl.explainAt(at)
	out := &Outlook{Score: now.Score}
	if !now.Scored {
		return out
	}
	book := tl.vs[len(tl.vs)-1].Book
	if v, err := inForce(tl.vs, at); err == nil {
		book = v.Book
	}
	out.Up, out.Down = bandsAround(book.Grades, *now.Score.Score)
	loc := now.AsOf.Location()
	for _, t := range expiriesAfter(tl.inEffect(at), at) {
		step := ExpiryStep{At: t.In(loc), After: tl.explainAt(t).Score}
		for _, e := range now.InEffect {
			if e.ExpiresAt.Equal(t) {
				step.Records = append(step.Records, e)
				step.Points -= e.Awarded
			}
		}
		out.Expiries = append(out.Expiries, step)
	}
	for _, e := range now.InEffect {
		if e.Awarded < 0 {
			from, _, _ := repairableFrom(tl.vs, &e.Record)
			out.Repairs = append(out.Repairs, Repairable{Entry: e, From: from.In(loc)})
		}
	}
	return out
}

// expiriesAfter returns the first MaxExpiriesAhead distinct instants after
// at when records stop counting, earliest first.
func expiriesAfter(records []tally.Record, at time.Time) []time.Time {
	var all []time.Time
	for _, r := range records {
		if !r.ExpiresAt.IsZero() && r.ExpiresAt.After(at) {
			all = append(all, r.ExpiresAt)
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Before(all[j]) })
	var out []time.Time
	for _, t := range all {
		if len(out) > 0 && out[len(out)-1].Equal(t) {
			continue
		}
		if len(out) == MaxExpiriesAhead {
			break
		}
		out = append(out, t)
	}
	return out
}

// bandsAround finds the grade bands either side of a score's band, bands
// highest first as a rulebook lists them.
func bandsAround(bands []tally.GradeBand, score int64) (up, down *BandStep) {
	i := 0
	for i < len(bands) && bands[i].HasMin && score < bands[i].Min {
		i++
	}
	if i > 0 {
		up = &BandStep{Grade: bands[i-1].Grade, Points: bands[i-1].Min - score}
	}
	if i+1 < len(bands) && bands[i].HasMin {
		down = &BandStep{Grade: bands[i+1].Grade, Points: score - bands[i].Min + 1}
	}
	return up, down
}
