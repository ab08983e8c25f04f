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
// GROUP BY. Grouped and ordered by subject, then rule, they come in the
// order of records_rule, without a sort; the ledger needs only subjects
// in order.
const periodSums = `CAST(SUM(CASE WHEN r.happened_at <= ? AND (r.expires_at IS NULL OR r.expires_at > ?) THEN r.awarded ELSE 0 END) AS BIGINT),
		CAST(SUM(CASE WHEN r.expires_at IS NULL OR r.expires_at > ? THEN r.awarded ELSE 0 END) AS BIGINT),
		CAST(SUM(CASE WHEN r.happened_at >= ? AND r.awarded >= 0 THEN r.awarded ELSE 0 END) AS BIGINT),
		CAST(SUM(CASE WHEN r.happened_at >= ? AND r.awarded < 0 THEN r.awarded ELSE 0 END) AS BIGINT),
		CAST(SUM(CASE WHEN r.happened_at >= ? THEN 1 ELSE 0 END) AS BIGINT)
		FROM records r WHERE r.scheme = ? AND r.subject_id > ? AND r.subject_id <= ? AND ` + inWindow

// A page of enrolments is joined to its subjects from the same ID on
// (s.id > after): PostgreSQL then merges two index ranges that start at the
// page, where a seek per subject took thirty times as long, and a merge
// from the start of the subjects index would read the whole of it for the
// last page of a million.
var (
	closeSubjectsQuery = fixed("CloseSubjects", `SELECT s.kind, s.name, s.masked, s.adult_on,
		e.scheme, e.subject_id, e.unit, e.enrolled, e.enrolled_by
		FROM enrolments e JOIN subjects s ON s.id = e.subject_id
		WHERE e.scheme = ? AND e.subject_id > ? AND s.id > ? ORDER BY e.subject_id LIMIT ?`)
	consentsInQuery = fixed("ConsentsIn", `SELECT subject_id, given, at, how, decided_by FROM consents
		WHERE scheme = ? AND subject_id > ? AND subject_id <= ? ORDER BY subject_id, at, id`)
	closingsInQuery = fixed("ClosingsIn", `SELECT subject_id, closing FROM close_rows
		WHERE scheme = ? AND period = ? AND subject_id > ? AND subject_id <= ? AND scored = 1 ORDER BY subject_id`)
	periodSumsQuery = fixed("PeriodSums", `SELECT r.subject_id, MIN(r.version), MAX(r.version), r.rule, `+periodSums+`
		GROUP BY r.subject_id, r.rule ORDER BY r.subject_id, r.rule`)
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
// close's rows need of each. The page's consents, decisions about the
// honour board and previous closing scores are each read as one range of
// subjects, in order, rather than looked up subject by subject.
func (t *Tx) CloseSubjects(ctx context.Context, scheme string, after int64, limit int, previous string) ([]ledger.CloseSubject, error) {
	es, err := collect(ctx, t, func(row Row) (ledger.CloseSubject, error) {
		var (
			e        ledger.CloseSubject
			kind     string
			adultOn  *int64
			enrolled int64
		)
		err := row.Scan(&kind, &e.Subject.Name, &e.Subject.Masked, &adultOn,
			&e.Enrolment.Scheme, &e.Enrolment.SubjectID, &e.Enrolment.Unit, &enrolled, &e.Enrolment.By)
		e.Subject.ID, e.Subject.Kind, e.Subject.AdultOn = e.Enrolment.SubjectID, tally.SubjectKind(kind), fromNullTime(adultOn)
		e.Enrolment.Enrolled = fromMicros(enrolled)
		return e, err
	}, closeSubjectsQuery, scheme, after, after, limit)
	if err != nil || len(es) == 0 {
		return es, t.wrap(err, "read the subjects of a close")
	}
	last := es[len(es)-1].Subject.ID
	consents, err := collect(ctx, t, func(row Row) (c tally.Consent, err error) {
		var given, at int64
		err = row.Scan(&c.SubjectID, &given, &at, &c.How, &c.By)
		c.Scheme, c.Given, c.At = scheme, given == 1, fromMicros(at)
		return
	}, consentsInQuery, scheme, after, last)
	if err != nil {
		return nil, t.wrap(err, "read the consents of a close's subjects")
	}
	find := pageFinder(es)
	for _, c := range consents { // oldest first: the latest stays
		if e := find(c.SubjectID); e != nil {
			e.Enrolment.Consent = c
		}
	}
	published, err := t.Published(ctx, scheme, after, last)
	if err != nil {
		return nil, err
	}
	closings, err := collect(ctx, t, func(row Row) (c [2]int64, err error) {
		err = row.Scan(&c[0], &c[1])
		return
	}, closingsInQuery, scheme, previous, after, last)
	if err != nil {
		return nil, t.wrap(err, "read the previous close of a close's subjects")
	}
	find = pageFinder(es)
	for _, c := range closings {
		if e := find(c[0]); e != nil {
			e.Previous = &c[1]
		}
	}
	for i := range es {
		es[i].Published = published[es[i].Subject.ID]
	}
	return es, nil
}

// pageFinder returns a function that finds a subject in a page ordered by
// ID, asked for in ascending order of ID: nil if the page has none.
func pageFinder(page []ledger.CloseSubject) func(id int64) *ledger.CloseSubject {
	i := 0
	return func(id int64) *ledger.CloseSubject {
		for i < len(page) && page[i].Subject.ID < id {
			i++
		}
		if i < len(page) && page[i].Subject.ID == id {
			return &page[i]
		}
		return nil
	}
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
