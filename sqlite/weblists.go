package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// The queries of the lists the web pages show. RecordsRecorded has one
// query per combination of filters, so that each is prepared once and
// reads the index that suits it: records_recorder for one recorder,
// records_recorded otherwise (a unary + keeps SQLite from reading a
// scheme's whole range of records_subject instead). Either way the
// window's rows are sorted by ID; the window bounds that sort.
const (
	recordsRecordedQuery = `SELECT ` + recordCols + ` FROM records r
		WHERE r.recorded_at >= ? AND r.recorded_at < ?
		ORDER BY r.id DESC LIMIT ?`
	recordsRecordedInQuery = `SELECT ` + recordCols + ` FROM records r
		WHERE r.recorded_at >= ? AND r.recorded_at < ? AND +r.scheme = ?
		ORDER BY r.id DESC LIMIT ?`
	recordsRecordedByQuery = `SELECT ` + recordCols + ` FROM records r
		WHERE r.recorded_at >= ? AND r.recorded_at < ? AND r.recorded_by = ?
		ORDER BY r.id DESC LIMIT ?`
	recordsRecordedInByQuery = `SELECT ` + recordCols + ` FROM records r
		WHERE r.recorded_at >= ? AND r.recorded_at < ? AND r.recorded_by = ? AND +r.scheme = ?
		ORDER BY r.id DESC LIMIT ?`

	// searchEnrolledQuery walks one scheme's enrolments by subject ID (the
	// primary key of enrolments) and keeps those whose subject's name or
	// unit contains the text or whose masked identifier ends with it.
	// SQLite's LIKE ignores the case of ASCII letters only.
	searchEnrolledQuery = `SELECT s.id, s.kind, s.name, s.masked, s.lookup, s.sealed, s.adult_on, s.created,
		e.scheme, e.subject_id, e.unit, e.enrolled, e.enrolled_by, c.given, c.at, c.how, c.decided_by
		FROM enrolments e
		JOIN subjects s ON s.id = e.subject_id
		LEFT JOIN consents c ON c.id = (
			SELECT c2.id FROM consents c2
			WHERE c2.scheme = e.scheme AND c2.subject_id = e.subject_id
			ORDER BY c2.at DESC, c2.id DESC
			LIMIT 1)
		WHERE e.scheme = ?1
		AND (s.name LIKE ?2 ESCAPE '\' OR e.unit LIKE ?2 ESCAPE '\' OR s.masked LIKE ?3 ESCAPE '\')
		ORDER BY e.subject_id LIMIT ?4`
	enrolmentsOfQuery = enrolmentSelect + `WHERE e.subject_id = ? ORDER BY e.scheme`
	ruleCountsQuery   = `SELECT r.rule, COUNT(*) FROM records r
		WHERE r.scheme = ? AND r.happened_at >= ? AND r.happened_at < ? AND ` + notReversed + ` AND ` + notHeld + `
		GROUP BY r.rule`
)

// RecordsRecorded returns up to f.Limit records, reversals included,
// recorded in [f.From, f.To) in f.Scheme (any if "") by f.RecordedBy
// (anyone if ""), newest first by ID.
func (t *tx) RecordsRecorded(ctx context.Context, f ledger.RecordFilter) ([]tally.Record, error) {
	if f.Limit <= 0 {
		return []tally.Record{}, nil
	}
	q, args := recordsRecordedQuery, []any{micros(f.From), micros(f.To)}
	switch {
	case f.Scheme != "" && f.RecordedBy != "":
		q, args = recordsRecordedInByQuery, append(args, f.RecordedBy, f.Scheme)
	case f.Scheme != "":
		q, args = recordsRecordedInQuery, append(args, f.Scheme)
	case f.RecordedBy != "":
		q, args = recordsRecordedByQuery, append(args, f.RecordedBy)
	}
	return t.queryRecords(ctx, "read records recorded", q, append(args, f.Limit)...)
}

// SearchEnrolled finds up to limit subjects enrolled in scheme whose name
// or unit contains text or whose masked identifier ends with it, ignoring
// case, by subject ID. Wildcards in text match themselves.
func (t *tx) SearchEnrolled(ctx context.Context, scheme, text string, limit int) ([]ledger.Enrolled, error) {
	out := []ledger.Enrolled{}
	if limit <= 0 {
		return out, nil
	}
	pattern := escapeLike(text)
	rows, err := t.query(ctx, searchEnrolledQuery, scheme, "%"+pattern+"%", "%"+pattern, limit)
	if err != nil {
		return nil, fmt.Errorf("search %s: %w", scheme, err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			found            ledger.Enrolled
			s                = &found.Subject
			e                = &found.Enrolment
			kind             string
			adultOn          sql.NullInt64
			created, enroled int64
			given            sql.NullBool
			at               sql.NullInt64
			how, by          sql.NullString
		)
		err := rows.Scan(&s.ID, &kind, &s.Name, &s.Masked, &s.Lookup, &s.Sealed, &adultOn, &created,
			&e.Scheme, &e.SubjectID, &e.Unit, &enroled, &e.By, &given, &at, &how, &by)
		if err != nil {
			return nil, fmt.Errorf("search %s: %w", scheme, err)
		}
		s.Kind, s.AdultOn, s.Created = tally.SubjectKind(kind), fromNullMicros(adultOn), fromMicros(created)
		e.Enrolled = fromMicros(enroled)
		if at.Valid {
			e.Consent = tally.Consent{Scheme: e.Scheme, SubjectID: e.SubjectID, Given: given.Bool,
				At: fromMicros(at.Int64), How: how.String, By: by.String}
		}
		out = append(out, found)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search %s: %w", scheme, err)
	}
	return out, nil
}

// EnrolmentsOf returns every enrolment of a subject, by scheme, each with
// its latest consent as Enrolment reads it.
func (t *tx) EnrolmentsOf(ctx context.Context, subjectID int64) ([]tally.Enrolment, error) {
	rows, err := t.query(ctx, enrolmentsOfQuery, subjectID)
	if err != nil {
		return nil, fmt.Errorf("read enrolments of subject %d: %w", subjectID, err)
	}
	defer rows.Close()
	es := []tally.Enrolment{}
	for rows.Next() {
		e, err := scanEnrolment(rows)
		if err != nil {
			return nil, fmt.Errorf("read enrolments of subject %d: %w", subjectID, err)
		}
		es = append(es, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read enrolments of subject %d: %w", subjectID, err)
	}
	return es, nil
}

// RuleCounts counts a scheme's original, unreversed records per rule that
// happened in [from, to).
func (t *tx) RuleCounts(ctx context.Context, scheme string, from, to time.Time) (map[string]int64, error) {
	rows, err := t.query(ctx, ruleCountsQuery, scheme, micros(from), micros(to))
	if err != nil {
		return nil, fmt.Errorf("count rules of %s: %w", scheme, err)
	}
	defer rows.Close()
	counts := map[string]int64{}
	for rows.Next() {
		var (
			rule string
			n    int64
		)
		if err := rows.Scan(&rule, &n); err != nil {
			return nil, fmt.Errorf("count rules of %s: %w", scheme, err)
		}
		counts[rule] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count rules of %s: %w", scheme, err)
	}
	return counts, nil
}

// likeEscaper makes LIKE's wildcards and its escape character, a
// backslash, match themselves.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// escapeLike returns text as a LIKE pattern (with ESCAPE '\') matching
// exactly text.
func escapeLike(text string) string { return likeEscaper.Replace(text) }
