package sqlstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tallycredit/tally"
)

// What counts. A record counts in a score at an instant when it happened
// at or before it and has not expired (tally.Record.InEffect), is an
// original nobody has reversed, is not held for a second person without a
// decision (a rejection reverses it), and was not ended by a repair
// approved at or before the instant. These conditions on record r are that
// rule in SQL, written once for the score (InEffect, PointsInEffect), the
// close (WindowRecords) and the caps (SumAwarded). Each NOT EXISTS is one
// index probe per row: the fences keep PostgreSQL's generic plans from
// making it an anti-join that reads a whole index.
const (
	// notReversed: r is an original nobody has reversed. SumAwarded uses
	// it alone, so that a held record keeps its cap room.
	notReversed = `r.reverses IS NULL
	AND NOT EXISTS (SELECT 1 FROM records r2 WHERE r2.reverses = r.id /*fence*/)`
	// notHeld: r is not waiting for a second person's decision.
	notHeld = `NOT EXISTS (SELECT 1 FROM holds h WHERE h.record_id = r.id
		AND NOT EXISTS (SELECT 1 FROM hold_decisions hd WHERE hd.record_id = h.record_id /*fence*/) /*fence*/)`
	// countsIn: r counts at some instant of a window, leaving repairs
	// aside; its placeholders take the window's end, then its start. The
	// close reads a repaired record's end from the repair instead.
	countsIn = `r.happened_at <= ? AND (r.expires_at IS NULL OR r.expires_at > ?)
	AND ` + notReversed + `
	AND ` + notHeld
	// countsAt: r counts at an instant, which its three placeholders take.
	countsAt = countsIn + `
	AND NOT EXISTS (SELECT 1 FROM repair_decisions rd WHERE rd.record_id = r.id
		AND rd.approved = 1 AND rd.decided_at <= ? /*fence*/)`
)

// RecordColumns are the columns of records in the order RecordRow gives
// their values, for a bulk load, and scanRecord reads them (recordCols).
var RecordColumns = []string{"id", "scheme", "version", "subject_id", "rule", "facts",
	"happened_at", "recorded_at", "recorded_by", "ref", "evidence",
	"requested", "awarded", "reason", "expires_at", "reverses", "digest"}

var (
	recordCols = "r." + strings.Join(RecordColumns, ", r.")
	// The insert names no conflict target because a record has two keys
	// that may conflict, its ref and the one reversal of a record;
	// recordConflict tells which it was.
	insertRecordQuery = fixed("InsertRecord", `INSERT INTO records (`+strings.Join(RecordColumns[1:], ", ")+`)
		VALUES (?`+strings.Repeat(", ?", len(RecordColumns)-2)+`) ON CONFLICT DO NOTHING RETURNING id`)
	refUsedQuery = fixed("RefUsed", `SELECT EXISTS (SELECT 1 FROM records WHERE scheme = ? AND ref = ?),
		EXISTS (SELECT 1 FROM records WHERE reverses = ?)`)
	recordByIDQuery  = fixed("RecordByID", `SELECT `+recordCols+` FROM records r WHERE r.id = ?`)
	recordByRefQuery = fixed("RecordByRef", `SELECT `+recordCols+` FROM records r WHERE r.scheme = ? AND r.ref = ?`)
	reversalOfQuery  = fixed("ReversalOf", `SELECT `+recordCols+` FROM records r WHERE r.reverses = ?`)
	sumAwardedQuery  = fixed("SumAwarded", `SELECT CAST(COALESCE(SUM(r.awarded), 0) AS BIGINT) FROM records r
		WHERE r.scheme = ? AND r.subject_id = ? AND r.rule = ?
		AND r.happened_at >= ? AND r.happened_at < ? AND `+notReversed)
	inEffectQuery = fixed("InEffect", `SELECT `+recordCols+` FROM records r
		WHERE r.scheme = ? AND r.subject_id = ? AND `+countsAt+`
		ORDER BY r.happened_at, r.id`)
	pointsInEffectQuery = fixed("PointsInEffect", `SELECT r.id, r.version, r.rule, r.happened_at, r.awarded, r.expires_at
		FROM records r WHERE r.scheme = ? AND r.subject_id = ? AND `+countsAt+`
		ORDER BY r.happened_at, r.id`)
	// History reads the subject's records (records_subject) and sorts them
	// by ID, a few hundred rows. MATERIALIZED keeps a generic plan of
	// PostgreSQL from walking the primary key in ID order instead, through
	// every subject's records, until it has found limit of this one's.
	historyQuery = fixed("History", `WITH s AS /*materialized*/ (SELECT `+recordCols+` FROM records r
		WHERE r.scheme = ? AND r.subject_id = ? AND r.id > ?)
		SELECT * FROM s ORDER BY id LIMIT ?`)
	countsQuery = fixed("Counts", `SELECT
		(SELECT COUNT(*) FROM enrolments WHERE scheme = ?),
		(SELECT COUNT(*) FROM records WHERE scheme = ?)`)
)

// InsertRecord appends r and sets r.ID. A Ref already used in the scheme or
// a second reversal of one record is EConflict, after which the transaction
// stays usable; a subject or reversed record that does not exist is
// ENotFound.
func (t *Tx) InsertRecord(ctx context.Context, r *tally.Record) error {
	row, err := RecordRow(r)
	if err != nil {
		return err
	}
	var id int64
	err = t.queryRow(ctx, insertRecordQuery, row[1:]...).Scan(&id)
	switch {
	case err == nil:
		r.ID = id
		return nil
	case errors.Is(err, ErrNoRows): // ON CONFLICT DO NOTHING inserted nothing
		return t.recordConflict(ctx, r)
	case t.d.IsForeignKey(err):
		if r.Reverses != 0 {
			return NotFound(err, "no subject with id %d, or no record with id %d to reverse", r.SubjectID, r.Reverses)
		}
		return NotFound(err, "no subject with id %d", r.SubjectID)
	}
	return t.wrap(err, "insert record "+r.Ref)
}

// insertRecords writes records in bulk.
var insertRecords = newBulkInsert("InsertRecords", "records", RecordColumns[1:])

// InsertRecords appends rs in order with multi-row INSERTs and sets their
// IDs. A conflict is EConflict and a missing subject or reversed record
// ENotFound; either fails the statement, after which the caller rolls
// back, and no ID is set. PostgreSQL has its own, with COPY.
func (t *Tx) InsertRecords(ctx context.Context, rs []*tally.Record) error {
	rows := make([][]any, len(rs))
	for i, r := range rs {
		row, err := RecordRow(r)
		if err != nil {
			return err
		}
		rows[i] = row[1:]
	}
	ids, err := insertRecords.insert(ctx, t, rows)
	switch {
	case err == nil:
		for i, r := range rs {
			r.ID = ids[i]
		}
		return nil
	case t.d.IsUnique(err):
		return Conflict(err, "a ref of the batch is already used in its scheme or used twice in the batch, or a record is reversed twice")
	case t.d.IsForeignKey(err):
		return NotFound(err, "a record of the batch names a subject, or a record to reverse, that does not exist")
	}
	return t.wrap(err, "insert records")
}

// RecordRow returns r's values in the order of RecordColumns, the ID
// (first) left nil. Facts that cannot be JSON are EInvalid.
func RecordRow(r *tally.Record) ([]any, error) {
	facts := []byte("{}")
	if r.Facts != nil {
		var err error
		if facts, err = json.Marshal(r.Facts); err != nil {
			return nil, &tally.Error{Code: tally.EInvalid, Field: "facts", Message: "cannot be stored as JSON", Err: err}
		}
	}
	return []any{nil, r.Scheme, r.Version, r.SubjectID, r.Rule, string(facts), micros(r.HappenedAt), micros(r.RecordedAt),
		r.RecordedBy, r.Ref, r.Evidence, r.Requested, r.Awarded, r.Reason, nullTime(r.ExpiresAt), nullID(r.Reverses), r.Digest}, nil
}

// recordConflict tells which unique key r met: the ref, or the one
// reversal a record may have. Neither means the id collided with a row
// written with its own id while PostgreSQL's identity sequence lagged
// behind: a fault of whatever wrote it, not a conflict of the input.
func (t *Tx) recordConflict(ctx context.Context, r *tally.Record) error {
	var refUsed, reversed bool
	if err := t.queryRow(ctx, refUsedQuery, r.Scheme, r.Ref, r.Reverses).Scan(&refUsed, &reversed); err != nil {
		return t.wrap(err, "insert record "+r.Ref)
	}
	switch {
	case refUsed:
		return Conflict(nil, "ref %q is already used in scheme %q", r.Ref, r.Scheme)
	case r.Reverses != 0 && reversed:
		return Conflict(nil, "record %d is already reversed", r.Reverses)
	}
	return fmt.Errorf("insert record %s: its id is taken: the sequence records_id_seq is behind the table", r.Ref)
}

// RecordByID returns the record with the given ID, or ENotFound.
func (t *Tx) RecordByID(ctx context.Context, id int64) (*tally.Record, error) {
	return one(t, scanRecord, t.queryRow(ctx, recordByIDQuery, id), "read record", "no record with id %d", id)
}

// RecordByRef returns the record of a scheme with the given Ref, or ENotFound.
func (t *Tx) RecordByRef(ctx context.Context, scheme, ref string) (*tally.Record, error) {
	return one(t, scanRecord, t.queryRow(ctx, recordByRefQuery, scheme, ref), "read record", "no record with ref %q in scheme %q", ref, scheme)
}

// ReversalOf returns the record that reverses record id, or ENotFound when
// it is not reversed (or does not exist).
func (t *Tx) ReversalOf(ctx context.Context, id int64) (*tally.Record, error) {
	return one(t, scanRecord, t.queryRow(ctx, reversalOfQuery, id), "read reversal", "record %d is not reversed", id)
}

// RecordsByRefs returns the scheme's records whose ref is among refs.
func (t *Tx) RecordsByRefs(ctx context.Context, scheme string, refs []string) ([]tally.Record, error) {
	out := []tally.Record{}
	err := inChunks(t, refs, func(in string, args []any) error {
		rs, err := collect(ctx, t, scanRecord, `SELECT `+recordCols+` FROM records r WHERE r.scheme = ? AND r.ref `+in,
			append([]any{scheme}, args...)...)
		out = append(out, rs...)
		return err
	})
	return out, t.wrap(err, "read records by ref")
}

// maxIn is the longest IN list a query takes, well under SQLite's limit on
// bound parameters.
const maxIn = 500

// SumAwarded adds the Awarded points of the subject's original, unreversed
// records of one rule that happened in [from, to).
func (t *Tx) SumAwarded(ctx context.Context, scheme string, subjectID int64, rule string, from, to time.Time) (int64, error) {
	var sum int64
	err := t.queryRow(ctx, sumAwardedQuery, scheme, subjectID, rule, micros(from), micros(to)).Scan(&sum)
	return sum, t.wrap(err, "sum awarded")
}

// InEffect returns the subject's records that count at instant at, by
// HappenedAt then ID.
func (t *Tx) InEffect(ctx context.Context, scheme string, subjectID int64, at time.Time) ([]tally.Record, error) {
	us := micros(at)
	rs, err := collect(ctx, t, scanRecord, inEffectQuery, scheme, subjectID, us, us, us)
	return rs, t.wrap(err, "read records in effect")
}

// PointsInEffect is InEffect reading only the columns a score needs.
func (t *Tx) PointsInEffect(ctx context.Context, scheme string, subjectID int64, at time.Time) ([]tally.Record, error) {
	us := micros(at)
	rs, err := collect(ctx, t, func(row Row) (tally.Record, error) {
		r := tally.Record{Scheme: scheme, SubjectID: subjectID}
		var (
			happened int64
			expires  *int64
		)
		err := row.Scan(&r.ID, &r.Version, &r.Rule, &happened, &r.Awarded, &expires)
		r.HappenedAt, r.ExpiresAt = fromMicros(happened), fromNullTime(expires)
		return r, err
	}, pointsInEffectQuery, scheme, subjectID, us, us, us)
	return rs, t.wrap(err, "read points in effect")
}

// History returns up to limit of the subject's records in a scheme,
// reversals included, with IDs greater than after, by ID.
func (t *Tx) History(ctx context.Context, scheme string, subjectID int64, after int64, limit int) ([]tally.Record, error) {
	if limit <= 0 {
		return []tally.Record{}, nil
	}
	rs, err := collect(ctx, t, scanRecord, historyQuery, scheme, subjectID, after, limit)
	return rs, t.wrap(err, "read history")
}

// Counts returns how many subjects are enrolled in a scheme and how many
// records it holds, reversals included.
func (t *Tx) Counts(ctx context.Context, scheme string) (subjects, records int64, err error) {
	err = t.queryRow(ctx, countsQuery, scheme, scheme).Scan(&subjects, &records)
	return subjects, records, t.wrap(err, "count "+scheme)
}

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
