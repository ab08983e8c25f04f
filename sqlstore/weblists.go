package sqlstore

import (
	"context"
	"strings"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// recordsRecorded registers the query for the records of a window that
// also meet cond, newest first: one query per combination of filters, so
// that each reads the index that suits it (records_recorder for one
// recorder, records_recorded otherwise) and sorts only the window. The
// scheme, concatenated with the empty string, is out of reach of SQLite's
// records_subject; the materialized CTE keeps a generic PostgreSQL plan
// from walking the primary key through records of every window.
func recordsRecorded(name, cond string) string {
	return fixed(name, `WITH w AS /*materialized*/ (SELECT `+recordCols+` FROM records r
		WHERE r.recorded_at >= ? AND r.recorded_at < ?`+cond+`)
		SELECT * FROM w ORDER BY id DESC LIMIT ?`)
}

var (
	recordsRecordedQuery     = recordsRecorded("RecordsRecorded", "")
	recordsRecordedInQuery   = recordsRecorded("RecordsRecordedIn", ` AND r.scheme || '' = ?`)
	recordsRecordedByQuery   = recordsRecorded("RecordsRecordedBy", ` AND r.recorded_by = ?`)
	recordsRecordedInByQuery = recordsRecorded("RecordsRecordedInBy", ` AND r.recorded_by = ? AND r.scheme || '' = ?`)
)

var (
	// searchEnrolledQuery walks one scheme's enrolments by subject ID and
	// keeps those whose unit or subject's name contains the text or whose
	// subject's masked identifier ends with it: one fenced probe of the
	// subject per enrolment until limit are found, whose subjects are then
	// joined on a range of one ID, which PostgreSQL can neither hash nor
	// merge through every subject. SQLite's LIKE ignores the case of ASCII
	// letters only, PostgreSQL's ILIKE that of all its collation folds.
	searchEnrolledQuery = fixed("SearchEnrolled", `SELECT s.id, s.kind, s.name, s.masked, s.lookup, s.sealed, s.adult_on, s.created,
		`+enrolmentCols+`
		FROM enrolments e
		JOIN subjects s ON s.id >= e.subject_id AND s.id <= e.subject_id
		/*latest consent*/
		WHERE e.scheme = ? AND (e.unit /*i*/LIKE ? ESCAPE '\' OR EXISTS (SELECT 1 FROM subjects s2
			WHERE s2.id = e.subject_id AND (s2.name /*i*/LIKE ? ESCAPE '\' OR s2.masked /*i*/LIKE ? ESCAPE '\') /*fence*/))
		ORDER BY e.subject_id LIMIT ?`)
	enrolmentsOfQuery = fixed("EnrolmentsOf", enrolmentSelect+`WHERE e.subject_id = ? ORDER BY e.scheme /*bytes*/`)
	ruleCountsQuery   = fixed("RuleCounts", `SELECT r.rule, COUNT(*) FROM records r
		WHERE r.scheme = ? AND r.happened_at >= ? AND r.happened_at < ? AND `+notReversed+` AND `+notHeld+`
		GROUP BY r.rule`)
)

// RecordsRecorded returns up to f.Limit records, reversals included,
// recorded in [f.From, f.To) in f.Scheme (any if "") by f.RecordedBy
// (anyone if ""), newest first by ID.
func (t *Tx) RecordsRecorded(ctx context.Context, f ledger.RecordFilter) ([]tally.Record, error) {
	q, args := recordsRecordedQuery, []any{micros(f.From), micros(f.To)}
	switch {
	case f.Scheme != "" && f.RecordedBy != "":
		q, args = recordsRecordedInByQuery, append(args, f.RecordedBy, f.Scheme)
	case f.Scheme != "":
		q, args = recordsRecordedInQuery, append(args, f.Scheme)
	case f.RecordedBy != "":
		q, args = recordsRecordedByQuery, append(args, f.RecordedBy)
	}
	rs, err := collect(ctx, t, scanRecord, q, append(args, max(f.Limit, 0))...)
	return rs, t.wrap(err, "read records recorded")
}

// SearchEnrolled finds up to limit subjects enrolled in scheme whose name
// or unit contains text or whose masked identifier ends with it, ignoring
// case (see searchEnrolledQuery), by subject ID. Wildcards in text match
// themselves.
func (t *Tx) SearchEnrolled(ctx context.Context, scheme, text string, limit int) ([]ledger.Enrolled, error) {
	pattern := likeEscaper.Replace(text)
	contains, ends := "%"+pattern+"%", "%"+pattern
	out, err := collect(ctx, t, scanEnrolled, searchEnrolledQuery, scheme, contains, contains, ends, max(limit, 0))
	return out, t.wrap(err, "search "+scheme)
}

// likeEscaper makes LIKE's wildcards and its escape character, a
// backslash, match themselves.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// scanEnrolled reads the columns of searchEnrolledQuery: a subject's,
// then enrolmentCols.
func scanEnrolled(row Row) (ledger.Enrolled, error) {
	var (
		found   ledger.Enrolled
		s       = &found.Subject
		kind    string
		adultOn *int64
		created int64
	)
	err := scanEnrolmentInto(row, &found.Enrolment, &s.ID, &kind, &s.Name, &s.Masked, &s.Lookup, &s.Sealed, &adultOn, &created)
	s.Kind, s.AdultOn, s.Created = tally.SubjectKind(kind), fromNullTime(adultOn), fromMicros(created)
	return found, err
}

// scanEnrolmentInto reads enrolmentCols, after the columns of before,
// into e. The consent columns are NULL when no consent is recorded;
// Consent then stays zero.
func scanEnrolmentInto(row Row, e *tally.Enrolment, before ...any) error {
	var (
		enrolled  int64
		given, at *int64
		how, by   *string
	)
	if err := row.Scan(append(before, &e.Scheme, &e.SubjectID, &e.Unit, &enrolled, &e.By, &given, &at, &how, &by)...); err != nil {
		return err
	}
	e.Enrolled = fromMicros(enrolled)
	if at != nil {
		e.Consent = tally.Consent{Scheme: e.Scheme, SubjectID: e.SubjectID, Given: *given == 1,
			At: fromMicros(*at), How: *how, By: *by}
	}
	return nil
}

// EnrolmentsOf returns every enrolment of a subject, by scheme, each with
// its latest consent as Enrolment reads it.
func (t *Tx) EnrolmentsOf(ctx context.Context, subjectID int64) ([]tally.Enrolment, error) {
	es, err := collect(ctx, t, scanEnrolment, enrolmentsOfQuery, subjectID)
	return es, t.wrap(err, "read enrolments of a subject")
}

// RuleCounts counts a scheme's original, unreversed records per rule that
// happened in [from, to).
func (t *Tx) RuleCounts(ctx context.Context, scheme string, from, to time.Time) (map[string]int64, error) {
	counts := map[string]int64{}
	_, err := collect(ctx, t, func(row Row) (n int64, err error) {
		var rule string
		err = row.Scan(&rule, &n)
		counts[rule] = n
		return n, err
	}, ruleCountsQuery, scheme, micros(from), micros(to))
	if err != nil {
		return nil, t.wrap(err, "count rules of "+scheme)
	}
	return counts, nil
}
