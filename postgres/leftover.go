package postgres

// This file keeps what weblists.go still uses of the record and enrolment
// queries, which moved to package sqlstore (issue 16). It goes when
// weblists.go moves there too.

import (
	"encoding/json"
	"fmt"

	"github.com/tallycredit/tally"
)

const recordCols = `r.id, r.scheme, r.version, r.subject_id, r.rule, r.facts,
	r.happened_at, r.recorded_at, r.recorded_by, r.ref, r.evidence,
	r.requested, r.awarded, r.reason, r.expires_at, r.reverses, r.digest`

// notReversed is the condition that record r is an original nobody has
// reversed. OFFSET 0 keeps the planner from turning the NOT EXISTS into an
// anti-join, which in a generic plan can read the whole records_reverses
// index; as a subplan it is one probe of that index per row of the subject.
const notReversed = `r.reverses IS NULL
	AND NOT EXISTS (SELECT 1 FROM records r2 WHERE r2.reverses = r.id OFFSET 0)`

// notHeld is the condition that record r is not waiting for a second
// person: held without a decision (a rejection reverses it).
const notHeld = `NOT EXISTS (SELECT 1 FROM holds h WHERE h.record_id = r.id
		AND NOT EXISTS (SELECT 1 FROM hold_decisions hd WHERE hd.record_id = h.record_id OFFSET 0) OFFSET 0)`

// counts is the condition that record r counts in a score at the instant
// bound to the last placeholder: an original nobody has reversed, not held
// for a second person without a decision (a rejection reverses it), and
// not ended by a repair approved at or before the instant. SumAwarded
// uses notReversed alone, so that a held record keeps its cap room.
// scanRecord reads the columns recordCols.
func scanRecord(row scanner) (tally.Record, error) {
	var (
		r                  tally.Record
		facts              string
		happened, recorded int64
		expires, reverses  *int64
	)
	err := row.Scan(&r.ID, &r.Scheme, &r.Version, &r.SubjectID, &r.Rule, &facts,
		&happened, &recorded, &r.RecordedBy, &r.Ref, &r.Evidence,
		&r.Requested, &r.Awarded, &r.Reason, &expires, &reverses, &r.Digest)
	if err != nil {
		return r, err
	}
	if err := json.Unmarshal([]byte(facts), &r.Facts); err != nil {
		return r, fmt.Errorf("facts of record %d: %w", r.ID, err)
	}
	r.HappenedAt, r.RecordedAt = fromMicros(happened), fromMicros(recorded)
	r.ExpiresAt = fromNullMicros(expires)
	if reverses != nil {
		r.Reverses = *reverses
	}
	return r, nil
}

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
