package ledger

import (
	"context"
	"sort"
	"time"

	"github.com/tallycredit/tally"
)

// Entry is a record with what its rule says, for explanations and
// histories: every point traces to a published rule and its basis.
type Entry struct {
	tally.Record
	// ReasonText is the record's reason in Chinese and English; the
	// record's Reason says it in English, as before.
	ReasonText tally.Text     `json:"reason_text"`
	Title      tally.Text     `json:"title"`
	Category   string         `json:"category"`
	Basis      tally.Text     `json:"basis,omitzero"`
	Severity   tally.Severity `json:"severity,omitempty"`
	Reversed   bool           `json:"reversed,omitempty"` // a reversal points at this record
	// Reversal is the record that reverses this one (who, when, why),
	// when Reversed and the listing read it; pages show it beside.
	Reversal *tally.Record `json:"-"`
	// Pending says the record waits for a second person (a heavy or
	// serious deduction) and counts in no score until approved.
	Pending bool `json:"pending,omitempty"`
	// RepairedAt is when an approved repair ended the record's effect.
	RepairedAt time.Time `json:"repaired_at,omitzero"`
	// Disputed says an objection or appeal to the record is filed and not
	// yet decided (有异议, tally.Objection.Disputes): the record still
	// counts meanwhile.
	Disputed bool `json:"disputed,omitempty"`
}

// Explanation is a score with every record that makes it up.
type Explanation struct {
	tally.Score
	InEffect []Entry `json:"in_effect"`
}

// Score returns a subject's score and grade in a scheme at instant at,
// with its key factors and next expiry.
func (s *Service) Score(ctx context.Context, scheme, identifier string, at time.Time) (*tally.Score, error) {
	e, err := s.explainFor(ctx, "score", scheme, identifier, at)
	if err != nil {
		return nil, err
	}
	return &e.Score, nil
}

// Explain returns the score at instant at with the records in effect then.
// The score is base + the awarded points of the subject's records that
// happened at or before at, had not expired, and are not reversed. A
// person without consent, or under AdultAge at that instant, is not scored;
// their records are still listed.
func (s *Service) Explain(ctx context.Context, scheme, identifier string, at time.Time) (*Explanation, error) {
	return s.explainFor(ctx, "explain", scheme, identifier, at)
}

// explainFor computes an explanation and logs the read as action.
func (s *Service) explainFor(ctx context.Context, action, scheme, identifier string, at time.Time) (*Explanation, error) {
	a := ActorOf(ctx)
	if err := s.mayRead(a, scheme, identifier); err != nil {
		return nil, err
	}
	if err := checkPurpose(ctx, a); err != nil {
		return nil, err
	}
	var out *Explanation
	var subjectID int64
	err := s.store.View(ctx, func(tx Tx) error {
		vs, err := s.versions(ctx, tx, scheme)
		if err != nil {
			return err
		}
		subj, err := s.subject(ctx, tx, identifier)
		if err != nil {
			return err
		}
		enrolment, err := tx.Enrolment(ctx, scheme, subj.ID)
		if tally.ErrorCodeOf(err) == tally.ENotFound {
			return tally.Errorf(tally.ENotFound, "%s is not enrolled in scheme %s", subj.Masked, scheme)
		} else if err != nil {
			return err
		}
		read := tx.InEffect
		if action == "score" { // a score needs no facts, evidence or reasons
			read = tx.PointsInEffect
		}
		records, err := read(ctx, scheme, subj.ID, at)
		if err != nil {
			return err
		}
		out, subjectID = explain(vs, subj, enrolment, records, at), subj.ID
		if action == "score" {
			return nil
		}
		return markDisputed(ctx, tx, at, pointers(out.InEffect)...)
	})
	if err != nil {
		return nil, err
	}
	if err := s.logRead(ctx, subjectID, scheme, action, accessDetail("as-of", instantArg(out.AsOf))); err != nil {
		return nil, err
	}
	return out, nil
}

// explain computes a score from the records in effect; it does no I/O.
func explain(vs []Version, subj *tally.Subject, enrolment *tally.Enrolment, records []tally.Record, at time.Time) *Explanation {
	current := &vs[len(vs)-1]
	if v, err := inForce(vs, at); err == nil {
		current = v
	}
	book := current.Book
	out := &Explanation{Score: tally.Score{
		Scheme: current.Scheme, Subject: subj.Masked, Name: subj.Name,
		AsOf: at.In(book.Location), Base: book.Base, Factors: []tally.Factor{},
	}}
	out.InEffect = make([]Entry, len(records))
	for i, r := range records {
		out.InEffect[i] = entry(vs, r)
	}
	if why := unscored(subj, enrolment, at); why != "" {
		out.Unscored = why
		return out
	}
	score := book.Base
	for _, r := range records {
		score += r.Awarded
	}
	grade := book.Grade(score)
	out.Scored, out.Score.Score = true, &score
	if len(book.Grades) > 0 {
		out.Grade = &grade
	}
	if book.Board != nil {
		m := book.Board.Draw(score)
		out.Marks = &m
	}
	out.Factors = factors(out.InEffect)
	out.NextExpiry = nextExpiry(records, at, score)
	return out
}

// unscored says why a subject may not be scored at instant at (no
// consent, a minor), or returns "" when it may.
func unscored(subj *tally.Subject, enrolment *tally.Enrolment, at time.Time) string {
	switch {
	case subj.Kind == tally.Person && !enrolment.Consent.Given:
		return "no consent: records are kept but no score is computed"
	case subj.Kind == tally.Person && at.Before(subj.AdultOn):
		return "a minor is not scored (adult on " + day(subj.AdultOn) + ")"
	}
	return ""
}

// entry joins a record with its rule as published in the record's version.
func entry(vs []Version, r tally.Record) Entry {
	e := Entry{Record: r, ReasonText: RecordReasonText(r.Reason)}
	e.Reason = e.ReasonText.En // as before ReasonText, for older readers
	loc := vs[len(vs)-1].Book.Location
	e.HappenedAt, e.RecordedAt = r.HappenedAt.In(loc), r.RecordedAt.In(loc)
	if !r.ExpiresAt.IsZero() {
		e.ExpiresAt = r.ExpiresAt.In(loc)
	}
	if r.Version >= 1 && r.Version <= len(vs) {
		if rule, ok := vs[r.Version-1].Book.Rule(r.Rule); ok {
			e.Title, e.Category, e.Basis, e.Severity = rule.Title, rule.Category, rule.Basis, rule.Severity
		}
	}
	return e
}

// factors sums the entries by rule and returns the MaxFactors rules with
// the largest effect, either way.
func factors(entries []Entry) []tally.Factor {
	byRule := map[string]*tally.Factor{}
	var all []*tally.Factor
	for _, e := range entries {
		f, ok := byRule[e.Rule]
		if !ok {
			f = &tally.Factor{Rule: e.Rule, Title: e.Title, Category: e.Category}
			byRule[e.Rule] = f
			all = append(all, f)
		}
		f.Points += e.Awarded
		f.Records++
	}
	sort.SliceStable(all, func(i, j int) bool {
		a, b := abs(all[i].Points), abs(all[j].Points)
		if a != b {
			return a > b
		}
		return all[i].Rule < all[j].Rule
	})
	out := []tally.Factor{}
	for _, f := range all {
		if len(out) == tally.MaxFactors || f.Points == 0 {
			break
		}
		out = append(out, *f)
	}
	return out
}

// nextExpiry finds the first instant after at when records stop counting.
func nextExpiry(records []tally.Record, at time.Time, score int64) *tally.Expiry {
	var next *tally.Expiry
	for _, r := range records {
		if r.ExpiresAt.IsZero() || !r.ExpiresAt.After(at) {
			continue
		}
		switch {
		case next == nil || r.ExpiresAt.Before(next.At):
			next = &tally.Expiry{At: r.ExpiresAt, Points: -r.Awarded, Records: 1}
		case r.ExpiresAt.Equal(next.At):
			next.Points -= r.Awarded
			next.Records++
		}
	}
	if next != nil {
		next.ScoreAfter = score + next.Points
		next.At = next.At.In(at.Location())
	}
	return next
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

// History returns up to limit of a subject's records in a scheme, oldest
// first, reversals included, after the record with ID after (0 for the
// start); the last entry's ID is the cursor for the next page.
func (s *Service) History(ctx context.Context, scheme, identifier string, after int64, limit int) ([]Entry, error) {
	a := ActorOf(ctx)
	if err := s.mayRead(a, scheme, identifier); err != nil {
		return nil, err
	}
	if err := checkPurpose(ctx, a); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > MaxPage {
		limit = MaxPage
	}
	var out []Entry
	var subjectID int64
	err := s.store.View(ctx, func(tx Tx) error {
		vs, err := s.versions(ctx, tx, scheme)
		if err != nil {
			return err
		}
		subj, err := s.subject(ctx, tx, identifier)
		if err != nil {
			return err
		}
		subjectID = subj.ID
		records, err := tx.History(ctx, scheme, subj.ID, after, limit)
		if err != nil {
			return err
		}
		reversals, err := reversalsOf(ctx, tx, records)
		if err != nil {
			return err
		}
		out = make([]Entry, len(records))
		for i, r := range records {
			out[i] = entry(vs, r)
			out[i].Reversal = reversals[r.ID]
			out[i].Reversed = out[i].Reversal != nil
		}
		if err := markDue(ctx, tx, scheme, subj.ID, out); err != nil {
			return err
		}
		return markDisputed(ctx, tx, s.now(), pointers(out)...)
	})
	if err != nil {
		return nil, err
	}
	if err := s.logRead(ctx, subjectID, scheme, "history", accessDetail("records-page", itoa(len(out)), itoa(after))); err != nil {
		return nil, err
	}
	return out, nil
}

// reversalsOf returns the reversal of each record of a listing that has
// one, by the ID of the record it reverses: from the listing itself when
// it holds the reversal, else from the store.
func reversalsOf(ctx context.Context, tx RecordReads, records []tally.Record) (map[int64]*tally.Record, error) {
	out := map[int64]*tally.Record{}
	for i := range records {
		if r := &records[i]; r.IsReversal() {
			out[r.Reverses] = r
		}
	}
	for _, r := range records {
		if r.IsReversal() || out[r.ID] != nil {
			continue
		}
		rev, err := tx.ReversalOf(ctx, r.ID)
		switch {
		case err == nil:
			out[r.ID] = rev
		case tally.ErrorCodeOf(err) != tally.ENotFound:
			return nil, err
		}
	}
	return out, nil
}

// MaxPage is the most entries one page of a listing holds.
const MaxPage = 500
