package postgres

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/postgres/pgtest"
	"github.com/tallycredit/tally/sqlstore"
)

// TestQueryPlans checks that the hot queries are answered through the
// indexes meant for them, with the statistics of a city-sized ledger. It
// checks the generic plan, the one a prepared statement keeps using after
// a few runs, as well as the plan for the arguments given: with tens of
// millions of records, a scan of records or a sort of more than one
// subject's rows per call would not do.
func TestQueryPlans(t *testing.T) {
	if testing.Short() {
		t.Skip("loads 30,000 records")
	}
	addr := pgtest.Fresh(t)
	db, err := Open(t.Context(), addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	planFixture(t, db, 1000, 30)
	webPlanFixture(t, db, 500)
	closePlanFixture(t, db, 1000)
	conn, err := pgx.Connect(t.Context(), addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	if _, err := conn.Exec(t.Context(), "ANALYZE"); err != nil {
		t.Fatal(err)
	}

	at := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC).UnixMicro()
	day := time.Date(2023, 1, 10, 0, 0, 0, 0, time.UTC).UnixMicro() // a day the fixture recorded records
	// Sorts are allowed where they order one subject's rows; sequential
	// scans only of the small tables, and for Counts, which counts every
	// record of a scheme.
	shared := sqlstore.Queries()
	tests := []struct {
		name    string
		query   string
		args    []any
		indexes []string // the plan must use one of them
		sort    bool     // whether the plan may sort
		scan    bool     // whether the plan may scan a large table
	}{
		{"Meta", shared["Meta"], []any{"x"}, nil, false, false},
		{"Rulebooks", shared["Rulebooks"], []any{"city"}, nil, true, false},
		{"RulebookDigests", shared["RulebookDigests"], []any{"city"}, nil, true, false},
		{"SubjectByLookup", shared["SubjectByLookup"], []any{[]byte("lookup 7")}, []string{"subjects_lookup_key"}, false, false},
		{"SubjectByID", shared["SubjectByID"], []any{int64(7)}, []string{"subjects_pkey"}, false, false},
		{"Enrolment", shared["Enrolment"], []any{"city", int64(7)}, []string{"consents_enrolment"}, true, false},
		{"Enrolments", shared["Enrolments"], []any{"city", int64(100), 50}, []string{"enrolments_pkey"}, true, false},
		{"RefUsed", shared["RefUsed"], []any{"city", "7/3", int64(7)}, []string{"records_scheme_ref_key"}, false, false},
		{"RecordByID", shared["RecordByID"], []any{int64(7)}, []string{"records_pkey"}, false, false},
		{"RecordByRef", shared["RecordByRef"], []any{"city", "7/3"}, []string{"records_scheme_ref_key"}, false, false},
		{"ReversalOf", shared["ReversalOf"], []any{int64(7)}, []string{"records_reverses"}, false, false},
		{"SumAwarded", shared["SumAwarded"], []any{"city", int64(7), "volunteer", at, at + 30*24*3600e6}, []string{"records_rule", "records_subject"}, false, false},
		{"InEffect", shared["InEffect"], []any{"city", int64(7), at, at, at}, []string{"records_rule", "records_subject"}, true, false},
		{"History", shared["History"], []any{"city", int64(7), int64(0), 50}, []string{"records_subject"}, true, false},
		{"Counts", shared["Counts"], []any{"city", "city"}, nil, false, true},
		{"AccountByName", shared["AccountByName"], []any{"account 7"}, []string{"accounts_name_key"}, true, false},
		{"AccountByID", shared["AccountByID"], []any{int64(7)}, []string{"accounts_pkey"}, true, false},
		{"Accounts", shared["Accounts"], []any{int64(100), 50}, []string{"accounts_pkey"}, true, false},
		{"SessionByHash", shared["SessionByHash"], []any{[]byte("session 7")}, []string{"sessions_pkey"}, false, false},
		{"EvidenceByHash", shared["EvidenceByHash"], []any{"hash 7"}, []string{"evidence_pkey"}, false, false},
		// The RecordsRecorded queries sort the window's records by ID.
		{"RecordsRecorded", shared["RecordsRecorded"], []any{day, day + 24*3600e6, 50}, []string{"records_recorded"}, true, false},
		{"RecordsRecordedIn", shared["RecordsRecordedIn"], []any{day, day + 24*3600e6, "city", 50}, []string{"records_recorded"}, true, false},
		{"RecordsRecordedBy", shared["RecordsRecordedBy"], []any{day, day + 24*3600e6, "clerk-7", 50}, []string{"records_recorder"}, true, false},
		{"RecordsRecordedInBy", shared["RecordsRecordedInBy"], []any{day, day + 24*3600e6, "clerk-7", "city", 50}, []string{"records_recorder"}, true, false},
		{"SearchEnrolled", shared["SearchEnrolled"], []any{"city", "%x%", "%x%", "%x", 20}, []string{"enrolments_pkey"}, true, false},
		{"EnrolmentsOf", shared["EnrolmentsOf"], []any{int64(7)}, []string{"enrolments_subject"}, true, false},
		// RuleCounts counts a whole scheme's records in a window: with one
		// scheme holding all the records, as here, a scan is the cheapest.
		{"RuleCounts", shared["RuleCounts"], []any{"city", at, at + 30*24*3600e6}, nil, true, true},
		// A close reads a page of subjects at a time: their records (summed
		// and sorted in memory), and each of the page's ranges of
		// consents, decisions and previous rows (a page is about 1% of
		// the subjects).
		{"PeriodSums", shared["PeriodSums"], periodSumsArgs(at), []string{"records_subject", "records_rule"}, true, false},
		{"PeriodSumsByVersion", shared["PeriodSumsByVersion"], periodSumsArgs(at), []string{"records_subject", "records_rule"}, true, false},
		{"CloseSubjects", shared["CloseSubjects"], []any{"city", int64(100), int64(100), 300}, []string{"enrolments_pkey"}, false, false},
		{"ConsentsIn", shared["ConsentsIn"], []any{"city", int64(100), int64(130)}, []string{"consents_enrolment"}, true, false},
		{"Published", shared["Published"], []any{"city", int64(100), int64(130)}, []string{"publication_consents_enrolment"}, true, false},
		{"ClosingsIn", shared["ClosingsIn"], []any{"city", "2024-05", int64(100), int64(130)}, []string{"close_rows_pkey"}, true, false},
	}
	for _, tc := range tests {
		for _, mode := range []string{"force_generic_plan", "force_custom_plan"} {
			plan := explain(t, conn, mode, dialect.Bind(tc.query), tc.args...)
			for _, table := range []string{"records", "subjects", "enrolments", "consents"} {
				if strings.Contains(plan, "Seq Scan on "+table) && !tc.scan {
					t.Errorf("%s (%s): a sequential scan of %s:\n%s", tc.name, mode, table, plan)
				}
			}
			if strings.Contains(plan, "Sort") && !tc.sort {
				t.Errorf("%s (%s): a sort:\n%s", tc.name, mode, plan)
			}
			if len(tc.indexes) > 0 && !slices.ContainsFunc(tc.indexes, func(ix string) bool { return strings.Contains(plan, " "+ix+" ") }) {
				t.Errorf("%s (%s): plan uses none of %v:\n%s", tc.name, mode, tc.indexes, plan)
			}
			// A walk of a whole index in a merge join is a scan too. A
			// close's page of subjects merges two ranges that start at
			// the page.
			if strings.Contains(plan, "Merge") && !(tc.name == "CloseSubjects" && strings.Contains(plan, "Index Cond: (id > ")) {
				t.Errorf("%s (%s): a merge join:\n%s", tc.name, mode, plan)
			}
			t.Logf("%s (%s):\n%s", tc.name, mode, plan)
		}
	}
}

// planFixture writes n subjects enrolled in two schemes, perSubject
// records each in one of them spread over two years, every tenth reversed,
// and a consent for most.
func planFixture(t testing.TB, db *DB, n, perSubject int) {
	t.Helper()
	start := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	err := db.Update(t.Context(), func(tx ledger.Tx) error {
		ctx := t.Context()
		for _, scheme := range []string{"city", "village"} {
			if err := tx.InsertRulebook(ctx, &tally.RulebookVersion{Scheme: scheme, Version: 1, Source: []byte("x")}); err != nil {
				return err
			}
		}
		var rs []*tally.Record
		for i := range n {
			s := &tally.Subject{Kind: tally.Person, Lookup: fmt.Appendf(nil, "lookup %d", i), Sealed: []byte("s"), Created: start}
			if err := tx.InsertSubject(ctx, s); err != nil {
				return err
			}
			for _, scheme := range []string{"city", "village"} {
				if err := tx.InsertEnrolment(ctx, &tally.Enrolment{Scheme: scheme, SubjectID: s.ID, Enrolled: start}); err != nil {
					return err
				}
				if i%4 != 0 {
					if err := tx.InsertConsent(ctx, &tally.Consent{Scheme: scheme, SubjectID: s.ID, Given: true, At: start}); err != nil {
						return err
					}
				}
			}
			for j := range perSubject {
				happened := start.Add(time.Duration(j) * 24 * time.Hour)
				rs = append(rs, &tally.Record{Scheme: "city", Version: 1, SubjectID: s.ID, Rule: []string{"volunteer", "donation", "litter"}[j%3],
					HappenedAt: happened, RecordedAt: happened, RecordedBy: fmt.Sprintf("clerk-%d", i%20),
					Ref: fmt.Sprintf("%d/%d", i, j), Awarded: 1, ExpiresAt: happened.AddDate(1, 0, 0)})
			}
		}
		if err := tx.InsertRecords(ctx, rs); err != nil {
			return err
		}
		var undo []*tally.Record
		for k := 0; k < len(rs); k += 10 {
			r := *rs[k]
			r.ID, r.Ref, r.Reverses, r.Awarded = 0, r.Ref+"/undo", rs[k].ID, -1
			undo = append(undo, &r)
		}
		return tx.InsertRecords(ctx, undo)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// webPlanFixture writes n accounts with two passwords each, every tenth
// disabled, two sessions per account, one of them ended, and n evidence
// files.
func webPlanFixture(t testing.TB, db *DB, n int) {
	t.Helper()
	start := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	err := db.Update(t.Context(), func(tx ledger.Tx) error {
		ctx := t.Context()
		for i := range n {
			a := &tally.Account{Name: fmt.Sprintf("account %d", i), Role: tally.Recorder, Schemes: []string{"city"},
				Created: start, CreatedBy: "admin", PasswordHash: "first", PasswordSet: start}
			if err := tx.InsertAccount(ctx, a); err != nil {
				return err
			}
			if err := tx.SetPassword(ctx, a.ID, "second", start.Add(time.Hour), "admin"); err != nil {
				return err
			}
			if i%10 == 0 {
				if err := tx.DisableAccount(ctx, a.ID, start.Add(time.Hour), "admin"); err != nil {
					return err
				}
			}
			for k := range 2 {
				hash := fmt.Appendf(nil, "session %d", 2*i+k)
				if err := tx.InsertSession(ctx, &tally.Session{Hash: hash, AccountID: a.ID, CSRF: "c", Created: start, Expires: start.Add(time.Hour)}); err != nil {
					return err
				}
				if k == 0 {
					if err := tx.EndSession(ctx, hash, start.Add(time.Minute)); err != nil {
						return err
					}
				}
			}
			if err := tx.InsertEvidence(ctx, &tally.Evidence{Hash: fmt.Sprintf("hash %d", i), Type: "image/jpeg",
				Data: []byte("data"), UploadedAt: start, UploadedBy: "clerk"}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// explain returns the plan of query with args under plan_cache_mode mode,
// through a prepared statement as pgx runs it.
func explain(t *testing.T, conn *pgx.Conn, mode, query string, args ...any) string {
	t.Helper()
	ctx := t.Context()
	if _, err := conn.Exec(ctx, "SET plan_cache_mode = "+mode); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, "DEALLOCATE ALL"); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, "PREPARE q AS "+query); err != nil {
		t.Fatalf("prepare %s: %v", query, err)
	}
	params := make([]string, len(args))
	for i := range args {
		params[i] = fmt.Sprintf("$%d", i+1)
	}
	rows, err := conn.Query(ctx, "EXPLAIN EXECUTE q("+strings.Join(params, ", ")+")", append([]any{pgx.QueryExecModeSimpleProtocol}, args...)...)
	if err != nil {
		t.Fatalf("explain %s: %v", query, err)
	}
	lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatalf("explain %s: %v", query, err)
	}
	return strings.Join(lines, "\n")
}

// periodSumsArgs are arguments for PeriodSums: a month from at, over
// subjects 100 to 400.
func periodSumsArgs(at int64) []any {
	starts, asOf := at, at+30*24*3600e6-1
	return []any{starts - 1, starts - 1, asOf, starts, starts, starts, "city", int64(100), int64(400), asOf, starts - 1}
}

// closePlanFixture closes a month of scheme city for subjects 1 to n of
// planFixture, each of which decided about the honour board.
func closePlanFixture(t testing.TB, db *DB, n int64) {
	t.Helper()
	err := db.Update(t.Context(), func(tx ledger.Tx) error {
		ctx := t.Context()
		at := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
		rows := make([]tally.CloseRow, 0, n)
		for id := int64(1); id <= n; id++ {
			if err := tx.InsertPublicationConsent(ctx, &tally.Consent{Scheme: "city", SubjectID: id, Given: id%2 == 0, At: at}); err != nil {
				return err
			}
			rows = append(rows, tally.CloseRow{SubjectID: id, Scored: true, Opening: new(int64), Closing: new(int64)})
		}
		if err := tx.InsertCloseRows(ctx, "city", "2024-05", rows); err != nil {
			return err
		}
		return tx.InsertClose(ctx, &tally.Close{Scheme: "city", Period: "2024-05", Version: 1, Starts: at.AddDate(0, -1, 0),
			Ends: at, AsOf: at, ClosedAt: at, Subjects: n})
	})
	if err != nil {
		t.Fatal(err)
	}
}
