package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/tallycredit/tally"
)

const subjectCols = `id, kind, name, masked, lookup, sealed, adult_on, created`

const (
	insertSubjectQuery = `INSERT INTO subjects
		(kind, name, masked, lookup, sealed, adult_on, created)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`
	subjectByLookupQuery = `SELECT ` + subjectCols + ` FROM subjects WHERE lookup = ?`
	subjectByIDQuery     = `SELECT ` + subjectCols + ` FROM subjects WHERE id = ?`
)

// InsertSubject stores s and sets s.ID; a subject with the same Lookup is
// EConflict.
func (t *tx) InsertSubject(ctx context.Context, s *tally.Subject) error {
	var id int64
	err := t.queryRow(ctx, insertSubjectQuery,
		string(s.Kind), s.Name, s.Masked, blob(s.Lookup), blob(s.Sealed), nullMicros(s.AdultOn), micros(s.Created),
	).Scan(&id)
	if isUnique(err) {
		return conflict(err, "a subject with this identifier already exists")
	}
	if err != nil {
		return fmt.Errorf("insert subject: %w", err)
	}
	s.ID = id
	return nil
}

// SubjectByLookup returns the subject with the given Lookup, or ENotFound.
func (t *tx) SubjectByLookup(ctx context.Context, lookup []byte) (*tally.Subject, error) {
	row := t.queryRow(ctx, subjectByLookupQuery, blob(lookup))
	s, err := scanSubject(row)
	if err != nil {
		return nil, lookupErr(err, "read subject", "no subject with this identifier")
	}
	return s, nil
}

// SubjectByID returns the subject with the given ID, or ENotFound.
func (t *tx) SubjectByID(ctx context.Context, id int64) (*tally.Subject, error) {
	row := t.queryRow(ctx, subjectByIDQuery, id)
	s, err := scanSubject(row)
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
		adultOn sql.NullInt64
		created int64
	)
	if err := row.Scan(&s.ID, &kind, &s.Name, &s.Masked, &s.Lookup, &s.Sealed, &adultOn, &created); err != nil {
		return nil, err
	}
	s.Kind = tally.SubjectKind(kind)
	s.AdultOn, s.Created = fromNullMicros(adultOn), fromMicros(created)
	return &s, nil
}
