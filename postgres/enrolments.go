package postgres

import (
	"context"

	"github.com/tallycredit/tally"
)

// enrolmentSelect reads enrolments joined to their latest consent (by At,
// then by insertion order), found with one backward seek of
// consents_enrolment per enrolment; the caller appends the WHERE clause on e.
const enrolmentSelect = `SELECT e.scheme, e.subject_id, e.unit, e.enrolled, e.enrolled_by,
	c.given, c.at, c.how, c.decided_by
	FROM enrolments e
	LEFT JOIN LATERAL (
		SELECT c2.given, c2.at, c2.how, c2.decided_by FROM consents c2
		WHERE c2.scheme = e.scheme AND c2.subject_id = e.subject_id
		ORDER BY c2.at DESC, c2.id DESC
		LIMIT 1) c ON true
	`

const (
	enrolmentQuery  = enrolmentSelect + `WHERE e.scheme = $1 AND e.subject_id = $2`
	enrolmentsQuery = enrolmentSelect + `WHERE e.scheme = $1 AND e.subject_id > $2 ORDER BY e.subject_id LIMIT $3`

	insertEnrolmentQuery = `INSERT INTO enrolments
		(scheme, subject_id, unit, enrolled, enrolled_by) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (scheme, subject_id) DO NOTHING`
	insertConsentQuery = `INSERT INTO consents
		(scheme, subject_id, given, at, how, decided_by) VALUES ($1, $2, $3, $4, $5, $6)`
)

// InsertEnrolment stores e without its consent. Enrolling twice is
// EConflict; enrolling a subject that does not exist is ENotFound.
func (t *tx) InsertEnrolment(ctx context.Context, e *tally.Enrolment) error {
	tag, err := t.exec(ctx, insertEnrolmentQuery, e.Scheme, e.SubjectID, e.Unit, micros(e.Enrolled), e.By)
	switch {
	case sqlState(err) == foreignKeyViolation:
		return notFound(err, "no subject with id %d", e.SubjectID)
	case err != nil:
		return storeErr(err, "insert enrolment")
	case tag.RowsAffected() == 0: // ON CONFLICT DO NOTHING inserted nothing
		return conflict(nil, "subject %d is already enrolled in scheme %q", e.SubjectID, e.Scheme)
	}
	return nil
}

// InsertConsent appends a consent decision. A consent for a subject not
// enrolled in the scheme is ENotFound.
func (t *tx) InsertConsent(ctx context.Context, c *tally.Consent) error {
	var given int16
	if c.Given {
		given = 1
	}
	_, err := t.exec(ctx, insertConsentQuery, c.Scheme, c.SubjectID, given, micros(c.At), c.How, c.By)
	switch {
	case sqlState(err) == foreignKeyViolation:
		return notFound(err, "subject %d is not enrolled in scheme %q", c.SubjectID, c.Scheme)
	case err != nil:
		return storeErr(err, "insert consent")
	}
	return nil
}

// Enrolment returns the enrolment of a subject in a scheme with its latest
// consent (zero if none), or ENotFound.
func (t *tx) Enrolment(ctx context.Context, scheme string, subjectID int64) (*tally.Enrolment, error) {
	e, err := scanEnrolment(t.queryRow(ctx, enrolmentQuery, scheme, subjectID))
	if err != nil {
		return nil, lookupErr(err, "read enrolment", "subject %d is not enrolled in scheme %q", subjectID, scheme)
	}
	return &e, nil
}

// Enrolments returns up to limit enrolments of a scheme with subject IDs
// greater than after, by subject ID, each with its latest consent.
func (t *tx) Enrolments(ctx context.Context, scheme string, after int64, limit int) ([]tally.Enrolment, error) {
	if limit <= 0 {
		return []tally.Enrolment{}, nil
	}
	es, err := collect(ctx, t, scanEnrolment, enrolmentsQuery, scheme, after, limit)
	if err != nil {
		return nil, storeErr(err, "read enrolments of "+scheme)
	}
	return es, nil
}

// scanEnrolment reads the columns of enrolmentSelect. The consent columns
// are NULL when no consent is recorded; Consent then stays zero.
func scanEnrolment(row scanner) (tally.Enrolment, error) {
	var (
		e        tally.Enrolment
		enrolled int64
		given    *int16
		at       *int64
		how, by  *string
	)
	if err := row.Scan(&e.Scheme, &e.SubjectID, &e.Unit, &enrolled, &e.By, &given, &at, &how, &by); err != nil {
		return e, err
	}
	e.Enrolled = fromMicros(enrolled)
	if at != nil {
		e.Consent = tally.Consent{
			Scheme:    e.Scheme,
			SubjectID: e.SubjectID,
			Given:     *given == 1,
			At:        fromMicros(*at),
			How:       *how,
			By:        *by,
		}
	}
	return e, nil
}
