package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/tallycredit/tally"
)

const subjectCols = `id, kind, name, masked, lookup, sealed, adult_on, created`

const (
	insertSubjectQuery = `INSERT INTO subjects
		(kind, name, masked, lookup, sealed, adult_on, created)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (lookup) DO NOTHING RETURNING id`
	subjectByLookupQuery = `SELECT ` + subjectCols + ` FROM subjects WHERE lookup = $1`
	subjectByIDQuery     = `SELECT ` + subjectCols + ` FROM subjects WHERE id = $1`
)

// InsertSubject stores s and sets s.ID; a subject with the same Lookup is
// EConflict.
func (t *tx) InsertSubject(ctx context.Context, s *tally.Subject) error {
	var id int64
	err := t.queryRow(ctx, insertSubjectQuery,
		string(s.Kind), s.Name, s.Masked, blob(s.Lookup), blob(s.Sealed), nullMicros(s.AdultOn), micros(s.Created),
	).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) { // ON CONFLICT DO NOTHING inserted nothing
		return conflict(nil, "a subject with this identifier already exists")
	}
	if err != nil {
		return storeErr(err, "insert subject")
	}
	s.ID = id
	return nil
}

// SubjectByLookup returns the subject with the given Lookup, or ENotFound.
func (t *tx) SubjectByLookup(ctx context.Context, lookup []byte) (*tally.Subject, error) {
	s, err := scanSubject(t.queryRow(ctx, subjectByLookupQuery, blob(lookup)))
	if err != nil {
		return nil, lookupErr(err, "read subject", "no subject with this identifier")
	}
	return s, nil
}

// SubjectByID returns the subject with the given ID, or ENotFound.
func (t *tx) SubjectByID(ctx context.Context, id int64) (*tally.Subject, error) {
	s, err := scanSubject(t.queryRow(ctx, subjectByIDQuery, id))
	if err != nil {
		return nil, lookupErr(err, "read subject", "no subject with id %d", id)
	}
	return s, nil
}

// scanSubject reads the columns subjectCols.
func scanSubject(row scanner) (*tally.Subject, error) {
	var (
		s       tally.Subject
		kind    string
		adultOn *int64
		created int64
	)
	if err := row.Scan(&s.ID, &kind, &s.Name, &s.Masked, &s.Lookup, &s.Sealed, &adultOn, &created); err != nil {
		return nil, err
	}
	s.Kind = tally.SubjectKind(kind)
	s.AdultOn, s.Created = fromNullMicros(adultOn), fromMicros(created)
	return &s, nil
}
