package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/tallycredit/tally"
)

const recordCols = `r.id, r.scheme, r.version, r.subject_id, r.rule, r.facts,
	r.happened_at, r.recorded_at, r.recorded_by, r.ref, r.evidence,
	r.requested, r.awarded, r.reason, r.expires_at, r.reverses, r.digest`

// notReversed is the condition that record r is an original nobody has
// reversed; the NOT EXISTS is one seek in the index records_reverses.
const notReversed = `r.reverses IS NULL
	AND NOT EXISTS (SELECT 1 FROM records r2 WHERE r2.reverses = r.id)`

// notHeld is the condition that record r is not waiting for a second
// person: held without a decision (a rejection reverses it).
const notHeld = `NOT EXISTS (SELECT 1 FROM holds h WHERE h.record_id = r.id
		AND NOT EXISTS (SELECT 1 FROM hold_decisions hd WHERE hd.record_id = h.record_id))`

// counts is the condition that record r counts in a score at the instant
// bound to the last placeholder: an original nobody has reversed, not held
// for a second person without a decision (a rejection reverses it), and
// not ended by a repair approved at or before the instant. SumAwarded
// uses notReversed alone, so that a held record keeps its cap room.
const counts = notReversed + `
	AND ` + notHeld + `
	AND NOT EXISTS (SELECT 1 FROM repair_decisions rd WHERE rd.record_id = r.id
		AND rd.approved = 1 AND rd.decided_at <= ?)`

// The record queries, named so that they can be prepared once and a test
// can check their plans.
const (
	recordByIDQuery  = `SELECT ` + recordCols + ` FROM records r WHERE r.id = ?`
	recordByRefQuery = `SELECT ` + recordCols + ` FROM records r WHERE r.scheme = ? AND r.ref = ?`
	reversalOfQuery  = `SELECT ` + recordCols + ` FROM records r WHERE r.reverses = ?`
	sumAwardedQuery  = `SELECT COALESCE(SUM(r.awarded), 0) FROM records r
		WHERE r.scheme = ? AND r.subject_id = ? AND r.rule = ?
		AND r.happened_at >= ? AND r.happened_at < ? AND ` + notReversed
	inEffectQuery = `SELECT ` + recordCols + ` FROM records r
		WHERE r.scheme = ? AND r.subject_id = ? AND r.happened_at <= ?
		AND (r.expires_at IS NULL OR r.expires_at > ?) AND ` + counts + `
		ORDER BY r.happened_at, r.id`
	pointsInEffectQuery = `SELECT r.id, r.version, r.rule, r.happened_at, r.awarded, r.expires_at FROM records r
		WHERE r.scheme = ? AND r.subject_id = ? AND r.happened_at <= ?
		AND (r.expires_at IS NULL OR r.expires_at > ?) AND ` + counts + `
		ORDER BY r.happened_at, r.id`
	historyQuery = `SELECT ` + recordCols + ` FROM records r
		WHERE r.scheme = ? AND r.subject_id = ? AND r.id > ?
		ORDER BY r.id LIMIT ?`
	insertRecordQuery = `INSERT INTO records
		(scheme, version, subject_id, rule, facts, happened_at, recorded_at, recorded_by,
		 ref, evidence, requested, awarded, reason, expires_at, reverses, digest)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`
	refUsedQuery = `SELECT COUNT(*) FROM records WHERE scheme = ? AND ref = ?`
	countsQuery  = `SELECT
		(SELECT COUNT(*) FROM enrolments WHERE scheme = ?),
		(SELECT COUNT(*) FROM records WHERE scheme = ?)`
)

// InsertRecord appends r and sets r.ID. A Ref already used in the scheme or
// a second reversal of one record is EConflict; a subject or reversed record
// that does not exist is ENotFound.
func (t *tx) InsertRecord(ctx context.Context, r *tally.Record) error {
	facts, err := encodeFacts(r.Facts)
	if err != nil {
		return &tally.Error{Code: tally.EInvalid, Field: "facts", Message: "cannot be stored as JSON", Err: err}
	}
	reverses := sql.NullInt64{Int64: r.Reverses, Valid: r.Reverses != 0}
	var id int64
	err = t.queryRow(ctx, insertRecordQuery,
		r.Scheme, r.Version, r.SubjectID, r.Rule, facts, micros(r.HappenedAt), micros(r.RecordedAt), r.RecordedBy,
		r.Ref, r.Evidence, r.Requested, r.Awarded, r.Reason, nullMicros(r.ExpiresAt), reverses, r.Digest,
	).Scan(&id)
	switch {
	case isUnique(err):
		return t.recordConflict(ctx, err, r)
	case isForeignKey(err):
		if r.Reverses != 0 {
			return notFound(err, "no subject with id %d, or no record with id %d to reverse", r.SubjectID, r.Reverses)
		}
		return notFound(err, "no subject with id %d", r.SubjectID)
	case err != nil:
		return fmt.Errorf("insert record %s: %w", r.Ref, err)
	}
	r.ID = id
	return nil
}

// RecordsByRefs returns the scheme's records whose ref is among refs, in
// chunks that stay under SQLite's limit on bound parameters.
func (t *tx) RecordsByRefs(ctx context.Context, scheme string, refs []string) ([]tally.Record, error) {
	out := []tally.Record{}
	for len(refs) > 0 {
		n := min(len(refs), 500)
		args := make([]any, 0, n+1)
		args = append(args, scheme)
		for _, ref := range refs[:n] {
			args = append(args, ref)
		}
		q := `SELECT ` + recordCols + ` FROM records r WHERE r.scheme = ? AND r.ref IN (?` + strings.Repeat(", ?", n-1) + `)`
		rs, err := t.queryRecords(ctx, "read records by ref", q, args...)
		if err != nil {
			return nil, err
		}
		out = append(out, rs...)
		refs = refs[n:]
	}
	return out, nil
}

// InsertRecords appends records one by one on the write connection: with
// SQLite a prepared insert costs no round trip, so a batch statement would
// save little.
func (t *tx) InsertRecords(ctx context.Context, rs []*tally.Record) error {
	for _, r := range rs {
		if err := t.InsertRecord(ctx, r); err != nil {
			return err
		}
	}
	return nil
}

// recordConflict tells which unique constraint r violated: the ref, or the
// one reversal a record may have.
func (t *tx) recordConflict(ctx context.Context, cause error, r *tally.Record) error {
	var n int
	err := t.queryRow(ctx, refUsedQuery, r.Scheme, r.Ref).Scan(&n)
	if err != nil {
		return fmt.Errorf("insert record %s: %w", r.Ref, err)
	}
	if n > 0 || r.Reverses == 0 {
		return conflict(cause, "ref %q is already used in scheme %q", r.Ref, r.Scheme)
	}
	return conflict(cause, "record %d is already reversed", r.Reverses)
}

// RecordByID returns the record with the given ID, or ENotFound.
func (t *tx) RecordByID(ctx context.Context, id int64) (*tally.Record, error) {
	r, err := scanRecord(t.queryRow(ctx, recordByIDQuery, id))
	if err != nil {
		return nil, lookupErr(err, "read record", "no record with id %d", id)
	}
	return &r, nil
}

// RecordByRef returns the record of a scheme with the given Ref, or ENotFound.
func (t *tx) RecordByRef(ctx context.Context, scheme, ref string) (*tally.Record, error) {
	r, err := scanRecord(t.queryRow(ctx, recordByRefQuery, scheme, ref))
	if err != nil {
		return nil, lookupErr(err, "read record", "no record with ref %q in scheme %q", ref, scheme)
	}
	return &r, nil
}

// ReversalOf returns the record that reverses record id, or ENotFound when
// it is not reversed (or does not exist).
func (t *tx) ReversalOf(ctx context.Context, id int64) (*tally.Record, error) {
	r, err := scanRecord(t.queryRow(ctx, reversalOfQuery, id))
	if err != nil {
		return nil, lookupErr(err, "read reversal", "record %d is not reversed", id)
	}
	return &r, nil
}

// SumAwarded adds the Awarded points of the subject's original, unreversed
// records of one rule that happened in [from, to).
func (t *tx) SumAwarded(ctx context.Context, scheme string, subjectID int64, rule string, from, to time.Time) (int64, error) {
	var sum int64
	err := t.queryRow(ctx, sumAwardedQuery, scheme, subjectID, rule, micros(from), micros(to)).Scan(&sum)
	if err != nil {
		return 0, fmt.Errorf("sum awarded: %w", err)
	}
	return sum, nil
}

// InEffect returns the subject's original, unreversed records that happened
// at or before at and had not expired at at, by HappenedAt then ID.
func (t *tx) InEffect(ctx context.Context, scheme string, subjectID int64, at time.Time) ([]tally.Record, error) {
	us := micros(at)
	return t.queryRecords(ctx, "read records in effect", inEffectQuery, scheme, subjectID, us, us, us)
}

// PointsInEffect is InEffect reading only the columns a score needs.
func (t *tx) PointsInEffect(ctx context.Context, scheme string, subjectID int64, at time.Time) ([]tally.Record, error) {
	us := micros(at)
	rows, err := t.query(ctx, pointsInEffectQuery, scheme, subjectID, us, us, us)
	if err != nil {
		return nil, fmt.Errorf("read points in effect: %w", err)
	}
	defer rows.Close()
	rs := []tally.Record{}
	for rows.Next() {
		r := tally.Record{Scheme: scheme, SubjectID: subjectID}
		var happened int64
		var expires sql.NullInt64
		if err := rows.Scan(&r.ID, &r.Version, &r.Rule, &happened, &r.Awarded, &expires); err != nil {
			return nil, fmt.Errorf("read points in effect: %w", err)
		}
		r.HappenedAt, r.ExpiresAt = fromMicros(happened), fromNullMicros(expires)
		rs = append(rs, r)
	}
	return rs, rows.Err()
}

// History returns up to limit of the subject's records in a scheme,
// reversals included, with IDs greater than after, by ID.
func (t *tx) History(ctx context.Context, scheme string, subjectID int64, after int64, limit int) ([]tally.Record, error) {
	if limit <= 0 {
		return []tally.Record{}, nil
	}
	return t.queryRecords(ctx, "read history", historyQuery, scheme, subjectID, after, limit)
}

// Counts returns how many subjects are enrolled in a scheme and how many
// records it holds, reversals included.
func (t *tx) Counts(ctx context.Context, scheme string) (subjects, records int64, err error) {
	if err := t.queryRow(ctx, countsQuery, scheme, scheme).Scan(&subjects, &records); err != nil {
		return 0, 0, fmt.Errorf("count %s: %w", scheme, err)
	}
	return subjects, records, nil
}

// queryRecords runs a query selecting recordCols; op names it in errors.
func (t *tx) queryRecords(ctx context.Context, op, query string, args ...any) ([]tally.Record, error) {
	rows, err := t.query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	defer rows.Close()
	rs := []tally.Record{}
	for rows.Next() {
		r, err := scanRecord(rows)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
		rs = append(rs, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return rs, nil
}

// scanRecord reads the columns recordCols.
func scanRecord(row scanner) (tally.Record, error) {
	var (
		r                  tally.Record
		facts              string
		happened, recorded int64
		expires, reverses  sql.NullInt64
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
	r.Reverses = reverses.Int64
	return r, nil
}

// encodeFacts returns facts as a JSON object; nil is the empty object.
func encodeFacts(facts map[string]any) (string, error) {
	if facts == nil {
		return "{}", nil
	}
	b, err := json.Marshal(facts)
	if err != nil {
		return "", err
	}
	return string(b), nil
}
