package sqlstore

import (
	"context"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// inWindow: r is an original that, by its own fields, counts at some
// instant of a close's window; its placeholders take the window's end,
// then its start. The few records whose standing (reversed, held,
// repaired) changes that are StandingRecords.
const inWindow = `r.reverses IS NULL AND r.happened_at <= ? AND (r.expires_at IS NULL OR r.expires_at > ?)`

// periodSums are PeriodSums' sums and its FROM and WHERE, up to the
// GROUP BY; the ORDER BY asks only for subjects in order, which an index
// scan gives SQLite and leaves PostgreSQL free to hash the groups.
const periodSums = `CAST(SUM(CASE WHEN r.happened_at <= ? AND (r.expires_at IS NULL OR r.expires_at > ?) THEN r.awarded ELSE 0 END) AS BIGINT),
		CAST(SUM(CASE WHEN r.expires_at IS NULL OR r.expires_at > ? THEN r.awarded ELSE 0 END) AS BIGINT),
		CAST(SUM(CASE WHEN r.happened_at >= ? AND r.awarded >= 0 THEN r.awarded ELSE 0 END) AS BIGINT),
		CAST(SUM(CASE WHEN r.happened_at >= ? AND r.awarded < 0 THEN r.awarded ELSE 0 END) AS BIGINT),
		CAST(SUM(CASE WHEN r.happened_at >= ? THEN 1 ELSE 0 END) AS BIGINT)
		FROM records r WHERE r.scheme = ? AND r.subject_id > ? AND r.subject_id <= ? AND ` + inWindow

var (
	closeSubjectsQuery = fixed("CloseSubjects", `SELECT s.kind, s.name, s.masked, s.adult_on,
		COALESCE((SELECT pc.given FROM publication_consents pc WHERE pc.scheme = e.scheme AND pc.subject_id = e.subject_id
			ORDER BY pc.at DESC, pc.id DESC LIMIT 1), 0),
		p.scored, p.closing, `+enrolmentCols+`
		FROM enrolments e /*latest consent*/
		JOIN subjects s ON s.id = e.subject_id
		LEFT JOIN close_rows p ON p.scheme = e.scheme AND p.period = ? AND p.subject_id = e.subject_id
		WHERE e.scheme = ? AND e.subject_id > ? ORDER BY e.subject_id LIMIT ?`)
	periodSumsQuery = fixed("PeriodSums", `SELECT r.subject_id, MIN(r.version), MAX(r.version), r.rule, `+periodSums+`
		GROUP BY r.subject_id, r.rule ORDER BY r.subject_id`)
	periodSumsByVersionQuery = fixed("PeriodSumsByVersion", `SELECT r.subject_id, r.version, r.version, r.rule, `+periodSums+`
		GROUP BY r.subject_id, r.version, r.rule ORDER BY r.subject_id`)
	standingRecordsQuery = fixed("StandingRecords", `SELECT r.id, r.subject_id, r.version, r.rule, r.happened_at, r.awarded, r.expires_at,
		CASE WHEN `+notReversed+` THEN 0 ELSE 1 END,
		CASE WHEN `+notHeld+` THEN 0 ELSE 1 END,
		(SELECT MIN(rd.decided_at) FROM repair_decisions rd WHERE rd.record_id = r.id AND rd.approved = 1)
		FROM records r WHERE r.scheme = ? AND `+inWindow+` AND r.id IN (
			SELECT v.reverses FROM records v WHERE v.reverses IS NOT NULL
			UNION SELECT h.record_id FROM holds h WHERE h.scheme = ?
			UNION SELECT rd.record_id FROM repair_decisions rd WHERE rd.approved = 1)
		ORDER BY r.subject_id, r.id`)
)

// CloseSubjects returns a page of a scheme's enrolled subjects with what a
// close's rows need of each.
func (t *Tx) CloseSubjects(ctx context.Context, scheme string, after int64, limit int, previous string) ([]ledger.CloseSubject, error) {
	es, err := collect(ctx, t, func(row Row) (ledger.CloseSubject, error) {
		var (
			e                  ledger.CloseSubject
			kind               string
			adultOn, prevScore *int64
			published          int64
			scored             *int64
		)
		err := scanEnrolmentInto(row, &e.Enrolment, &kind, &e.Subject.Name, &e.Subject.Masked, &adultOn, &published, &scored, &prevScore)
		e.Subject.ID, e.Subject.Kind, e.Subject.AdultOn = e.Enrolment.SubjectID, tally.SubjectKind(kind), fromNullTime(adultOn)
		e.Published = published == 1
		if scored != nil && *scored == 1 {
			e.Previous = prevScore
		}
		return e, err
	}, closeSubjectsQuery, previous, scheme, after, limit)
	return es, t.wrap(err, "read the subjects of a close")
}

// PeriodSums sums a page of subjects' records over a close's window, per
// subject and rule, or per subject, version and rule.
func (t *Tx) PeriodSums(ctx context.Context, scheme string, after, last int64, w ledger.Window, byVersion bool) ([]ledger.RuleSums, error) {
	starts, openAt, asOf := micros(w.Starts), micros(w.OpenAt), micros(w.AsOf)
	q := periodSumsQuery
	if byVersion {
		q = periodSumsByVersionQuery
	}
	ss, err := collect(ctx, t, func(row Row) (s ledger.RuleSums, err error) {
		err = row.Scan(&s.SubjectID, &s.FirstVersion, &s.Version, &s.Rule, &s.Opening, &s.Closing, &s.Gains, &s.Losses, &s.Records)
		return
	}, q, openAt, openAt, asOf, starts, starts, starts, scheme, after, last, asOf, openAt)
	return ss, t.wrap(err, "sum the records of a period")
}

// StandingRecords returns the records of a close's window whose standing
// is not the zero one.
func (t *Tx) StandingRecords(ctx context.Context, scheme string, w ledger.Window) ([]ledger.StandingRecord, error) {
	rs, err := collect(ctx, t, func(row Row) (ledger.StandingRecord, error) {
		var (
			r                 ledger.StandingRecord
			happened          int64
			expires, repaired *int64
			reversed, held    int64
		)
		err := row.Scan(&r.ID, &r.SubjectID, &r.Version, &r.Rule, &happened, &r.Awarded, &expires, &reversed, &held, &repaired)
		r.Scheme, r.HappenedAt, r.ExpiresAt = scheme, fromMicros(happened), fromNullTime(expires)
		r.Standing = tally.Standing{Reversed: reversed == 1, Held: held == 1, RepairedAt: fromNullTime(repaired)}
		return r, err
	}, standingRecordsQuery, scheme, micros(w.AsOf), micros(w.OpenAt), scheme)
	return rs, t.wrap(err, "read the standing of a period's records")
}
