package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/tallycredit/tally"
)

const (
	closeCols    = `scheme, period, version, starts, ends, as_of, closed_at, closed_by, subjects, records, late, digest`
	closeRowCols = `subject_id, unit, masked, name, scored, unscored, opening, gains, losses, expired, closing,
		grade, flags, stars, previous, records, published`
	reportCols = `code, subject_id, masked, name, purpose, lang, issued_at, issued_by, digest, content`
)

// closeRowCopyCols are close_rows' columns in the order closeRowValues
// gives them, for COPY.
var closeRowCopyCols = []string{"scheme", "period", "subject_id", "unit", "masked", "name", "scored", "unscored",
	"opening", "gains", "losses", "expired", "closing", "grade", "flags", "stars", "previous", "records", "published"}

// Inserts that could conflict or name a missing row insert nothing
// instead (ON CONFLICT DO NOTHING, INSERT ... SELECT), so that neither
// aborts the transaction.
const (
	insertPublicationQuery = `INSERT INTO publication_consents (scheme, subject_id, given, at, how, decided_by)
		SELECT scheme, subject_id, $3, $4, $5, $6 FROM enrolments WHERE scheme = $1 AND subject_id = $2`
	publishedQuery = `SELECT subject_id, given FROM publication_consents
		WHERE scheme = $1 AND subject_id > $2 AND subject_id <= $3 ORDER BY subject_id, at, id`
	// A repaired record stops counting when its repair was approved, as if
	// it expired then; a record held for a second person does not count.
	windowRecordsQuery = `SELECT r.id, r.version, r.subject_id, r.rule, r.happened_at, r.awarded,
		LEAST(r.expires_at, (SELECT MIN(rd.decided_at) FROM repair_decisions rd WHERE rd.record_id = r.id AND rd.approved = 1))
		FROM records r WHERE r.scheme = $1 AND r.subject_id > $2 AND r.subject_id <= $3
		AND r.happened_at <= $4 AND (r.expires_at IS NULL OR r.expires_at > $5) AND ` + notReversed + ` AND ` + notHeld + `
		ORDER BY r.subject_id, r.happened_at, r.id`
	lateRecordsQuery = `SELECT r.id FROM records r WHERE r.scheme = $1 AND r.recorded_at > $2 AND r.happened_at < $3
		AND ` + notReversed + ` ORDER BY r.id`
	insertCloseQuery = `INSERT INTO closes (` + closeCols + `) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
		ON CONFLICT (scheme, period) DO NOTHING`
	closeOfQuery   = `SELECT ` + closeCols + ` FROM closes WHERE scheme = $1 AND period = $2`
	closesQuery    = `SELECT ` + closeCols + ` FROM closes WHERE scheme = $1 ORDER BY period COLLATE "C"`
	closeRowsQuery = `SELECT ` + closeRowCols + ` FROM close_rows
		WHERE scheme = $1 AND period = $2 AND subject_id > $3 AND subject_id <= $4 ORDER BY subject_id LIMIT $5`
	closeTotalsQuery = `SELECT unit, category, gains, losses, records FROM close_totals
		WHERE scheme = $1 AND period = $2 ORDER BY unit COLLATE "C", category COLLATE "C"`
	closeLateQuery = `SELECT ` + recordCols + ` FROM close_late l JOIN records r ON r.id = l.record_id
		WHERE l.scheme = $1 AND l.period = $2 ORDER BY r.id`
	closeCountsQuery = `SELECT grade, flags, COUNT(*) FROM close_rows
		WHERE scheme = $1 AND period = $2 AND scored = 1 GROUP BY grade, flags ORDER BY grade COLLATE "C", flags`
	insertReportQuery = `INSERT INTO reports (` + reportCols + `)
		SELECT $1, id, $3, $4, $5, $6, $7, $8, $9, $10 FROM subjects WHERE id = $2
		ON CONFLICT (code) DO NOTHING`
	reportExistsQuery = `SELECT COUNT(*) FROM reports WHERE code = $1`
	reportByCodeQuery = `SELECT ` + reportCols + ` FROM reports WHERE code = $1`
)

// InsertPublicationConsent appends c; an unknown enrolment is ENotFound.
func (t *tx) InsertPublicationConsent(ctx context.Context, c *tally.Consent) error {
	tag, err := t.exec(ctx, insertPublicationQuery, c.Scheme, c.SubjectID, flag(c.Given), micros(c.At), c.How, c.By)
	if err != nil {
		return storeErr(err, "insert publication consent")
	}
	if tag.RowsAffected() == 0 {
		return notFound(nil, "subject %d is not enrolled in scheme %s", c.SubjectID, c.Scheme)
	}
	return nil
}

// Published returns the subjects of a range whose latest decision consents.
func (t *tx) Published(ctx context.Context, scheme string, after, last int64) (map[int64]bool, error) {
	type decision struct {
		id    int64
		given int16
	}
	ds, err := collect(ctx, t, func(row scanner) (decision, error) {
		var d decision
		err := row.Scan(&d.id, &d.given)
		return d, err
	}, publishedQuery, scheme, after, last)
	if err != nil {
		return nil, storeErr(err, "read publication consents")
	}
	out := map[int64]bool{}
	for _, d := range ds {
		if d.given == 1 {
			out[d.id] = true
		} else {
			delete(out, d.id)
		}
	}
	return out, nil
}


// WindowRecords returns the records of a range of subjects that count at
// some instant of [from, to].
func (t *tx) WindowRecords(ctx context.Context, scheme string, after, last int64, from, to time.Time) ([]tally.Record, error) {
	rs, err := collect(ctx, t, func(row scanner) (tally.Record, error) {
		var (
			r        tally.Record
			happened int64
			expires  *int64
		)
		err := row.Scan(&r.ID, &r.Version, &r.SubjectID, &r.Rule, &happened, &r.Awarded, &expires)
		r.Scheme, r.HappenedAt, r.ExpiresAt = scheme, fromMicros(happened), fromNullMicros(expires)
		return r, err
	}, windowRecordsQuery, scheme, after, last, micros(to), micros(from))
	if err != nil {
		return nil, storeErr(err, "read records of a period")
	}
	return rs, nil
}

// LateRecords returns the IDs of records recorded after recordedAfter for
// conduct before before.
func (t *tx) LateRecords(ctx context.Context, scheme string, before, recordedAfter time.Time) ([]int64, error) {
	ids, err := collect(ctx, t, scanInt64, lateRecordsQuery, scheme, micros(recordedAfter), micros(before))
	if err != nil {
		return nil, storeErr(err, "read late records")
	}
	return ids, nil
}

// InsertClose stores a close's header; the same scheme and period again is
// EConflict.
func (t *tx) InsertClose(ctx context.Context, c *tally.Close) error {
	tag, err := t.exec(ctx, insertCloseQuery, c.Scheme, c.Period, c.Version, micros(c.Starts), micros(c.Ends),
		micros(c.AsOf), micros(c.ClosedAt), c.ClosedBy, c.Subjects, c.Records, c.Late, c.Digest)
	if err != nil {
		return storeErr(err, "insert close")
	}
	if tag.RowsAffected() == 0 {
		return conflict(nil, "period %s of scheme %s is already closed", c.Period, c.Scheme)
	}
	return nil
}

// InsertCloseRows appends rows with COPY.
func (t *tx) InsertCloseRows(ctx context.Context, scheme, period string, rows []tally.CloseRow) error {
	values := make([][]any, len(rows))
	for i, r := range rows {
		values[i] = []any{scheme, period, r.SubjectID, r.Unit, r.Masked, r.Name, flag(r.Scored), r.Unscored,
			r.Opening, r.Gains, r.Losses, r.Expired, r.Closing, r.Grade, r.Flags, r.Stars, r.Previous, r.Records,
			flag(r.Published)}
	}
	return t.copyInto(ctx, "close_rows", closeRowCopyCols, values)
}

// InsertCloseTotals appends a close's totals with COPY.
func (t *tx) InsertCloseTotals(ctx context.Context, scheme, period string, totals []tally.CategoryTotal) error {
	values := make([][]any, len(totals))
	for i, c := range totals {
		values[i] = []any{scheme, period, c.Unit, c.Category, c.Gains, c.Losses, c.Records}
	}
	return t.copyInto(ctx, "close_totals", []string{"scheme", "period", "unit", "category", "gains", "losses", "records"}, values)
}

// InsertCloseLate appends the late records a close lists with COPY.
func (t *tx) InsertCloseLate(ctx context.Context, scheme, period string, recordIDs []int64) error {
	values := make([][]any, len(recordIDs))
	for i, id := range recordIDs {
		values[i] = []any{scheme, period, id}
	}
	return t.copyInto(ctx, "close_late", []string{"scheme", "period", "record_id"}, values)
}

// copyInto writes rows into one of a close's tables with COPY. A failure
// spoils the transaction; the close then fails as a whole.
func (t *tx) copyInto(ctx context.Context, table string, columns []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	_, err := t.tx.CopyFrom(ctx, pgx.Identifier{table}, columns, pgx.CopyFromRows(rows))
	t.note(err)
	switch {
	case sqlState(err) == uniqueViolation:
		return conflict(err, "%s: a row is there twice", table)
	case sqlState(err) == foreignKeyViolation:
		return notFound(err, "%s: a row names a close, subject or record that does not exist", table)
	case err != nil:
		return storeErr(err, "insert "+table)
	}
	return nil
}

// CloseOf returns a close's header, or ENotFound.
func (t *tx) CloseOf(ctx context.Context, scheme, period string) (*tally.Close, error) {
	c, err := scanClose(t.queryRow(ctx, closeOfQuery, scheme, period))
	if err != nil {
		return nil, lookupErr(err, "read close", "period %s of scheme %s is not closed", period, scheme)
	}
	return &c, nil
}

// Closes returns a scheme's closes by period.
func (t *tx) Closes(ctx context.Context, scheme string) ([]tally.Close, error) {
	cs, err := collect(ctx, t, scanClose, closesQuery, scheme)
	if err != nil {
		return nil, storeErr(err, "read closes")
	}
	return cs, nil
}

func scanClose(row scanner) (tally.Close, error) {
	var (
		c                            tally.Close
		starts, ends, asOf, closedAt int64
	)
	err := row.Scan(&c.Scheme, &c.Period, &c.Version, &starts, &ends, &asOf, &closedAt, &c.ClosedBy,
		&c.Subjects, &c.Records, &c.Late, &c.Digest)
	c.Starts, c.Ends, c.AsOf, c.ClosedAt = fromMicros(starts), fromMicros(ends), fromMicros(asOf), fromMicros(closedAt)
	return c, err
}

// CloseRows returns a page of a close's rows.
func (t *tx) CloseRows(ctx context.Context, scheme, period string, after, last int64, limit int) ([]tally.CloseRow, error) {
	rs, err := collect(ctx, t, func(row scanner) (tally.CloseRow, error) {
		var (
			r                 tally.CloseRow
			scored, published int16
		)
		err := row.Scan(&r.SubjectID, &r.Unit, &r.Masked, &r.Name, &scored, &r.Unscored, &r.Opening, &r.Gains,
			&r.Losses, &r.Expired, &r.Closing, &r.Grade, &r.Flags, &r.Stars, &r.Previous, &r.Records, &published)
		r.Scored, r.Published = scored == 1, published == 1
		return r, err
	}, closeRowsQuery, scheme, period, after, last, limit)
	if err != nil {
		return nil, storeErr(err, "read close rows")
	}
	return rs, nil
}

// CloseTotals returns a close's totals by unit, then category.
func (t *tx) CloseTotals(ctx context.Context, scheme, period string) ([]tally.CategoryTotal, error) {
	cs, err := collect(ctx, t, func(row scanner) (tally.CategoryTotal, error) {
		var c tally.CategoryTotal
		err := row.Scan(&c.Unit, &c.Category, &c.Gains, &c.Losses, &c.Records)
		return c, err
	}, closeTotalsQuery, scheme, period)
	if err != nil {
		return nil, storeErr(err, "read close totals")
	}
	return cs, nil
}

// CloseLate returns the records a close lists as late.
func (t *tx) CloseLate(ctx context.Context, scheme, period string) ([]tally.Record, error) {
	rs, err := collect(ctx, t, scanRecord, closeLateQuery, scheme, period)
	if err != nil {
		return nil, storeErr(err, "read late records")
	}
	return rs, nil
}

// InsertReport stores an issued report; a code used before is EConflict.
func (t *tx) InsertReport(ctx context.Context, r *tally.IssuedReport) error {
	tag, err := t.exec(ctx, insertReportQuery, r.Code, r.SubjectID, r.Masked, r.Name, r.Purpose, r.Lang,
		micros(r.IssuedAt), r.IssuedBy, r.Digest, blob(r.Content))
	if err != nil {
		return storeErr(err, "insert report")
	}
	if tag.RowsAffected() == 1 {
		return nil
	}
	var n int64
	if err := t.queryRow(ctx, reportExistsQuery, r.Code).Scan(&n); err != nil {
		return storeErr(err, "insert report")
	}
	if n > 0 {
		return conflict(nil, "report code %s is already used", r.Code)
	}
	return notFound(nil, "no subject with id %d", r.SubjectID)
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

// CloseCounts counts a close's scored rows by grade and flags.
func (t *tx) CloseCounts(ctx context.Context, scheme, period string) ([]tally.CloseCount, error) {
	cs, err := collect(ctx, t, func(row scanner) (tally.CloseCount, error) {
		var c tally.CloseCount
		err := row.Scan(&c.Grade, &c.Flags, &c.Subjects)
		return c, err
	}, closeCountsQuery, scheme, period)
	if err != nil {
		return nil, storeErr(err, "count close rows")
	}
	return cs, nil
}

const (
	insertKioskCodeQuery = `INSERT INTO kiosk_codes (subject_id, hash, issued_at, issued_by, expires)
		SELECT id, $2, $3, $4, $5 FROM subjects WHERE id = $1 ON CONFLICT (hash) DO NOTHING RETURNING id`
	kioskCodeQuery = `SELECT k.id, k.subject_id, k.hash, k.issued_at, k.issued_by, k.expires, u.used_at
		FROM kiosk_codes k LEFT JOIN kiosk_code_uses u ON u.code_id = k.id WHERE k.hash = $1`
	useKioskCodeQuery = `INSERT INTO kiosk_code_uses (code_id, used_at)
		SELECT id, $2 FROM kiosk_codes WHERE id = $1 ON CONFLICT (code_id) DO NOTHING`
	kioskCodeExistsQuery = `SELECT COUNT(*) FROM kiosk_codes WHERE id = $1`
	kioskHashExistsQuery = `SELECT COUNT(*) FROM kiosk_codes WHERE hash = $1`
)

// InsertKioskCode stores a one-time code and sets its ID.
func (t *tx) InsertKioskCode(ctx context.Context, c *tally.KioskCode) error {
	err := t.queryRow(ctx, insertKioskCodeQuery, c.SubjectID, blob(c.Hash), micros(c.IssuedAt), c.IssuedBy, micros(c.Expires)).Scan(&c.ID)
	if errors.Is(err, pgx.ErrNoRows) {
		var n int64
		if err := t.queryRow(ctx, kioskHashExistsQuery, blob(c.Hash)).Scan(&n); err != nil {
			return storeErr(err, "insert kiosk code")
		}
		if n > 0 {
			return conflict(nil, "this kiosk code exists")
		}
		return notFound(nil, "no subject with id %d", c.SubjectID)
	}
	if err != nil {
		return storeErr(err, "insert kiosk code")
	}
	return nil
}

// KioskCodeByHash returns a code with its use, or ENotFound.
func (t *tx) KioskCodeByHash(ctx context.Context, hash []byte) (*tally.KioskCode, error) {
	var (
		c               tally.KioskCode
		issued, expires int64
		used            *int64
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
	tag, err := t.exec(ctx, useKioskCodeQuery, id, micros(at))
	if err != nil {
		return storeErr(err, "use kiosk code")
	}
	if tag.RowsAffected() == 1 {
		return nil
	}
	var n int64
	if err := t.queryRow(ctx, kioskCodeExistsQuery, id).Scan(&n); err != nil {
		return storeErr(err, "use kiosk code")
	}
	if n > 0 {
		return conflict(nil, "kiosk code %d is already used", id)
	}
	return notFound(nil, "no kiosk code %d", id)
}

// flag stores a bool as 0 or 1.
func flag(b bool) int64 {
	if b {
		return 1
	}
	return 0
}
