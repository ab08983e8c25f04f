package ledger

import (
	"context"
	"time"
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

// Distribution scores every enrolled subject of a scheme at instant at,
// in pages of MaxPage, and counts them by grade. It gives only aggregates:
// nothing about any one subject.
func (s *Service) Distribution(ctx context.Context, scheme string, at time.Time) (*Distribution, error) {
	d := &Distribution{Scheme: scheme, AsOf: at, Grades: []GradeCount{}}
	err := s.store.View(ctx, func(tx Tx) error {
		vs, err := s.versions(ctx, tx, scheme)
		if err != nil {
			return err
		}
		if d.Subjects, d.Records, err = tx.Counts(ctx, scheme); err != nil {
			return err
		}
		index := map[string]int{}
		for _, band := range vs[len(vs)-1].Book.Grades {
			index[band.Grade] = len(d.Grades)
			d.Grades = append(d.Grades, GradeCount{Grade: band.Grade})
		}
		for after := int64(0); ; {
			page, err := tx.Enrolments(ctx, scheme, after, MaxPage)
			if err != nil {
				return err
			}
			for i := range page {
				subj, err := tx.SubjectByID(ctx, page[i].SubjectID)
				if err != nil {
					return err
				}
				records, err := tx.InEffect(ctx, scheme, subj.ID, at)
				if err != nil {
					return err
				}
				e := explain(vs, subj, &page[i], records, at)
				if !e.Scored {
					d.Unscored++
					continue
				}
				d.Scored++
				d.Total += *e.Score.Score
				if i, ok := index[derefOr(e.Grade)]; ok {
					d.Grades[i].Subjects++
				}
			}
			if len(page) < MaxPage {
				return nil
			}
			after = page[len(page)-1].SubjectID
		}
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// GradeCount is how many subjects hold one grade.
type GradeCount struct {
	Grade    string `json:"grade"`
	Subjects int    `json:"subjects"`
}

func derefOr(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
