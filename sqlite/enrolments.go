package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/tallycredit/tally"
)

// enrolmentSelect reads enrolments joined to their latest consent (by At,
// then by insertion order), found with one seek of consents_enrolment per
// enrolment; the caller appends the WHERE clause on e.
const enrolmentSelect = `SELECT e.scheme, e.subject_id, e.unit, e.enrolled, e.enrolled_by,
	c.given, c.at, c.how, c.decided_by
	FROM enrolments e
	LEFT JOIN consents c ON c.id = (
		SELECT c2.id FROM consents c2
		WHERE c2.scheme = e.scheme AND c2.subject_id = e.subject_id
		ORDER BY c2.at DESC, c2.id DESC
		LIMIT 1)
	`

const (
	enrolmentQuery  = enrolmentSelect + `WHERE e.scheme = ? AND e.subject_id = ?`
	enrolmentsQuery = enrolmentSelect + `WHERE e.scheme = ? AND e.subject_id > ? ORDER BY e.subject_id LIMIT ?`

	insertEnrolmentQuery = `INSERT INTO enrolments
		(scheme, subject_id, unit, enrolled, enrolled_by) VALUES (?, ?, ?, ?, ?)`
	insertConsentQuery = `INSERT INTO consents
		(scheme, subject_id, given, at, how, decided_by) VALUES (?, ?, ?, ?, ?, ?)`
)

// InsertEnrolment stores e without its consent. Enrolling twice is
// EConflict; enrolling a subject that does not exist is ENotFound.
func (t *tx) InsertEnrolment(ctx context.Context, e *tally.Enrolment) error {
	_, err := t.exec(ctx, insertEnrolmentQuery,
		e.Scheme, e.SubjectID, e.Unit, micros(e.Enrolled), e.By)
	switch {
	case isUnique(err):
		return conflict(err, "subject %d is already enrolled in scheme %q", e.SubjectID, e.Scheme)
	case isForeignKey(err):
		return notFound(err, "no subject with id %d", e.SubjectID)
	case err != nil:
		return fmt.Errorf("insert enrolment: %w", err)
	}
	return nil
}

// InsertConsent appends a consent decision. A consent for a subject not
// enrolled in the scheme is ENotFound.
func (t *tx) InsertConsent(ctx context.Context, c *tally.Consent) error {
	_, err := t.exec(ctx, insertConsentQuery,
		c.Scheme, c.SubjectID, c.Given, micros(c.At), c.How, c.By)
	switch {
	case isForeignKey(err):
		return notFound(err, "subject %d is not enrolled in scheme %q", c.SubjectID, c.Scheme)
	case err != nil:
		return fmt.Errorf("insert consent: %w", err)
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
	es := []tally.Enrolment{}
	if limit <= 0 {
		return es, nil
	}
	rows, err := t.query(ctx, enrolmentsQuery, scheme, after, limit)
	if err != nil {
		return nil, fmt.Errorf("read enrolments of %s: %w", scheme, err)
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanEnrolment(rows)
		if err != nil {
			return nil, fmt.Errorf("read enrolments of %s: %w", scheme, err)
		}
		es = append(es, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read enrolments of %s: %w", scheme, err)
	}
	return es, nil
}

// scanEnrolment reads the columns of enrolmentSelect.
func scanEnrolment(row scanner) (tally.Enrolment, error) {
	var (
		e        tally.Enrolment
		enrolled int64
		given    sql.NullBool
		at       sql.NullInt64
		how, by  sql.NullString
	)
	if err := row.Scan(&e.Scheme, &e.SubjectID, &e.Unit, &enrolled, &e.By, &given, &at, &how, &by); err != nil {
		return e, err
	}
	e.Enrolled = fromMicros(enrolled)
	if at.Valid {
		e.Consent = tally.Consent{
			Scheme:    e.Scheme,
			SubjectID: e.SubjectID,
			Given:     given.Bool,
			At:        fromMicros(at.Int64),
			How:       how.String,
			By:        by.String,
		}
	}
	return e, nil
}
