package sqlstore

import (
	"context"
	"strings"
	"time"

	"github.com/tallycredit/tally"
)

const (
	closeCols  = `scheme, period, version, starts, ends, as_of, closed_at, closed_by, subjects, records, late, digest`
	reportCols = `code, subject_id, masked, name, purpose, lang, issued_at, issued_by, digest, content`
)

// closeRowColumns are close_rows' columns after scheme and period.
var closeRowColumns = []string{"subject_id", "unit", "masked", "name", "scored", "unscored", "opening", "gains",
	"losses", "expired", "closing", "grade", "flags", "stars", "previous", "records", "published"}

// Inserts that could conflict or name a missing row insert nothing instead
// (ON CONFLICT DO NOTHING, INSERT ... SELECT), so that neither aborts a
// PostgreSQL transaction.
var (
	insertPublicationQuery = fixed("InsertPublicationConsent", `INSERT INTO publication_consents
		(scheme, subject_id, given, at, how, decided_by)
		SELECT scheme, subject_id, ?, ?, ?, ? FROM enrolments WHERE scheme = ? AND subject_id = ?`)
	publishedQuery = fixed("Published", `SELECT subject_id, given FROM publication_consents
		WHERE scheme = ? AND subject_id > ? AND subject_id <= ? ORDER BY subject_id, at, id`)
	windowRecordsQuery = fixed("WindowRecords", `SELECT r.id, r.version, r.subject_id, r.rule, r.happened_at, r.awarded,
		r.expires_at, (SELECT MIN(rd.decided_at) FROM repair_decisions rd WHERE rd.record_id = r.id AND rd.approved = 1)
		FROM records r WHERE r.scheme = ? AND r.subject_id > ? AND r.subject_id <= ? AND `+countsIn+`
		ORDER BY r.subject_id, r.happened_at, r.id`)
	lateRecordsQuery = fixed("LateRecords", `SELECT r.id FROM records r WHERE r.scheme = ? AND r.recorded_at > ? AND r.happened_at < ?
		AND `+notReversed+` ORDER BY r.id`)
	insertCloseQuery = fixed("InsertClose", `INSERT INTO closes (`+closeCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (scheme, period) DO NOTHING`)
	closeOfQuery   = fixed("CloseOf", `SELECT `+closeCols+` FROM closes WHERE scheme = ? AND period = ?`)
	closesQuery    = fixed("Closes", `SELECT `+closeCols+` FROM closes WHERE scheme = ? ORDER BY period /*bytes*/`)
	closeRowsQuery = fixed("CloseRows", `SELECT `+strings.Join(closeRowColumns, ", ")+` FROM close_rows
		WHERE scheme = ? AND period = ? AND subject_id > ? AND subject_id <= ? ORDER BY subject_id LIMIT ?`)
	closeTotalsQuery = fixed("CloseTotals", `SELECT unit, category, gains, losses, records FROM close_totals
		WHERE scheme = ? AND period = ? ORDER BY unit /*bytes*/, category /*bytes*/`)
	closeLateQuery = fixed("CloseLate", `SELECT `+recordCols+` FROM close_late l JOIN records r ON r.id = l.record_id
		WHERE l.scheme = ? AND l.period = ? ORDER BY r.id`)
	closeCountsQuery = fixed("CloseCounts", `SELECT grade, flags, COUNT(*) FROM close_rows
		WHERE scheme = ? AND period = ? AND scored = 1 GROUP BY grade, flags ORDER BY grade /*bytes*/, flags`)
	insertReportQuery = fixed("InsertReport", `INSERT INTO reports (`+reportCols+`)
		SELECT ?, id, ?, ?, ?, ?, ?, ?, ?, ? FROM subjects WHERE id = ?
		ON CONFLICT (code) DO NOTHING`)
	reportByCodeQuery = fixed("ReportByCode", `SELECT `+reportCols+` FROM reports WHERE code = ?`)
)

// InsertPublicationConsent appends c; an unknown enrolment is ENotFound.
func (t *Tx) InsertPublicationConsent(ctx context.Context, c *tally.Consent) error {
	n, err := t.exec(ctx, insertPublicationQuery, flag(c.Given), micros(c.At), c.How, c.By, c.Scheme, c.SubjectID)
	if err == nil && n == 0 {
		return NotFound(nil, "subject %d is not enrolled in scheme %s", c.SubjectID, c.Scheme)
	}
	return t.wrap(err, "insert publication consent")
}

// Published returns the subjects of a range whose latest decision consents.
func (t *Tx) Published(ctx context.Context, scheme string, after, last int64) (map[int64]bool, error) {
	ds, err := collect(ctx, t, func(row Row) (d [2]int64, err error) {
		err = row.Scan(&d[0], &d[1])
		return
	}, publishedQuery, scheme, after, last)
	if err != nil {
		return nil, t.wrap(err, "read publication consents")
	}
	out := map[int64]bool{}
	for _, d := range ds { // by subject, oldest decision first
		if d[1] == 1 {
			out[d[0]] = true
		} else {
			delete(out, d[0])
		}
	}
	return out, nil
}

// WindowRecords returns the records of a range of subjects that count at
// some instant of [from, to]. A repaired record stops counting when its
// repair was approved, as if it expired then.
func (t *Tx) WindowRecords(ctx context.Context, scheme string, after, last int64, from, to time.Time) ([]tally.Record, error) {
	rs, err := collect(ctx, t, func(row Row) (tally.Record, error) {
		var (
			r                 tally.Record
			happened          int64
			expires, repaired *int64
		)
		err := row.Scan(&r.ID, &r.Version, &r.SubjectID, &r.Rule, &happened, &r.Awarded, &expires, &repaired)
		if repaired != nil && (expires == nil || *repaired < *expires) {
			expires = repaired
		}
		r.Scheme, r.HappenedAt, r.ExpiresAt = scheme, fromMicros(happened), fromNullTime(expires)
		return r, err
	}, windowRecordsQuery, scheme, after, last, micros(to), micros(from))
	return rs, t.wrap(err, "read records of a period")
}

// LateRecords returns the IDs of records recorded after recordedAfter for
// conduct before before.
func (t *Tx) LateRecords(ctx context.Context, scheme string, before, recordedAfter time.Time) ([]int64, error) {
	ids, err := collect(ctx, t, scanID, lateRecordsQuery, scheme, micros(recordedAfter), micros(before))
	return ids, t.wrap(err, "read late records")
}

// InsertClose stores a close's header; the same scheme and period again is
// EConflict.
func (t *Tx) InsertClose(ctx context.Context, c *tally.Close) error {
	n, err := t.exec(ctx, insertCloseQuery, c.Scheme, c.Period, c.Version, micros(c.Starts), micros(c.Ends),
		micros(c.AsOf), micros(c.ClosedAt), c.ClosedBy, c.Subjects, c.Records, c.Late, c.Digest)
	if err == nil && n == 0 {
		return Conflict(nil, "period %s of scheme %s is already closed", c.Period, c.Scheme)
	}
	return t.wrap(err, "insert close")
}

// InsertCloseRows appends a batch of a close's rows.
func (t *Tx) InsertCloseRows(ctx context.Context, scheme, period string, rows []tally.CloseRow) error {
	return insertRows(ctx, t, "close_rows", append([]string{"scheme", "period"}, closeRowColumns...), rows, func(r tally.CloseRow) []any {
		return []any{scheme, period, r.SubjectID, r.Unit, r.Masked, r.Name, flag(r.Scored), r.Unscored, r.Opening, r.Gains,
			r.Losses, r.Expired, r.Closing, r.Grade, r.Flags, r.Stars, r.Previous, r.Records, flag(r.Published)}
	})
}

// InsertCloseTotals appends a close's totals.
func (t *Tx) InsertCloseTotals(ctx context.Context, scheme, period string, totals []tally.CategoryTotal) error {
	return insertRows(ctx, t, "close_totals", []string{"scheme", "period", "unit", "category", "gains", "losses", "records"}, totals,
		func(c tally.CategoryTotal) []any {
			return []any{scheme, period, c.Unit, c.Category, c.Gains, c.Losses, c.Records}
		})
}

// InsertCloseLate appends the late records a close lists.
func (t *Tx) InsertCloseLate(ctx context.Context, scheme, period string, recordIDs []int64) error {
	return insertRows(ctx, t, "close_late", []string{"scheme", "period", "record_id"}, recordIDs,
		func(id int64) []any { return []any{scheme, period, id} })
}

// CloseOf returns a close's header, or ENotFound.
func (t *Tx) CloseOf(ctx context.Context, scheme, period string) (*tally.Close, error) {
	return one(t, scanClose, t.queryRow(ctx, closeOfQuery, scheme, period), "read close", "period %s of scheme %s is not closed", period, scheme)
}

// Closes returns a scheme's closes by period.
func (t *Tx) Closes(ctx context.Context, scheme string) ([]tally.Close, error) {
	cs, err := collect(ctx, t, scanClose, closesQuery, scheme)
	return cs, t.wrap(err, "read closes")
}

// scanClose reads the columns closeCols.
func scanClose(row Row) (tally.Close, error) {
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
func (t *Tx) CloseRows(ctx context.Context, scheme, period string, after, last int64, limit int) ([]tally.CloseRow, error) {
	rs, err := collect(ctx, t, func(row Row) (tally.CloseRow, error) {
		var (
			r                 tally.CloseRow
			scored, published int64
		)
		err := row.Scan(&r.SubjectID, &r.Unit, &r.Masked, &r.Name, &scored, &r.Unscored, &r.Opening, &r.Gains,
			&r.Losses, &r.Expired, &r.Closing, &r.Grade, &r.Flags, &r.Stars, &r.Previous, &r.Records, &published)
		r.Scored, r.Published = scored == 1, published == 1
		return r, err
	}, closeRowsQuery, scheme, period, after, last, limit)
	return rs, t.wrap(err, "read close rows")
}

// CloseTotals returns a close's totals by unit, then category.
func (t *Tx) CloseTotals(ctx context.Context, scheme, period string) ([]tally.CategoryTotal, error) {
	cs, err := collect(ctx, t, func(row Row) (c tally.CategoryTotal, err error) {
		err = row.Scan(&c.Unit, &c.Category, &c.Gains, &c.Losses, &c.Records)
		return
	}, closeTotalsQuery, scheme, period)
	return cs, t.wrap(err, "read close totals")
}

// CloseCounts counts a close's scored rows by grade and flags.
func (t *Tx) CloseCounts(ctx context.Context, scheme, period string) ([]tally.CloseCount, error) {
	cs, err := collect(ctx, t, func(row Row) (c tally.CloseCount, err error) {
		err = row.Scan(&c.Grade, &c.Flags, &c.Subjects)
		return
	}, closeCountsQuery, scheme, period)
	return cs, t.wrap(err, "count close rows")
}

// CloseLate returns the records a close lists as late.
func (t *Tx) CloseLate(ctx context.Context, scheme, period string) ([]tally.Record, error) {
	rs, err := collect(ctx, t, scanRecord, closeLateQuery, scheme, period)
	return rs, t.wrap(err, "read late records")
}

// InsertReport stores an issued report; a code used before is EConflict.
func (t *Tx) InsertReport(ctx context.Context, r *tally.IssuedReport) error {
	err := wrote(t.exec(ctx, insertReportQuery, r.Code, r.Masked, r.Name, r.Purpose, r.Lang,
		micros(r.IssuedAt), r.IssuedBy, r.Digest, blob(r.Content), r.SubjectID))
	return t.settle(ctx, err, "insert report", Conflict(nil, "report code %s is already used", r.Code),
		NotFound(nil, "no subject with id %d", r.SubjectID), "reports WHERE code = ?", r.Code)
}

// ReportByCode returns an issued report, or ENotFound.
func (t *Tx) ReportByCode(ctx context.Context, code string) (*tally.IssuedReport, error) {
	var (
		r  tally.IssuedReport
		at int64
	)
	err := t.queryRow(ctx, reportByCodeQuery, code).Scan(&r.Code, &r.SubjectID, &r.Masked, &r.Name, &r.Purpose,
		&r.Lang, &at, &r.IssuedBy, &r.Digest, &r.Content)
	if err != nil {
		return nil, t.lookupErr(err, "read report", "no report was issued with code %s", code)
	}
	r.IssuedAt = fromMicros(at)
	return &r, nil
}
