package sqlite

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tallycredit/tally/sqlstore"
)

// TestQueryPlans checks that the hot queries are answered through indexes:
// with tens of millions of records, a full scan of records or a sort of a
// subject's history per call would not do.
func TestQueryPlans(t *testing.T) {
	db, err := Open(t.Context(), filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })

	shared := sqlstore.Queries()
	tests := []struct {
		name  string
		query string
		args  []any
		index string // the index the plan must use
	}{
		{"Meta", shared["Meta"], []any{"x"}, "sqlite_autoindex_meta_1"},
		{"Rulebooks", shared["Rulebooks"], []any{"s"}, "sqlite_autoindex_rulebooks_1"},
		{"RulebookDigests", shared["RulebookDigests"], []any{"s"}, "sqlite_autoindex_rulebooks_1"},
		{"Schemes", shared["Schemes"], nil, "sqlite_autoindex_rulebooks_1"},
		{"SubjectByLookup", shared["SubjectByLookup"], []any{[]byte("x")}, "sqlite_autoindex_subjects_1"},
		{"SubjectByID", shared["SubjectByID"], []any{1}, "INTEGER PRIMARY KEY"},
		{"Enrolment", shared["Enrolment"], []any{"s", 1}, "COVERING INDEX consents_enrolment"},
		{"Enrolments", shared["Enrolments"], []any{"s", 0, 10}, "sqlite_autoindex_enrolments_1"},
		{"RefUsed", shared["RefUsed"], []any{"s", "r", 1}, "sqlite_autoindex_records_1"},
		{"RecordByID", shared["RecordByID"], []any{1}, "INTEGER PRIMARY KEY"},
		{"RecordByRef", shared["RecordByRef"], []any{"s", "r"}, "sqlite_autoindex_records_1"},
		{"ReversalOf", shared["ReversalOf"], []any{1}, "records_reverses"},
		{"SumAwarded", shared["SumAwarded"], []any{"s", 1, "r", 0, 1}, "COVERING INDEX records_rule"},
		{"InEffect", shared["InEffect"], []any{"s", 1, 1, 1, 1}, "records_subject"},
		{"History", shared["History"], []any{"s", 1, 0, 10}, "records_subject"},
		{"PointsInEffect", shared["PointsInEffect"], []any{"s", 1, 1, 1, 1}, "records_subject"},
		{"Counts", shared["Counts"], []any{"s", "s"}, "COVERING INDEX records_subject"},
		{"AccountByName", shared["AccountByName"], []any{"x"}, "sqlite_autoindex_accounts_1"},
		{"AccountByID", shared["AccountByID"], []any{1}, "COVERING INDEX account_passwords_account"},
		{"Accounts", shared["Accounts"], []any{0, 10}, "INTEGER PRIMARY KEY"},
		{"SessionByHash", shared["SessionByHash"], []any{[]byte("x")}, "sqlite_autoindex_session_ends_1"},
		{"EvidenceByHash", shared["EvidenceByHash"], []any{"x"}, "sqlite_autoindex_evidence_1"},
		{"RecordsRecorded", shared["RecordsRecorded"], []any{0, 1, 10}, "records_recorded"},
		{"RecordsRecordedIn", shared["RecordsRecordedIn"], []any{0, 1, "s", 10}, "records_recorded"},
		{"RecordsRecordedBy", shared["RecordsRecordedBy"], []any{0, 1, "clerk", 10}, "records_recorder"},
		{"RecordsRecordedInBy", shared["RecordsRecordedInBy"], []any{0, 1, "clerk", "s", 10}, "records_recorder"},
		{"SearchEnrolled", shared["SearchEnrolled"], []any{"s", "%x%", "%x%", "%x", 10}, "sqlite_autoindex_enrolments_1"},
		{"EnrolmentsOf", shared["EnrolmentsOf"], []any{1}, "enrolments_subject"},
		{"RuleCounts", shared["RuleCounts"], []any{"s", 0, 1}, "COVERING INDEX records_rule"},
		{"SumsAwarded", shared["SumsAwarded"], sumsArgs(), "COVERING INDEX records_rule"},
		{"AccessLog", shared["AccessLog"], []any{1, 0, 1, 0, 10}, "access_log_archive_subject"},
		{"ArchiveChunk", shared["ArchiveChunk"], []any{1, 0, 10}, "INTEGER PRIMARY KEY"},
		// A close reads a page of subjects' records from records_rule
		// alone, in its order, and each of the page's ranges of consents,
		// decisions and previous rows in order.
		{"PeriodSums", shared["PeriodSums"], []any{0, 0, 0, 0, 0, 0, "s", 0, 10000, 1, 0}, "COVERING INDEX records_rule"},
		{"PeriodSumsByVersion", shared["PeriodSumsByVersion"], []any{0, 0, 0, 0, 0, 0, "s", 0, 10000, 1, 0}, "COVERING INDEX records_rule"},
		{"CloseSubjects", shared["CloseSubjects"], []any{"s", 0, 0, 10000}, "sqlite_autoindex_enrolments_1"},
		{"ConsentsIn", shared["ConsentsIn"], []any{"s", 0, 10000}, "consents_enrolment"},
		{"Published", shared["Published"], []any{"s", 0, 10000}, "publication_consents_enrolment"},
		{"ClosingsIn", shared["ClosingsIn"], []any{"s", "2026-10", 0, 10000}, "sqlite_autoindex_close_rows_1"},
	}
	// The queries that may sort. History sorts one subject's records by
	// ID: a few hundred rows, cheaper than a fourth index on records. The
	// RecordsRecorded queries sort the records of a window, which the
	// window bounds, by ID. RuleCounts groups by rule, of which a scheme
	// has a few dozen; EnrolmentsOf sorts a subject's few enrolments;
	// SumsAwarded groups the sums of the few dozen keys it is given;
	// PeriodSumsByVersion sorts a page's sums, for the rare page whose
	// rules changed category between versions.
	sorts := map[string]bool{"SumsAwarded": true, "PeriodSumsByVersion": true, "History": true, "RecordsRecorded": true, "RecordsRecordedIn": true,
		"RecordsRecordedBy": true, "RecordsRecordedInBy": true, "RuleCounts": true, "EnrolmentsOf": true}
	for _, tc := range tests {
		plan := explain(t, db.read, dialect.Bind(tc.query), tc.args...)
		for _, line := range plan {
			// "SCAN x" without "USING ... INDEX" reads a whole table.
			if strings.HasPrefix(line, "SCAN ") && !strings.Contains(line, "INDEX") && !strings.HasSuffix(line, "CONSTANT ROW") &&
				!strings.HasSuffix(line, "CONSTANT ROWS") && !(tc.name == "SumsAwarded" && line == "SCAN k") { // its keys
				t.Errorf("%s: full scan %q in plan:\n%s", tc.name, line, strings.Join(plan, "\n"))
			}
			if strings.Contains(line, "USE TEMP B-TREE") && !sorts[tc.name] {
				t.Errorf("%s: sort %q in plan:\n%s", tc.name, line, strings.Join(plan, "\n"))
			}
		}
		if all := strings.Join(plan, "\n"); !strings.Contains(all, tc.index) {
			t.Errorf("%s: plan does not use %s:\n%s", tc.name, tc.index, all)
		}
		t.Logf("%s:\n\t%s", tc.name, strings.Join(plan, "\n\t"))
	}
}

// explain returns the detail column of EXPLAIN QUERY PLAN for query.
func explain(t *testing.T, db *sql.DB, query string, args ...any) []string {
	t.Helper()
	rows, err := db.Query("EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		t.Fatalf("explain %s: %v", query, err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, notUsed int
		var detail string
		if err := rows.Scan(&id, &parent, &notUsed, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return plan
}

// sumsArgs are arguments for SumsAwarded: its keys, then the scheme.
func sumsArgs() []any {
	n := strings.Count(sqlstore.Queries()["SumsAwarded"], "?") - 1
	args := make([]any, 0, n+1)
	for i := 0; i < n; i += 5 {
		args = append(args, i/5, 1, "r", 0, 1)
	}
	return append(args, "s")
}
