package ledger

import (
	"context"
	"time"

	"github.com/tallycredit/tally"
)

// Question is a yes/no question a verifier may ask about one identifier.
type Question struct {
	Scheme       string
	Identifier   string
	GradeAtLeast string    // "is the subject's grade at least this?"
	At           time.Time // zero: now
}

// Answer is the reply to a Question: yes or no, and nothing else about the
// subject. A subject that is not enrolled, not scored (no consent, a
// minor) or unknown gets "no" with the same reason for all three, so a
// verifier cannot learn more than the question asked.
type Answer struct {
	Scheme   string    `json:"scheme"`
	Subject  string    `json:"subject"` // masked
	Question string    `json:"question"`
	Answer   bool      `json:"answer"`
	AsOf     time.Time `json:"as_of"`
}

// Verify answers a yes/no question, logs it in the subject's access log
// with the verifier's purpose, and reveals no score.
func (s *Service) Verify(ctx context.Context, q Question) (*Answer, error) {
	a := ActorOf(ctx)
	if err := mayVerify(a, q.Scheme); err != nil {
		return nil, err
	}
	if err := checkPurpose(ctx, a); err != nil {
		return nil, err
	}
	if q.At.IsZero() {
		q.At = s.now()
	}
	out := &Answer{Scheme: q.Scheme, Subject: tally.MaskIdentifier(canonical(q.Identifier)), Question: "grade at least " + q.GradeAtLeast, AsOf: q.At}
	var subjectID int64
	err := s.store.View(ctx, func(tx Tx) error {
		vs, err := s.versions(ctx, tx, q.Scheme)
		if err != nil {
			return err
		}
		rank := map[string]int{}
		for i, b := range vs[len(vs)-1].Book.Grades {
			rank[b.Grade] = i
		}
		want, ok := rank[q.GradeAtLeast]
		if !ok {
			return tally.FieldErrorf("grade_at_least", "scheme %s has no grade %q", q.Scheme, q.GradeAtLeast)
		}
		subj, err := s.subject(ctx, tx, q.Identifier)
		if tally.ErrorCodeOf(err) == tally.ENotFound {
			return nil // "no", logged nowhere: there is no one to log it for
		} else if err != nil {
			return err
		}
		subjectID = subj.ID
		enrolment, err := tx.Enrolment(ctx, q.Scheme, subj.ID)
		if tally.ErrorCodeOf(err) == tally.ENotFound {
			return nil
		} else if err != nil {
			return err
		}
		records, err := tx.PointsInEffect(ctx, q.Scheme, subj.ID, q.At)
		if err != nil {
			return err
		}
		sc := explain(vs, subj, enrolment, records, q.At)
		if sc.Scored && sc.Grade != nil {
			got, ok := rank[*sc.Grade]
			out.Answer = ok && got <= want
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if subjectID != 0 {
		answer := "no"
		if out.Answer {
			answer = "yes"
		}
		if err := s.logRead(ctx, subjectID, q.Scheme, "verify", accessDetail("verified", q.GradeAtLeast, answer)); err != nil {
			return nil, err
		}
	}
	return out, nil
}
