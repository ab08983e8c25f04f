package ledger

import (
	"context"
	"strings"
	"time"

	"github.com/tallycredit/tally"
)

// Self is a subject reading its own record: who it is and the schemes it
// is enrolled in.
type Self struct {
	Subject    SubjectView
	Identifier string // the holder's own full number
	Schemes    []tally.Enrolment
}

// Me returns the signed-in subject's own enrolments (the subject role
// only). Reading one's own record is not logged.
func (s *Service) Me(ctx context.Context) (*Self, error) {
	a := ActorOf(ctx)
	if err := authorize(a, OpReadOwnPage, Target{Lookup: a.Lookup}); err != nil {
		return nil, err
	}
	var out Self
	err := s.store.View(ctx, func(tx Tx) error {
		subj, err := tx.SubjectByLookup(ctx, a.Lookup)
		if err != nil {
			return err
		}
		out.Subject = viewOf(subj)
		if out.Identifier, err = s.vault.Open(subj.Sealed); err != nil {
			return err
		}
		out.Schemes, err = tx.EnrolmentsOf(ctx, subj.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// SetConsent records a person's decision to be scored in a scheme, or to
// stop being scored: the person themself, or those who may enrol people
// in the scheme. A decision equal to the latest changes nothing.
func (s *Service) SetConsent(ctx context.Context, scheme, identifier string, given bool, how string) error {
	a := ActorOf(ctx)
	if err := authorize(a, OpSetConsent, s.target(scheme, identifier)); err != nil {
		return err
	}
	if strings.TrimSpace(how) == "" {
		how = "set by " + a.Name
	}
	return s.store.Update(ctx, func(tx Tx) error {
		subj, err := s.subject(ctx, tx, identifier)
		if err != nil {
			return err
		}
		if subj.Kind != tally.Person {
			return tally.FieldErrorf("subject", "organisations are scored without consent")
		}
		e, err := tx.Enrolment(ctx, scheme, subj.ID)
		if err != nil {
			return err
		}
		if e.Consent.Given == given && !e.Consent.At.IsZero() {
			return nil
		}
		c := &tally.Consent{Scheme: scheme, SubjectID: subj.ID, Given: given, At: s.now(), How: how, By: a.Name}
		if err := tx.InsertConsent(ctx, c); err != nil {
			return err
		}
		return s.logAccess(ctx, tx, subj.ID, scheme, "consent", choiceDetail("consent", given, how))
	})
}

// TrendPoint is a score at one instant of a trend.
type TrendPoint struct {
	At    time.Time
	Score tally.Score
}

// Trend computes a subject's score at each of the given instants from one
// reading of its records, as a chart of the last year needs; it is logged
// as one read.
func (s *Service) Trend(ctx context.Context, scheme, identifier string, at []time.Time) ([]TrendPoint, error) {
	a := ActorOf(ctx)
	if err := s.mayRead(a, scheme, identifier); err != nil {
		return nil, err
	}
	if err := checkPurpose(ctx, a); err != nil {
		return nil, err
	}
	var out []TrendPoint
	var subjectID int64
	err := s.store.View(ctx, func(tx Tx) error {
		tl, err := s.readTimeline(ctx, tx, scheme, identifier)
		if err != nil {
			return err
		}
		subjectID = tl.subj.ID
		for _, t := range at {
			out = append(out, TrendPoint{At: t, Score: tl.explainAt(t).Score})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, s.logRead(ctx, subjectID, scheme, "trend", accessDetail("trend", itoa(len(at))))
}

// timeline is a subject's records in a scheme with their standings, read
// once to score any instant, past or future, as Score would then.
type timeline struct {
	vs        []Version
	subj      *tally.Subject
	enrolment *tally.Enrolment
	all       []tally.Record
	sts       map[int64]tally.Standing
}

// readTimeline reads what a timeline needs.
func (s *Service) readTimeline(ctx context.Context, tx Tx, scheme, identifier string) (*timeline, error) {
	var tl timeline
	var err error
	if tl.vs, err = s.versions(ctx, tx, scheme); err != nil {
		return nil, err
	}
	if tl.subj, err = s.subject(ctx, tx, identifier); err != nil {
		return nil, err
	}
	if tl.enrolment, err = tx.Enrolment(ctx, scheme, tl.subj.ID); err != nil {
		return nil, err
	}
	if tl.all, err = allRecords(ctx, tx, scheme, tl.subj.ID); err != nil {
		return nil, err
	}
	if tl.sts, err = standings(ctx, tx, scheme, tl.subj.ID); err != nil {
		return nil, err
	}
	return &tl, nil
}

// inEffect returns the records that count at instant t.
func (tl *timeline) inEffect(t time.Time) []tally.Record {
	var in []tally.Record
	for _, r := range tl.all {
		if r.Counts(tl.sts[r.ID], t) {
			in = append(in, r)
		}
	}
	return in
}

// explainAt computes the explanation Score would give at instant t.
func (tl *timeline) explainAt(t time.Time) *Explanation {
	return explain(tl.vs, tl.subj, tl.enrolment, tl.inEffect(t), t)
}

// allRecords reads a subject's original, unreversed records in a scheme.
func allRecords(ctx context.Context, tx RecordReads, scheme string, subjectID int64) ([]tally.Record, error) {
	var all []tally.Record
	reversed := map[int64]bool{}
	for after := int64(0); ; {
		page, err := tx.History(ctx, scheme, subjectID, after, MaxPage)
		if err != nil {
			return nil, err
		}
		for _, r := range page {
			if r.IsReversal() {
				reversed[r.Reverses] = true
			} else {
				all = append(all, r)
			}
		}
		if len(page) < MaxPage {
			break
		}
		after = page[len(page)-1].ID
	}
	kept := all[:0]
	for _, r := range all {
		if !reversed[r.ID] {
			kept = append(kept, r)
		}
	}
	return kept, nil
}
