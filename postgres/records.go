package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/tallycredit/tally"
)

const recordCols = `r.id, r.scheme, r.version, r.subject_id, r.rule, r.facts,
	r.happened_at, r.recorded_at, r.recorded_by, r.ref, r.evidence,
	r.requested, r.awarded, r.reason, r.expires_at, r.reverses, r.digest`

// recordCopyCols are the columns InsertRecords writes with COPY, in the
// order of recordRow.
var recordCopyCols = []string{"id", "scheme", "version", "subject_id", "rule", "facts",
	"happened_at", "recorded_at", "recorded_by", "ref", "evidence",
	"requested", "awarded", "reason", "expires_at", "reverses", "digest"}

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
const counts = notReversed + `
	AND ` + notHeld + `
	AND NOT EXISTS (SELECT 1 FROM repair_decisions rd WHERE rd.record_id = r.id
		AND rd.approved = 1 AND rd.decided_at <= $3 OFFSET 0)`

const (
	recordByIDQuery  = `SELECT ` + recordCols + ` FROM records r WHERE r.id = $1`
	recordByRefQuery = `SELECT ` + recordCols + ` FROM records r WHERE r.scheme = $1 AND r.ref = $2`
	// RecordsByRefs returns the scheme's records whose ref is in $2, one
	// statement for a whole import batch.
	recordsByRefsQuery = `SELECT ` + recordCols + ` FROM records r WHERE r.scheme = $1 AND r.ref = ANY($2::text[])`
	reversalOfQuery    = `SELECT ` + recordCols + ` FROM records r WHERE r.reverses = $1`
	sumAwardedQuery    = `SELECT COALESCE(SUM(r.awarded), 0)::bigint FROM records r
		WHERE r.scheme = $1 AND r.subject_id = $2 AND r.rule = $3
		AND r.happened_at >= $4 AND r.happened_at < $5 AND ` + notReversed
	inEffectQuery = `SELECT ` + recordCols + ` FROM records r
		WHERE r.scheme = $1 AND r.subject_id = $2 AND r.happened_at <= $3
		AND (r.expires_at IS NULL OR r.expires_at > $3) AND ` + counts + `
		ORDER BY r.happened_at, r.id`
	pointsInEffectQuery = `SELECT r.id, r.version, r.rule, r.happened_at, r.awarded, r.expires_at FROM records r
		WHERE r.scheme = $1 AND r.subject_id = $2 AND r.happened_at <= $3
		AND (r.expires_at IS NULL OR r.expires_at > $3) AND ` + counts + `
		ORDER BY r.happened_at, r.id`
	// History reads the subject's records (records_subject) and sorts them
	// by ID, a few hundred rows. MATERIALIZED keeps a generic plan from
	// walking the primary key in ID order instead, through every subject's
	// records, until it has found limit of this one's.
	historyQuery = `WITH s AS MATERIALIZED (SELECT ` + recordCols + ` FROM records r
		WHERE r.scheme = $1 AND r.subject_id = $2 AND r.id > $3)
		SELECT * FROM s ORDER BY id LIMIT $4`
	// The insert names no conflict target because a record has two keys
	// that may conflict, its ref and the one reversal of a record;
	// recordConflict tells which it was.
	insertRecordQuery = `INSERT INTO records
		(scheme, version, subject_id, rule, facts, happened_at, recorded_at, recorded_by,
		 ref, evidence, requested, awarded, reason, expires_at, reverses, digest)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
		ON CONFLICT DO NOTHING RETURNING id`
	refUsedQuery = `SELECT EXISTS (SELECT 1 FROM records WHERE scheme = $1 AND ref = $2),
		EXISTS (SELECT 1 FROM records WHERE reverses = $3)`
	reserveIDsQuery = `SELECT nextval(pg_get_serial_sequence('records', 'id')) FROM generate_series(1, $1)`
	countsQuery     = `SELECT
		(SELECT COUNT(*) FROM enrolments WHERE scheme = $1),
		(SELECT COUNT(*) FROM records WHERE scheme = $1)`
)

// InsertRecord appends r and sets r.ID. A Ref already used in the scheme or
// a second reversal of one record is EConflict, after which the transaction
// stays usable; a subject or reversed record that does not exist is
// ENotFound.
func (t *tx) InsertRecord(ctx context.Context, r *tally.Record) error {
	row, err := recordRow(r)
	if err != nil {
		return err
	}
	var id int64
	err = t.queryRow(ctx, insertRecordQuery, row[1:]...).Scan(&id)
	switch {
	case errors.Is(err, pgx.ErrNoRows): // ON CONFLICT DO NOTHING inserted nothing
		return t.recordConflict(ctx, r)
	case sqlState(err) == foreignKeyViolation:
		if r.Reverses != 0 {
			return notFound(err, "no subject with id %d, or no record with id %d to reverse", r.SubjectID, r.Reverses)
		}
		return notFound(err, "no subject with id %d", r.SubjectID)
	case err != nil:
		return storeErr(err, "insert record "+r.Ref)
	}
	r.ID = id
	return nil
}

// InsertRecords appends rs in two round trips: it reserves their IDs from
// the identity sequence, in increasing order, then writes the rows with
// COPY. A conflict is EConflict and a missing subject or reversed record
// ENotFound; either aborts the transaction, and no ID is set.
func (t *tx) InsertRecords(ctx context.Context, rs []*tally.Record) error {
	if len(rs) == 0 {
		return nil
	}
	rows := make([][]any, len(rs))
	for i, r := range rs {
		row, err := recordRow(r)
		if err != nil {
			return err
		}
		rows[i] = row
	}
	ids, err := collect(ctx, t, scanInt64, reserveIDsQuery, len(rs))
	if err != nil {
		return storeErr(err, "reserve record ids")
	}
	slices.Sort(ids) // one query's nextval calls increase, but say so
	for i := range rows {
		rows[i][0] = ids[i]
	}
	_, err = t.tx.CopyFrom(ctx, pgx.Identifier{"records"}, recordCopyCols, pgx.CopyFromRows(rows))
	t.note(err)
	switch {
	case sqlState(err) == uniqueViolation && constraintOf(err) == "records_reverses":
		return conflict(err, "a record of the batch reverses a record that is already reversed")
	case sqlState(err) == uniqueViolation:
		return conflict(err, "a ref of the batch is already used in its scheme, or used twice in the batch")
	case sqlState(err) == foreignKeyViolation:
		return notFound(err, "a record of the batch names a subject, or a record to reverse, that does not exist")
	case err != nil:
		return storeErr(err, "insert records")
	}
	for i, r := range rs {
		r.ID = ids[i]
	}
	return nil
}

// recordRow returns r's values in the order of recordCopyCols, the ID
// (first) left nil.
func recordRow(r *tally.Record) ([]any, error) {
	facts, err := encodeFacts(r.Facts)
	if err != nil {
		return nil, &tally.Error{Code: tally.EInvalid, Field: "facts", Message: "cannot be stored as JSON", Err: err}
	}
	var reverses *int64
	if r.Reverses != 0 {
		reverses = &r.Reverses
	}
	return []any{nil, r.Scheme, r.Version, r.SubjectID, r.Rule, facts, micros(r.HappenedAt), micros(r.RecordedAt), r.RecordedBy,
		r.Ref, r.Evidence, r.Requested, r.Awarded, r.Reason, nullMicros(r.ExpiresAt), reverses, r.Digest}, nil
}

// recordConflict tells which unique constraint r met: the ref, or the one
// reversal a record may have. Neither means the id collided with a row
// written with its own id while the identity sequence lagged behind: a
// fault of whatever wrote it, not a conflict of the input.
func (t *tx) recordConflict(ctx context.Context, r *tally.Record) error {
	var refUsed, reversed bool
	if err := t.queryRow(ctx, refUsedQuery, r.Scheme, r.Ref, r.Reverses).Scan(&refUsed, &reversed); err != nil {
		return storeErr(err, "insert record "+r.Ref)
	}
	switch {
	case refUsed:
		return conflict(nil, "ref %q is already used in scheme %q", r.Ref, r.Scheme)
	case r.Reverses != 0 && reversed:
		return conflict(nil, "record %d is already reversed", r.Reverses)
	}
	return fmt.Errorf("insert record %s: its id is taken: the sequence records_id_seq is behind the table", r.Ref)
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
func (t *tx) RecordsByRefs(ctx context.Context, scheme string, refs []string) ([]tally.Record, error) {
	if len(refs) == 0 {
		return []tally.Record{}, nil
	}
	rs, err := collect(ctx, t, scanRecord, recordsByRefsQuery, scheme, refs)
	if err != nil {
		return nil, storeErr(err, "read records by ref")
	}
	return rs, nil
}

// RecordByRef returns the record with the given Ref in scheme, or ENotFound.
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
	if err := t.queryRow(ctx, sumAwardedQuery, scheme, subjectID, rule, micros(from), micros(to)).Scan(&sum); err != nil {
		return 0, storeErr(err, "sum awarded")
	}
	return sum, nil
}

// InEffect returns the subject's original, unreversed records that happened
// at or before at and had not expired at at, by HappenedAt then ID.
func (t *tx) InEffect(ctx context.Context, scheme string, subjectID int64, at time.Time) ([]tally.Record, error) {
	rs, err := collect(ctx, t, scanRecord, inEffectQuery, scheme, subjectID, micros(at))
	if err != nil {
		return nil, storeErr(err, "read records in effect")
	}
	return rs, nil
}

// PointsInEffect is InEffect reading only the columns a score needs.
func (t *tx) PointsInEffect(ctx context.Context, scheme string, subjectID int64, at time.Time) ([]tally.Record, error) {
	rs, err := collect(ctx, t, func(row scanner) (tally.Record, error) {
		r := tally.Record{Scheme: scheme, SubjectID: subjectID}
		var happened int64
		var expires *int64
		err := row.Scan(&r.ID, &r.Version, &r.Rule, &happened, &r.Awarded, &expires)
		r.HappenedAt, r.ExpiresAt = fromMicros(happened), fromNullMicros(expires)
		return r, err
	}, pointsInEffectQuery, scheme, subjectID, micros(at))
	if err != nil {
		return nil, storeErr(err, "read points in effect")
	}
	return rs, nil
}

// History returns up to limit of the subject's records in a scheme,
// reversals included, with IDs greater than after, by ID.
func (t *tx) History(ctx context.Context, scheme string, subjectID int64, after int64, limit int) ([]tally.Record, error) {
	if limit <= 0 {
		return []tally.Record{}, nil
	}
	rs, err := collect(ctx, t, scanRecord, historyQuery, scheme, subjectID, after, limit)
	if err != nil {
		return nil, storeErr(err, "read history")
	}
	return rs, nil
}

// Counts returns how many subjects are enrolled in a scheme and how many
// records it holds, reversals included.
func (t *tx) Counts(ctx context.Context, scheme string) (subjects, records int64, err error) {
	if err := t.queryRow(ctx, countsQuery, scheme).Scan(&subjects, &records); err != nil {
		return 0, 0, storeErr(err, "count "+scheme)
	}
	return subjects, records, nil
}

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

// scanInt64 reads one BIGINT column.
func scanInt64(row scanner) (int64, error) {
	var n int64
	err := row.Scan(&n)
	return n, err
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
