package sqlstore

import (
	"context"

	"github.com/tallycredit/tally"
)

// enrolmentCols are the columns of an enrolment e and its latest consent
// c that scanEnrolmentInto reads.
const enrolmentCols = `e.scheme, e.subject_id, e.unit, e.enrolled, e.enrolled_by,
	c.given, c.at, c.how, c.decided_by`

// enrolmentSelect reads enrolments e with their latest consent c (by At,
// then by insertion order); the caller appends the WHERE clause on e.
const enrolmentSelect = `SELECT ` + enrolmentCols + ` FROM enrolments e /*latest consent*/
	`

// The join of enrolment e's latest consent as c, one backward seek of
// consents_enrolment per enrolment. PostgreSQL joins it LATERAL, which
// keeps that seek per row in every plan (joined by id, a generic plan may
// hash all consents instead); SQLite has no LATERAL and joins by the id a
// subquery finds. Each dialect puts its own for the marker
// /*latest consent*/.
const (
	latestConsent = `FROM consents c2 WHERE c2.scheme = e.scheme AND c2.subject_id = e.subject_id
		ORDER BY c2.at DESC, c2.id DESC LIMIT 1`
	LatestConsentLateral = `LEFT JOIN LATERAL (SELECT c2.given, c2.at, c2.how, c2.decided_by ` + latestConsent + `) c ON true`
	LatestConsentByID    = `LEFT JOIN consents c ON c.id = (SELECT c2.id ` + latestConsent + `)`
)

var (
	enrolmentQuery  = fixed("Enrolment", enrolmentSelect+`WHERE e.scheme = ? AND e.subject_id = ?`)
	enrolmentsQuery = fixed("Enrolments", enrolmentSelect+`WHERE e.scheme = ? AND e.subject_id > ? ORDER BY e.subject_id LIMIT ?`)

	insertEnrolmentQuery = fixed("InsertEnrolment", `INSERT INTO enrolments
		(scheme, subject_id, unit, enrolled, enrolled_by) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (scheme, subject_id) DO NOTHING`)
	insertConsentQuery = fixed("InsertConsent", `INSERT INTO consents
		(scheme, subject_id, given, at, how, decided_by) VALUES (?, ?, ?, ?, ?, ?)`)
)

// InsertEnrolment stores e without its consent. Enrolling twice is
// EConflict; enrolling a subject that does not exist is ENotFound.
func (t *Tx) InsertEnrolment(ctx context.Context, e *tally.Enrolment) error {
	n, err := t.exec(ctx, insertEnrolmentQuery, e.Scheme, e.SubjectID, e.Unit, micros(e.Enrolled), e.By)
	switch {
	case err != nil && t.d.IsForeignKey(err):
		return NotFound(err, "no subject with id %d", e.SubjectID)
	case err != nil:
		return t.wrap(err, "insert enrolment")
	case n == 0: // ON CONFLICT DO NOTHING inserted nothing
		return Conflict(nil, "subject %d is already enrolled in scheme %q", e.SubjectID, e.Scheme)
	}
	return nil
}

// InsertConsent appends a consent decision. A consent for a subject not
// enrolled in the scheme is ENotFound.
func (t *Tx) InsertConsent(ctx context.Context, c *tally.Consent) error {
	_, err := t.exec(ctx, insertConsentQuery, c.Scheme, c.SubjectID, flag(c.Given), micros(c.At), c.How, c.By)
	if err != nil && t.d.IsForeignKey(err) {
		return NotFound(err, "subject %d is not enrolled in scheme %q", c.SubjectID, c.Scheme)
	}
	return t.wrap(err, "insert consent")
}

// Enrolment returns the enrolment of a subject in a scheme with its latest
// consent (zero if none), or ENotFound.
func (t *Tx) Enrolment(ctx context.Context, scheme string, subjectID int64) (*tally.Enrolment, error) {
	return one(t, scanEnrolment, t.queryRow(ctx, enrolmentQuery, scheme, subjectID), "read enrolment", "subject %d is not enrolled in scheme %q", subjectID, scheme)
}

// Enrolments returns up to limit enrolments of a scheme with subject IDs
// greater than after, by subject ID, each with its latest consent.
func (t *Tx) Enrolments(ctx context.Context, scheme string, after int64, limit int) ([]tally.Enrolment, error) {
	if limit <= 0 {
		return []tally.Enrolment{}, nil
	}
	es, err := collect(ctx, t, scanEnrolment, enrolmentsQuery, scheme, after, limit)
	return es, t.wrap(err, "read enrolments of "+scheme)
}

// scanEnrolment reads the columns of enrolmentSelect.
func scanEnrolment(row Row) (tally.Enrolment, error) {
	var e tally.Enrolment
	return e, scanEnrolmentInto(row, &e)
}
