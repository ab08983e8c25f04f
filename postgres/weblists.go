package postgres

import (
	"context"
	"strings"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// recordsRecordedSelect reads the records of a window; the caller appends
// its other conditions and closes the CTE. MATERIALIZED keeps a generic
// plan from walking the primary key in ID order, through records of every
// window, instead of reading the window through records_recorder (one
// recorder) or records_recorded (everyone) and sorting it; the window
// bounds that sort.
const recordsRecordedSelect = `WITH w AS MATERIALIZED (SELECT ` + recordCols + ` FROM records r
		WHERE r.recorded_at >= $1 AND r.recorded_at < $2`

const (
	recordsRecordedQuery     = recordsRecordedSelect + `) SELECT * FROM w ORDER BY id DESC LIMIT $3`
	recordsRecordedInQuery   = recordsRecordedSelect + ` AND r.scheme = $3) SELECT * FROM w ORDER BY id DESC LIMIT $4`
	recordsRecordedByQuery   = recordsRecordedSelect + ` AND r.recorded_by = $3) SELECT * FROM w ORDER BY id DESC LIMIT $4`
	recordsRecordedInByQuery = recordsRecordedSelect + ` AND r.recorded_by = $3 AND r.scheme = $4)
		SELECT * FROM w ORDER BY id DESC LIMIT $5`

	// searchEnrolledQuery walks one scheme's enrolments by subject ID (the
	// primary key of enrolments) and keeps those whose subject's name or
	// unit contains the text or whose masked identifier ends with it.
	// ILIKE's escape character is a backslash by default. The subject is
	// a LATERAL subquery that OFFSET 0 keeps from being flattened: one
	// probe of subjects_pkey per enrolment, until limit are found, instead
	// of a merge join that a generic plan may pick, walking every subject.
	searchEnrolledQuery = `SELECT s.id, s.kind, s.name, s.masked, s.lookup, s.sealed, s.adult_on, s.created,
		e.scheme, e.subject_id, e.unit, e.enrolled, e.enrolled_by, c.given, c.at, c.how, c.decided_by
		FROM enrolments e
		JOIN LATERAL (SELECT * FROM subjects s WHERE s.id = e.subject_id OFFSET 0) s ON true
		LEFT JOIN LATERAL (
			SELECT c2.given, c2.at, c2.how, c2.decided_by FROM consents c2
			WHERE c2.scheme = e.scheme AND c2.subject_id = e.subject_id
			ORDER BY c2.at DESC, c2.id DESC
			LIMIT 1) c ON true
		WHERE e.scheme = $1 AND (s.name ILIKE $2 OR e.unit ILIKE $2 OR s.masked ILIKE $3)
		ORDER BY e.subject_id LIMIT $4`
	// COLLATE "C" sorts schemes by bytes, as SQLite and Go do.
	enrolmentsOfQuery = enrolmentSelect + `WHERE e.subject_id = $1 ORDER BY e.scheme COLLATE "C"`
	ruleCountsQuery   = `SELECT r.rule, COUNT(*) FROM records r
		WHERE r.scheme = $1 AND r.happened_at >= $2 AND r.happened_at < $3 AND ` + notReversed + ` AND ` + notHeld + `
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
	rs, err := collect(ctx, t, scanRecord, q, append(args, f.Limit)...)
	if err != nil {
		return nil, storeErr(err, "read records recorded")
	}
	return rs, nil
}

// SearchEnrolled finds up to limit subjects enrolled in scheme whose name
// or unit contains text or whose masked identifier ends with it, ignoring
// case (as the database's collation folds it), by subject ID. Wildcards
// in text match themselves.
func (t *tx) SearchEnrolled(ctx context.Context, scheme, text string, limit int) ([]ledger.Enrolled, error) {
	if limit <= 0 {
		return []ledger.Enrolled{}, nil
	}
	pattern := escapeLike(text)
	out, err := collect(ctx, t, scanEnrolled, searchEnrolledQuery, scheme, "%"+pattern+"%", "%"+pattern, limit)
	if err != nil {
		return nil, storeErr(err, "search "+scheme)
	}
	return out, nil
}

// scanEnrolled reads the columns of searchEnrolledQuery: those of a
// subject, then those of enrolmentSelect.
func scanEnrolled(row scanner) (ledger.Enrolled, error) {
	var (
		found             ledger.Enrolled
		s                 = &found.Subject
		e                 = &found.Enrolment
		kind              string
		adultOn           *int64
		created, enrolled int64
		given             *int16
		at                *int64
		how, by           *string
	)
	err := row.Scan(&s.ID, &kind, &s.Name, &s.Masked, &s.Lookup, &s.Sealed, &adultOn, &created,
		&e.Scheme, &e.SubjectID, &e.Unit, &enrolled, &e.By, &given, &at, &how, &by)
	if err != nil {
		return found, err
	}
	s.Kind, s.AdultOn, s.Created = tally.SubjectKind(kind), fromNullMicros(adultOn), fromMicros(created)
	e.Enrolled = fromMicros(enrolled)
	if at != nil {
		e.Consent = tally.Consent{Scheme: e.Scheme, SubjectID: e.SubjectID, Given: *given == 1,
			At: fromMicros(*at), How: *how, By: *by}
	}
	return found, nil
}

// EnrolmentsOf returns every enrolment of a subject, by scheme, each with
// its latest consent as Enrolment reads it.
func (t *tx) EnrolmentsOf(ctx context.Context, subjectID int64) ([]tally.Enrolment, error) {
	es, err := collect(ctx, t, scanEnrolment, enrolmentsOfQuery, subjectID)
	if err != nil {
		return nil, storeErr(err, "read enrolments of a subject")
	}
	return es, nil
}

// RuleCounts counts a scheme's original, unreversed records per rule that
// happened in [from, to).
func (t *tx) RuleCounts(ctx context.Context, scheme string, from, to time.Time) (map[string]int64, error) {
	type count struct {
		rule string
		n    int64
	}
	rows, err := collect(ctx, t, func(row scanner) (count, error) {
		var c count
		return c, row.Scan(&c.rule, &c.n)
	}, ruleCountsQuery, scheme, micros(from), micros(to))
	if err != nil {
		return nil, storeErr(err, "count rules of "+scheme)
	}
	counts := make(map[string]int64, len(rows))
	for _, c := range rows {
		counts[c.rule] = c.n
	}
	return counts, nil
}

// likeEscaper makes LIKE's wildcards and its escape character, a
// backslash, match themselves.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// escapeLike returns text as a LIKE pattern (escape character '\')
// matching exactly text.
func escapeLike(text string) string { return likeEscaper.Replace(text) }
