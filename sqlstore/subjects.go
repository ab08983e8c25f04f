package sqlstore

import (
	"context"

	"github.com/tallycredit/tally"
)

const subjectCols = `id, kind, name, masked, lookup, sealed, adult_on, created`

var (
	insertSubjectQuery = fixed("InsertSubject", `INSERT INTO subjects
		(kind, name, masked, lookup, sealed, adult_on, created)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (lookup) DO NOTHING RETURNING id`)
	subjectByLookupQuery = fixed("SubjectByLookup", `SELECT `+subjectCols+` FROM subjects WHERE lookup = ?`)
	subjectByIDQuery     = fixed("SubjectByID", `SELECT `+subjectCols+` FROM subjects WHERE id = ?`)
)

// InsertSubject stores s and sets s.ID; a subject with the same Lookup is
// EConflict.
func (t *Tx) InsertSubject(ctx context.Context, s *tally.Subject) error {
	err := t.queryRow(ctx, insertSubjectQuery,
		string(s.Kind), s.Name, s.Masked, blob(s.Lookup), blob(s.Sealed), nullTime(s.AdultOn), micros(s.Created),
	).Scan(&s.ID)
	return t.insertErr(err, "insert subject", "a subject with this identifier already exists", "")
}

// SubjectByLookup returns the subject with the given Lookup, or ENotFound.
func (t *Tx) SubjectByLookup(ctx context.Context, lookup []byte) (*tally.Subject, error) {
	return one(t, scanSubject, t.queryRow(ctx, subjectByLookupQuery, blob(lookup)), "read subject", "no subject with this identifier")
}

// SubjectByID returns the subject with the given ID, or ENotFound.
func (t *Tx) SubjectByID(ctx context.Context, id int64) (*tally.Subject, error) {
	return one(t, scanSubject, t.queryRow(ctx, subjectByIDQuery, id), "read subject", "no subject with id %d", id)
}

// scanSubject reads the columns subjectCols.
func scanSubject(row Row) (tally.Subject, error) {
	var (
		s       tally.Subject
		kind    string
		adultOn *int64
		created int64
	)
	if err := row.Scan(&s.ID, &kind, &s.Name, &s.Masked, &s.Lookup, &s.Sealed, &adultOn, &created); err != nil {
		return s, err
	}
	s.Kind = tally.SubjectKind(kind)
	s.AdultOn, s.Created = fromNullTime(adultOn), fromMicros(created)
	return s, nil
}

var enrolledSubjectsQuery = fixed("EnrolledSubjects", `SELECT s.id, s.kind, s.name, s.masked, s.lookup, s.sealed, s.adult_on, s.created
	FROM enrolments e JOIN subjects s ON s.id = e.subject_id
	WHERE e.scheme = ? AND e.subject_id > ? AND e.subject_id <= ? ORDER BY e.subject_id`)

// EnrolledSubjects returns the subjects in (after, last] enrolled in a
// scheme, by ID.
func (t *Tx) EnrolledSubjects(ctx context.Context, scheme string, after, last int64) ([]tally.Subject, error) {
	ss, err := collect(ctx, t, scanSubject, enrolledSubjectsQuery, scheme, after, last)
	return ss, t.wrap(err, "read enrolled subjects")
}
