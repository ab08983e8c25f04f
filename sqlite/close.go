package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"time"

	"github.com/tallycredit/tally"
)

const (
	closeCols    = `scheme, period, version, starts, ends, as_of, closed_at, closed_by, subjects, records, late, digest`
	closeRowCols = `subject_id, unit, masked, name, scored, unscored, opening, gains, losses, expired, closing,
		grade, flags, stars, previous, records, published`
	reportCols = `code, subject_id, masked, name, purpose, lang, issued_at, issued_by, digest, content`
)

// The close queries. Inserts of rows are built per batch (closeRowsInsert).
const (
	insertPublicationQuery = `INSERT INTO publication_consents (scheme, subject_id, given, at, how, decided_by)
		VALUES (?, ?, ?, ?, ?, ?)`
	publishedQuery = `SELECT subject_id, given FROM publication_consents
		WHERE scheme = ? AND subject_id > ? AND subject_id <= ? ORDER BY subject_id, at, id`
	// A repaired record stops counting when its repair was approved, as if
	// it expired then; a record held for a second person does not count.
	windowRecordsQuery = `SELECT r.id, r.version, r.subject_id, r.rule, r.happened_at, r.awarded,
		COALESCE(MIN(r.expires_at, ` + repairedAt + `), r.expires_at, ` + repairedAt + `)
		FROM records r WHERE r.scheme = ? AND r.subject_id > ? AND r.subject_id <= ?
		AND r.happened_at <= ? AND (r.expires_at IS NULL OR r.expires_at > ?) AND ` + notReversed + ` AND ` + notHeld + `
		ORDER BY r.subject_id, r.happened_at, r.id`
	repairedAt       = `(SELECT MIN(rd.decided_at) FROM repair_decisions rd WHERE rd.record_id = r.id AND rd.approved = 1)`
	lateRecordsQuery = `SELECT r.id FROM records r WHERE r.scheme = ? AND r.recorded_at > ? AND r.happened_at < ?
		AND ` + notReversed + ` ORDER BY r.id`
	insertCloseQuery = `INSERT INTO closes (` + closeCols + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	closeOfQuery     = `SELECT ` + closeCols + ` FROM closes WHERE scheme = ? AND period = ?`
	closesQuery      = `SELECT ` + closeCols + ` FROM closes WHERE scheme = ? ORDER BY period`
	closeRowsQuery   = `SELECT ` + closeRowCols + ` FROM close_rows
		WHERE scheme = ? AND period = ? AND subject_id > ? AND subject_id <= ? ORDER BY subject_id LIMIT ?`
	insertCloseTotalQuery = `INSERT INTO close_totals (scheme, period, unit, category, gains, losses, records)
		VALUES (?, ?, ?, ?, ?, ?, ?)`
	closeTotalsQuery = `SELECT unit, category, gains, losses, records FROM close_totals
		WHERE scheme = ? AND period = ? ORDER BY unit, category`
	insertCloseLateQuery = `INSERT INTO close_late (scheme, period, record_id) VALUES (?, ?, ?)`
	closeLateQuery       = `SELECT ` + recordCols + ` FROM close_late l JOIN records r ON r.id = l.record_id
		WHERE l.scheme = ? AND l.period = ? ORDER BY r.id`
	closeCountsQuery = `SELECT grade, flags, COUNT(*) FROM close_rows
		WHERE scheme = ? AND period = ? AND scored = 1 GROUP BY grade, flags ORDER BY grade, flags`
	insertReportQuery = `INSERT INTO reports (` + reportCols + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	reportByCodeQuery = `SELECT ` + reportCols + ` FROM reports WHERE code = ?`
)

// closeRowBatch is how many rows one INSERT writes: 17 values a row stay
// well under SQLite's limit of bound parameters.
const closeRowBatch = 500

// InsertPublicationConsent appends c; an unknown enrolment is ENotFound.
func (t *tx) InsertPublicationConsent(ctx context.Context, c *tally.Consent) error {
	_, err := t.exec(ctx, insertPublicationQuery, c.Scheme, c.SubjectID, c.Given, micros(c.At), c.How, c.By)
	if isForeignKey(err) {
		return notFound(err, "subject %d is not enrolled in scheme %s", c.SubjectID, c.Scheme)
	}
	if err != nil {
		return fmt.Errorf("insert publication consent: %w", err)
	}
	return nil
}

// Published returns the subjects of a range whose latest decision consents.
func (t *tx) Published(ctx context.Context, scheme string, after, last int64) (map[int64]bool, error) {
	rows, err := t.query(ctx, publishedQuery, scheme, after, last)
	if err != nil {
		return nil, fmt.Errorf("read publication consents: %w", err)
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var (
			id    int64
			given bool
		)
		if err := rows.Scan(&id, &given); err != nil {
			return nil, fmt.Errorf("read publication consents: %w", err)
		}
		if given {
			out[id] = true
		} else {
			delete(out, id)
		}
	}
	return out, rows.Err()
}


// WindowRecords returns the records of a range of subjects that count at
// some instant of [from, to].
func (t *tx) WindowRecords(ctx context.Context, scheme string, after, last int64, from, to time.Time) ([]tally.Record, error) {
	rows, err := t.query(ctx, windowRecordsQuery, scheme, after, last, micros(to), micros(from))
	if err != nil {
		return nil, fmt.Errorf("read records of a period: %w", err)
	}
	defer rows.Close()
	out := []tally.Record{}
	for rows.Next() {
		var (
			r        tally.Record
			happened int64
			expires  sql.NullInt64
		)
		if err := rows.Scan(&r.ID, &r.Version, &r.SubjectID, &r.Rule, &happened, &r.Awarded, &expires); err != nil {
			return nil, fmt.Errorf("read records of a period: %w", err)
		}
		r.Scheme, r.HappenedAt, r.ExpiresAt = scheme, fromMicros(happened), fromNullMicros(expires)
		out = append(out, r)
	}
	return out, rows.Err()
}

// LateRecords returns the IDs of records recorded after recordedAfter for
// conduct before before.
func (t *tx) LateRecords(ctx context.Context, scheme string, before, recordedAfter time.Time) ([]int64, error) {
	rows, err := t.query(ctx, lateRecordsQuery, scheme, micros(recordedAfter), micros(before))
	if err != nil {
		return nil, fmt.Errorf("read late records: %w", err)
	}
	defer rows.Close()
	out := []int64{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("read late records: %w", err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// InsertClose stores a close's header; the same scheme and period again is
// EConflict.
func (t *tx) InsertClose(ctx context.Context, c *tally.Close) error {
	_, err := t.exec(ctx, insertCloseQuery, c.Scheme, c.Period, c.Version, micros(c.Starts), micros(c.Ends),
		micros(c.AsOf), micros(c.ClosedAt), c.ClosedBy, c.Subjects, c.Records, c.Late, c.Digest)
	if isUnique(err) {
		return conflict(err, "period %s of scheme %s is already closed", c.Period, c.Scheme)
	}
	if err != nil {
		return fmt.Errorf("insert close: %w", err)
	}
	return nil
}

// InsertCloseRows appends rows in multi-row INSERTs of closeRowBatch.
func (t *tx) InsertCloseRows(ctx context.Context, scheme, period string, rows []tally.CloseRow) error {
	for len(rows) > 0 {
		n := min(len(rows), closeRowBatch)
		var q strings.Builder
		q.WriteString(`INSERT INTO close_rows (scheme, period, ` + closeRowCols + `) VALUES `)
		args := make([]any, 0, n*19)
		for i, r := range rows[:n] {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
			args = append(args, scheme, period, r.SubjectID, r.Unit, r.Masked, r.Name, r.Scored, r.Unscored,
				nullInt(r.Opening), r.Gains, r.Losses, r.Expired, nullInt(r.Closing), r.Grade, r.Flags, r.Stars,
				nullInt(r.Previous), r.Records, r.Published)
		}
		_, err := t.tx.ExecContext(ctx, q.String(), args...)
		if isUnique(err) {
			return conflict(err, "a subject is twice in the close of %s %s", scheme, period)
		}
		if isForeignKey(err) {
			return notFound(err, "close rows name a close or subject that does not exist")
		}
		if err != nil {
			return fmt.Errorf("insert close rows: %w", err)
		}
		rows = rows[n:]
	}
	return nil
}

// InsertCloseTotals appends a close's totals.
func (t *tx) InsertCloseTotals(ctx context.Context, scheme, period string, totals []tally.CategoryTotal) error {
	for _, c := range totals {
		_, err := t.exec(ctx, insertCloseTotalQuery, scheme, period, c.Unit, c.Category, c.Gains, c.Losses, c.Records)
		if err != nil {
			return closeInsertErr(err, "close totals")
		}
	}
	return nil
}

// InsertCloseLate appends the late records a close lists.
func (t *tx) InsertCloseLate(ctx context.Context, scheme, period string, recordIDs []int64) error {
	for _, id := range recordIDs {
		if _, err := t.exec(ctx, insertCloseLateQuery, scheme, period, id); err != nil {
			return closeInsertErr(err, "late records")
		}
	}
	return nil
}

// closeInsertErr translates the error of an insert into a close's tables.
func closeInsertErr(err error, what string) error {
	switch {
	case isUnique(err):
		return conflict(err, "%s: a row is there twice", what)
	case isForeignKey(err):
		return notFound(err, "%s name a close or row that does not exist", what)
	}
	return fmt.Errorf("insert %s: %w", what, err)
}

// CloseOf returns a close's header, or ENotFound.
func (t *tx) CloseOf(ctx context.Context, scheme, period string) (*tally.Close, error) {
	c, err := scanClose(t.queryRow(ctx, closeOfQuery, scheme, period))
	if err != nil {
		return nil, lookupErr(err, "read close", "period %s of scheme %s is not closed", period, scheme)
	}
	return c, nil
}

// Closes returns a scheme's closes by period.
func (t *tx) Closes(ctx context.Context, scheme string) ([]tally.Close, error) {
	rows, err := t.query(ctx, closesQuery, scheme)
	if err != nil {
		return nil, fmt.Errorf("read closes: %w", err)
	}
	defer rows.Close()
	out := []tally.Close{}
	for rows.Next() {
		c, err := scanClose(rows)
		if err != nil {
			return nil, fmt.Errorf("read closes: %w", err)
		}
		out = append(out, *c)
	}
	return out, rows.Err()
}

func scanClose(row scanner) (*tally.Close, error) {
	var (
		c                            tally.Close
		starts, ends, asOf, closedAt int64
	)
	err := row.Scan(&c.Scheme, &c.Period, &c.Version, &starts, &ends, &asOf, &closedAt, &c.ClosedBy,
		&c.Subjects, &c.Records, &c.Late, &c.Digest)
	if err != nil {
		return nil, err
	}
	c.Starts, c.Ends, c.AsOf, c.ClosedAt = fromMicros(starts), fromMicros(ends), fromMicros(asOf), fromMicros(closedAt)
	return &c, nil
}

// CloseRows returns a page of a close's rows.
func (t *tx) CloseRows(ctx context.Context, scheme, period string, after, last int64, limit int) ([]tally.CloseRow, error) {
	rows, err := t.query(ctx, closeRowsQuery, scheme, period, after, last, limit)
	if err != nil {
		return nil, fmt.Errorf("read close rows: %w", err)
	}
	defer rows.Close()
	out := []tally.CloseRow{}
	for rows.Next() {
		var (
			r                          tally.CloseRow
			opening, closing, previous sql.NullInt64
		)
		err := rows.Scan(&r.SubjectID, &r.Unit, &r.Masked, &r.Name, &r.Scored, &r.Unscored, &opening, &r.Gains,
			&r.Losses, &r.Expired, &closing, &r.Grade, &r.Flags, &r.Stars, &previous, &r.Records, &r.Published)
		if err != nil {
			return nil, fmt.Errorf("read close rows: %w", err)
		}
		r.Opening, r.Closing, r.Previous = fromNullInt(opening), fromNullInt(closing), fromNullInt(previous)
		out = append(out, r)
	}
	return out, rows.Err()
}

// CloseTotals returns a close's totals by unit, then category.
func (t *tx) CloseTotals(ctx context.Context, scheme, period string) ([]tally.CategoryTotal, error) {
	rows, err := t.query(ctx, closeTotalsQuery, scheme, period)
	if err != nil {
		return nil, fmt.Errorf("read close totals: %w", err)
	}
	defer rows.Close()
	out := []tally.CategoryTotal{}
	for rows.Next() {
		var c tally.CategoryTotal
		if err := rows.Scan(&c.Unit, &c.Category, &c.Gains, &c.Losses, &c.Records); err != nil {
			return nil, fmt.Errorf("read close totals: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// CloseLate returns the records a close lists as late.
func (t *tx) CloseLate(ctx context.Context, scheme, period string) ([]tally.Record, error) {
	rows, err := t.query(ctx, closeLateQuery, scheme, period)
	if err != nil {
		return nil, fmt.Errorf("read late records: %w", err)
	}
	defer rows.Close()
	out := []tally.Record{}
	for rows.Next() {
		r, err := scanRecord(rows)
		if err != nil {
			return nil, fmt.Errorf("read late records: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// InsertReport stores an issued report; a code used before is EConflict.
func (t *tx) InsertReport(ctx context.Context, r *tally.IssuedReport) error {
	_, err := t.exec(ctx, insertReportQuery, r.Code, r.SubjectID, r.Masked, r.Name, r.Purpose, r.Lang,
		micros(r.IssuedAt), r.IssuedBy, r.Digest, blob(r.Content))
	switch {
	case isUnique(err):
		return conflict(err, "report code %s is already used", r.Code)
	case isForeignKey(err):
		return notFound(err, "no subject with id %d", r.SubjectID)
	case err != nil:
		return fmt.Errorf("insert report: %w", err)
	}
	return nil
}

// ReportByCode returns an issued report, or ENotFound.
func (t *tx) ReportByCode(ctx context.Context, code string) (*tally.IssuedReport, error) {
	var (
		r  tally.IssuedReport
		at int64
	)
	err := t.queryRow(ctx, reportByCodeQuery, code).Scan(&r.Code, &r.SubjectID, &r.Masked, &r.Name, &r.Purpose,
		&r.Lang, &at, &r.IssuedBy, &r.Digest, &r.Content)
	if err != nil {
		return nil, lookupErr(err, "read report", "no report was issued with code %s", code)
	}
	r.IssuedAt = fromMicros(at)
	return &r, nil
}

// nullInt is a nullable integer column's value.
func nullInt(n *int64) sql.NullInt64 {
	if n == nil {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: *n, Valid: true}
}

// fromNullInt is the inverse of nullInt.
func fromNullInt(n sql.NullInt64) *int64 {
	if !n.Valid {
		return nil
	}
	v := n.Int64
	return &v
}

// CloseCounts counts a close's scored rows by grade and flags.
func (t *tx) CloseCounts(ctx context.Context, scheme, period string) ([]tally.CloseCount, error) {
	rows, err := t.query(ctx, closeCountsQuery, scheme, period)
	if err != nil {
		return nil, fmt.Errorf("count close rows: %w", err)
	}
	defer rows.Close()
	out := []tally.CloseCount{}
	for rows.Next() {
		var c tally.CloseCount
		if err := rows.Scan(&c.Grade, &c.Flags, &c.Subjects); err != nil {
			return nil, fmt.Errorf("count close rows: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

const (
	insertKioskCodeQuery = `INSERT INTO kiosk_codes (subject_id, hash, issued_at, issued_by, expires)
		VALUES (?, ?, ?, ?, ?) RETURNING id`
	kioskCodeQuery = `SELECT k.id, k.subject_id, k.hash, k.issued_at, k.issued_by, k.expires, u.used_at
		FROM kiosk_codes k LEFT JOIN kiosk_code_uses u ON u.code_id = k.id WHERE k.hash = ?`
	useKioskCodeQuery = `INSERT INTO kiosk_code_uses (code_id, used_at) VALUES (?, ?)`
)

// InsertKioskCode stores a one-time code and sets its ID.
func (t *tx) InsertKioskCode(ctx context.Context, c *tally.KioskCode) error {
	err := t.queryRow(ctx, insertKioskCodeQuery, c.SubjectID, blob(c.Hash), micros(c.IssuedAt), c.IssuedBy, micros(c.Expires)).Scan(&c.ID)
	switch {
	case isUnique(err):
		return conflict(err, "this kiosk code exists")
	case isForeignKey(err):
		return notFound(err, "no subject with id %d", c.SubjectID)
	case err != nil:
		return fmt.Errorf("insert kiosk code: %w", err)
	}
	return nil
}

// KioskCodeByHash returns a code with its use, or ENotFound.
func (t *tx) KioskCodeByHash(ctx context.Context, hash []byte) (*tally.KioskCode, error) {
	var (
		c               tally.KioskCode
		issued, expires int64
		used            sql.NullInt64
	)
	err := t.queryRow(ctx, kioskCodeQuery, hash).Scan(&c.ID, &c.SubjectID, &c.Hash, &issued, &c.IssuedBy, &expires, &used)
	if err != nil {
		return nil, lookupErr(err, "read kiosk code", "no such kiosk code")
	}
	c.IssuedAt, c.Expires, c.UsedAt = fromMicros(issued), fromMicros(expires), fromNullMicros(used)
	return &c, nil
}

// UseKioskCode records a code's use; a second use is EConflict.
func (t *tx) UseKioskCode(ctx context.Context, id int64, at time.Time) error {
	_, err := t.exec(ctx, useKioskCodeQuery, id, micros(at))
	switch {
	case isUnique(err):
		return conflict(err, "kiosk code %d is already used", id)
	case isForeignKey(err):
		return notFound(err, "no kiosk code %d", id)
	case err != nil:
		return fmt.Errorf("use kiosk code: %w", err)
	}
	return nil
}
