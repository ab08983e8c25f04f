package ledger

import (
	"context"
	"time"

	"github.com/tallycredit/tally"
)

// Distribution counts a scheme's enrolled subjects by grade at one instant.
type Distribution struct {
	Scheme   string       `json:"scheme"`
	AsOf     time.Time    `json:"as_of"`
	Subjects int64        `json:"subjects"`
	Records  int64        `json:"records"`
	Scored   int          `json:"scored"`
	Unscored int          `json:"unscored"` // no consent, or a minor
	Grades   []GradeCount `json:"grades"`   // highest grade first; empty when the scheme has no grades
	Total    int64        `json:"total"`    // the sum of the scores
}

// GradeCount is how many subjects hold one grade.
type GradeCount struct {
	Grade    string `json:"grade"`
	Subjects int    `json:"subjects"`
}

// Distribution scores every enrolled subject of a scheme at instant at and
// counts them by grade. It gives only aggregates: nothing about any one
// subject.
func (s *Service) Distribution(ctx context.Context, scheme string, at time.Time) (*Distribution, error) {
	if err := authorize(ActorOf(ctx), OpReadStatistics, Target{Scheme: scheme}); err != nil {
		return nil, err
	}
	vs, err := s.Versions(ctx, scheme)
	if err != nil {
		return nil, err
	}
	d := &Distribution{Scheme: scheme, AsOf: at, Grades: []GradeCount{}}
	index := map[string]int{}
	for _, band := range vs[len(vs)-1].Book.Grades {
		index[band.Grade] = len(d.Grades)
		d.Grades = append(d.Grades, GradeCount{Grade: band.Grade})
	}
	err = s.eachScore(ctx, scheme, at, func(subjectID int64, sc *tally.Score) error {
		if !sc.Scored {
			d.Unscored++
			return nil
		}
		d.Scored++
		d.Total += *sc.Score
		if sc.Grade != nil {
			if i, ok := index[*sc.Grade]; ok {
				d.Grades[i].Subjects++
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = s.store.View(ctx, func(tx Tx) error {
		var err error
		d.Subjects, d.Records, err = tx.Counts(ctx, scheme)
		return err
	})
	return d, err
}

// EachScore computes the score of every enrolled subject of a scheme at
// instant at, in pages of MaxPage subjects (one read transaction each), and
// passes each to fn with the subject's store ID.
func (s *Service) EachScore(ctx context.Context, scheme string, at time.Time, fn func(subjectID int64, sc *tally.Score) error) error {
	if err := authorize(ActorOf(ctx), OpScoreAll, Target{Scheme: scheme}); err != nil {
		return err
	}
	return s.eachScore(ctx, scheme, at, fn)
}

// eachScore is EachScore for the aggregates anyone may read.
func (s *Service) eachScore(ctx context.Context, scheme string, at time.Time, fn func(subjectID int64, sc *tally.Score) error) error {
	for after := int64(0); ; {
		var page []tally.Enrolment
		err := s.store.View(ctx, func(tx Tx) error {
			vs, err := s.versions(ctx, tx, scheme)
			if err != nil {
				return err
			}
			if page, err = tx.Enrolments(ctx, scheme, after, MaxPage); err != nil {
				return err
			}
			for i := range page {
				subj, err := tx.SubjectByID(ctx, page[i].SubjectID)
				if err != nil {
					return err
				}
				records, err := tx.PointsInEffect(ctx, scheme, subj.ID, at)
				if err != nil {
					return err
				}
				if err := fn(subj.ID, &explain(vs, subj, &page[i], records, at).Score); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil || len(page) < MaxPage {
			return err
		}
		after = page[len(page)-1].SubjectID
	}
}

// MinCell is the smallest count that statistics shown to anyone but an
// admin or reviewer may contain: a grade held by fewer subjects, or a total
// over fewer scored subjects, could point at a person.
const MinCell = 5

// Statistics are a scheme's aggregates as anyone may see them: counts of
// fewer than MinCell subjects (other than zero) are withheld (nil), and so
// is the total when fewer than MinCell subjects are scored.
type Statistics struct {
	Scheme     string       `json:"scheme"`
	AsOf       time.Time    `json:"as_of"`
	Subjects   int64        `json:"subjects"`
	Records    int64        `json:"records"`
	Scored     int          `json:"scored"`
	Unscored   int          `json:"unscored"`
	Grades     []GradeShare `json:"grades"`
	Total      *int64       `json:"total"`
	Suppressed bool         `json:"suppressed"` // something was withheld
	MinCell    int          `json:"min_cell"`
}

// GradeShare is how many subjects hold a grade; nil when withheld.
type GradeShare struct {
	Grade    string `json:"grade"`
	Subjects *int   `json:"subjects"`
}

// Statistics returns a scheme's grade distribution at an instant. Admins
// and reviewers see every count; everyone else sees small counts withheld.
func (s *Service) Statistics(ctx context.Context, scheme string, at time.Time) (*Statistics, error) {
	d, err := s.Distribution(ctx, scheme, at)
	if err != nil {
		return nil, err
	}
	a := ActorOf(ctx)
	exact := Allowed(a, OpExactStatistics, Target{Scheme: scheme})
	out := &Statistics{Scheme: d.Scheme, AsOf: d.AsOf, Subjects: d.Subjects, Records: d.Records, Scored: d.Scored,
		Unscored: d.Unscored, Grades: make([]GradeShare, len(d.Grades)), MinCell: MinCell}
	for i, g := range d.Grades {
		out.Grades[i].Grade = g.Grade
		if exact || g.Subjects == 0 || g.Subjects >= MinCell {
			n := g.Subjects
			out.Grades[i].Subjects = &n
		} else {
			out.Suppressed = true
		}
	}
	if exact || d.Scored >= MinCell {
		total := d.Total
		out.Total = &total
	} else {
		out.Suppressed = true
	}
	return out, nil
}
