package sqlstore

// The web and list queries read records, enrolments and account scopes,
// whose own areas are ported to this package separately. Until they are,
// the pieces of theirs these queries use are written here once; when those
// areas arrive with the same names, this file goes.

import (
	"encoding/json"
	"fmt"

	"github.com/tallycredit/tally"
)

const recordCols = `r.id, r.scheme, r.version, r.subject_id, r.rule, r.facts,
	r.happened_at, r.recorded_at, r.recorded_by, r.ref, r.evidence,
	r.requested, r.awarded, r.reason, r.expires_at, r.reverses, r.digest`

// notReversed is the condition that record r is an original nobody has
// reversed: one probe of records_reverses per row, which the fence keeps a
// subplan rather than an anti-join that may read the whole index.
const notReversed = `r.reverses IS NULL
	AND NOT EXISTS (SELECT 1 FROM records r2 WHERE r2.reverses = r.id /*fence*/)`

// notHeld is the condition that record r is not waiting for a second
// person: held without a decision (a rejection reverses it).
const notHeld = `NOT EXISTS (SELECT 1 FROM holds h WHERE h.record_id = r.id
		AND NOT EXISTS (SELECT 1 FROM hold_decisions hd WHERE hd.record_id = h.record_id /*fence*/) /*fence*/)`

// scanRecord reads the columns recordCols.
func scanRecord(row Row) (tally.Record, error) {
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
	r.ExpiresAt, r.Reverses = fromNullTime(expires), deref(reverses)
	return r, nil
}

// enrolmentSelect reads enrolments joined to their latest consent; the
// caller appends the WHERE clause on e.
const enrolmentSelect = `SELECT ` + enrolmentCols + ` FROM enrolments e ` + latestConsent

// scanEnrolment reads the columns enrolmentCols.
func scanEnrolment(row Row) (tally.Enrolment, error) {
	var e tally.Enrolment
	return e, scanEnrolmentInto(row, &e)
}
