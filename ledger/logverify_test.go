package ledger_test

import (
	"database/sql"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver, to tamper with a PostgreSQL store
	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/examples"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/postgres"
	"github.com/tallycredit/tally/postgres/pgtest"
	"github.com/tallycredit/tally/sqlite"
)

// tamperable opens a fresh store of each engine together with a direct
// connection to its database, the access a hostile operator has.
var tamperable = map[string]func(t *testing.T) (ledger.Store, *sql.DB){
	"sqlite": func(t *testing.T) (ledger.Store, *sql.DB) {
		path := filepath.Join(t.TempDir(), "tally.db")
		db, err := sqlite.Open(t.Context(), path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db, rawDB(t, "sqlite", path)
	},
	"postgres": func(t *testing.T) (ledger.Store, *sql.DB) {
		addr := pgtest.Fresh(t)
		db, err := postgres.Open(t.Context(), addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db, rawDB(t, "pgx", addr)
	},
}

func rawDB(t *testing.T, driver, addr string) *sql.DB {
	t.Helper()
	raw, err := sql.Open(driver, addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return raw
}

// unguard lifts the triggers that keep a table append-only, as an
// operator with database access can: SQLite's are dropped, PostgreSQL's
// disabled.
func unguard(engine, table string) []string {
	if engine == "postgres" {
		return []string{"ALTER TABLE " + table + " DISABLE TRIGGER USER"}
	}
	return []string{"DROP TRIGGER IF EXISTS " + table + "_no_update", "DROP TRIGGER IF EXISTS " + table + "_no_delete"}
}

// loggedHistory is what the tampering tests tamper with: an entry of
// every kind the self-check reads, in a log with a signed checkpoint.
type loggedHistory struct {
	f       *fixture
	raw     *sql.DB
	engine  string
	loan    int64 // a record voided on objection
	plain   int64 // a record nothing refers to
	tax     int64 // a record ended by an approved repair
	listed  int64 // a list entry in force
	removed int64 // a list entry removed, and its removal
	removal int64
	voiding int64 // the objection whose decision voided the loan
	repair  int64 // the approved repair of the tax record
	zhang   int64 // Zhang San, the subject of all the above
	li      int64 // Li Si, a subject without history
}

// newLoggedHistory writes, on engine's store of an instance that signs
// its checkpoints with its report key, Zhang San's rulebook, records,
// list entries, a removal, an objection decided and a repair decided, all
// logged, and signs a checkpoint.
func newLoggedHistory(t *testing.T, engine string) *loggedHistory {
	store, raw := tamperable[engine](t)
	f := fixtureOn(t, store, ledger.Options{})
	signer, _ := f.bindInstanceLogKey()
	f.svc = ledger.New(store, f.vault, ledger.Options{Now: func() time.Time { return now }, Log: ledger.LogSettings{Signer: signer}})
	h := &loggedHistory{f: f, raw: raw, engine: engine}
	f.publishExample("city.yaml")
	f.person(city, zhang, "张三")
	f.person(city, li, "李四")
	h.loan = f.record(city, zhang, "finance.loan-default", "2026-11-01", "loan/1").ID
	h.plain = f.record(city, zhang, "finance.loan-default", "2026-10-01", "loan/2").ID
	h.tax = f.record(city, zhang, "tax.arrears", "2026-06-01", "tax/1").ID
	o := f.object(f.ctx, h.loan)
	if err := f.void(reviewerCtx("rev"), o.ID); err != nil {
		t.Fatal(err)
	}
	h.voiding = o.ID
	p, err := f.svc.ApplyRepair(f.ctx, ledger.RepairInput{Scheme: city, Identifier: zhang, Record: h.tax, Obligations: "tax paid, receipt 44"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.DecideRepair(reviewerCtx("rev"), p.ID, true, "receipt checked"); err != nil {
		t.Fatal(err)
	}
	h.repair = p.ID
	if _, err := f.svc.PublishCatalogue(f.ctx, "sanctions.yml", examples.Sanctions); err != nil {
		t.Fatal(err)
	}
	listed, err := f.svc.List(f.ctx, defaulter())
	if err != nil {
		t.Fatal(err)
	}
	second := defaulter()
	second.CaseNumber = "(2025)鲁1082执124号"
	removed, err := f.svc.List(f.ctx, second)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Remove(f.ctx, ledger.Removal{List: second.List, CaseNumber: second.CaseNumber, Reason: tally.Performed}); err != nil {
		t.Fatal(err)
	}
	h.listed, h.removed = listed.ID, removed.ID
	if err := raw.QueryRow(`SELECT id FROM list_removals WHERE entry_id = ` + itoa(h.removed)).Scan(&h.removal); err != nil {
		t.Fatal(err)
	}
	for name, id := range map[string]*int64{"张三": &h.zhang, "李四": &h.li} {
		if err := raw.QueryRow(`SELECT id FROM subjects WHERE name = '` + name + `'`).Scan(id); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.svc.SignLogCheckpoint(f.ctx); err != nil {
		t.Fatal(err)
	}
	return h
}

// blobLiteral is b as an SQL literal of engine.
func blobLiteral(engine string, b []byte) string {
	if engine == "postgres" {
		return `'\x` + hex.EncodeToString(b) + `'::bytea`
	}
	return `x'` + hex.EncodeToString(b) + `'`
}

// swapLookups returns the statements that swap two subjects' lookups,
// the keyed hashes of their identifiers that checks go by, so that each
// one's history answers for the other's ID number.
func (h *loggedHistory) swapLookups(a, b int64) string {
	h.f.t.Helper()
	lookup := func(id int64) []byte {
		var l []byte
		if err := h.raw.QueryRow(`SELECT lookup FROM subjects WHERE id = ` + itoa(id)).Scan(&l); err != nil {
			h.f.t.Fatal(err)
		}
		return l
	}
	la, lb := lookup(a), lookup(b)
	return `UPDATE subjects SET lookup = ` + blobLiteral(h.engine, []byte("parked")) + ` WHERE id = ` + itoa(a) + `;
		UPDATE subjects SET lookup = ` + blobLiteral(h.engine, la) + ` WHERE id = ` + itoa(b) + `;
		UPDATE subjects SET lookup = ` + blobLiteral(h.engine, lb) + ` WHERE id = ` + itoa(a)
}

// tamper lifts the guard of table and runs stmt on the database directly.
func (h *loggedHistory) tamper(table, stmt string) {
	h.f.t.Helper()
	for _, q := range append(unguard(h.engine, table), stmt) {
		if _, err := h.raw.Exec(q); err != nil {
			h.f.t.Fatalf("%s: %v", q, err)
		}
	}
}

// findings returns what the self-check finds, each as "kind ref problem",
// sorted.
func (h *loggedHistory) findings() []string {
	h.f.t.Helper()
	rep, err := h.f.svc.VerifyLog(h.f.ctx, nil)
	if err != nil {
		h.f.t.Fatalf("VerifyLog: %v", err)
	}
	var got []string
	for _, x := range rep.Findings {
		got = append(got, fmt.Sprintf("%s %s %s", x.Kind, x.Ref, x.Problem))
	}
	slices.Sort(got)
	return got
}

// TestVerifyLogFindsTampering: on either store, a subject, record, list
// entry, removal, objection or repair decision, rulebook or catalogue
// version, or a leaf, edited, backdated, deleted or slipped in directly in the
// database, past the triggers that keep it append-only, is found by the
// operator's self-check, named by kind and key, and nothing else is.
func TestVerifyLogFindsTampering(t *testing.T) {
	micros := func(days int) string { return fmt.Sprint(int64(days) * 86400000000) }
	tests := []struct {
		name, table string
		stmt        func(h *loggedHistory) string
		want        func(h *loggedHistory) []string
	}{
		{"record edited", "records",
			func(h *loggedHistory) string { return `UPDATE records SET awarded = 0 WHERE id = ` + itoa(h.plain) },
			func(h *loggedHistory) []string { return []string{"record " + itoa(h.plain) + " changed"} }},
		{"record backdated", "records",
			func(h *loggedHistory) string {
				return `UPDATE records SET happened_at = happened_at - ` + micros(200) + ` WHERE id = ` + itoa(h.plain)
			},
			func(h *loggedHistory) []string { return []string{"record " + itoa(h.plain) + " changed"} }},
		{"record deleted", "records",
			func(h *loggedHistory) string { return `DELETE FROM records WHERE id = ` + itoa(h.plain) },
			func(h *loggedHistory) []string { return []string{"record " + itoa(h.plain) + " missing"} }},
		{"record slipped in", "records",
			func(h *loggedHistory) string {
				return `INSERT INTO records (scheme, version, subject_id, rule, facts, happened_at, recorded_at, recorded_by, ref, evidence,
					requested, awarded, reason, expires_at, reverses, digest)
					SELECT scheme, version, subject_id, rule, facts, happened_at, recorded_at, recorded_by, ref || '-copy', evidence,
					requested, awarded, reason, expires_at, reverses, digest FROM records WHERE id = ` + itoa(h.plain)
			},
			func(h *loggedHistory) []string {
				var id int64
				if err := h.raw.QueryRow(`SELECT MAX(id) FROM records`).Scan(&id); err != nil {
					h.f.t.Fatal(err)
				}
				return []string{"record " + itoa(id) + " unlogged"}
			}},
		{"list entry's term edited", "list_entries",
			func(h *loggedHistory) string {
				return `UPDATE list_entries SET term = CASE term WHEN '1y' THEN '2y' ELSE '1y' END WHERE id = ` + itoa(h.listed)
			},
			func(h *loggedHistory) []string { return []string{"list-entry " + itoa(h.listed) + " changed"} }},
		{"list entry's case number edited", "list_entries",
			func(h *loggedHistory) string {
				return `UPDATE list_entries SET case_number = '(2025)鲁1082执999号' WHERE id = ` + itoa(h.listed)
			},
			func(h *loggedHistory) []string { return []string{"list-entry " + itoa(h.listed) + " changed"} }},
		{"list entry ended early", "list_entries",
			func(h *loggedHistory) string {
				return `UPDATE list_entries SET ends = ends - ` + micros(365) + ` WHERE id = ` + itoa(h.listed)
			},
			func(h *loggedHistory) []string { return []string{"list-entry " + itoa(h.listed) + " changed"} }},
		{"list removal deleted", "list_removals",
			func(h *loggedHistory) string { return `DELETE FROM list_removals WHERE id = ` + itoa(h.removal) },
			func(h *loggedHistory) []string { return []string{"list-removal " + itoa(h.removal) + " missing"} }},
		{"list removal backdated", "list_removals",
			func(h *loggedHistory) string {
				return `UPDATE list_removals SET removed_on = removed_on - ` + micros(30) + ` WHERE id = ` + itoa(h.removal)
			},
			func(h *loggedHistory) []string { return []string{"list-removal " + itoa(h.removal) + " changed"} }},
		{"objection decision's outcome edited", "objection_decisions",
			func(h *loggedHistory) string {
				return `UPDATE objection_decisions SET outcome = 'upheld' WHERE objection_id = ` + itoa(h.voiding)
			},
			func(h *loggedHistory) []string { return []string{"objection-decision " + itoa(h.voiding) + " changed"} }},
		{"repair decision's approval edited", "repair_decisions",
			func(h *loggedHistory) string {
				return `UPDATE repair_decisions SET approved = 0 WHERE repair_id = ` + itoa(h.repair)
			},
			func(h *loggedHistory) []string { return []string{"repair-decision " + itoa(h.repair) + " changed"} }},
		// The decision's own record is what ends a deduction early: moved
		// to another record, it ends that one instead.
		{"repair decision moved to another record", "repair_decisions",
			func(h *loggedHistory) string {
				return `UPDATE repair_decisions SET record_id = ` + itoa(h.plain) + ` WHERE repair_id = ` + itoa(h.repair)
			},
			func(h *loggedHistory) []string { return []string{"repair-decision " + itoa(h.repair) + " changed"} }},
		{"rulebook's text edited", "rulebooks",
			func(h *loggedHistory) string {
				text := map[string]string{"sqlite": `CAST(replace(CAST(source AS TEXT), 'points: -20', 'points: -2') AS BLOB)`,
					"postgres": `convert_to(replace(convert_from(source, 'UTF8'), 'points: -20', 'points: -2'), 'UTF8')`}
				return `UPDATE rulebooks SET source = ` + text[h.engine] + ` WHERE scheme = '` + city + `'`
			},
			func(h *loggedHistory) []string { return []string{"rulebook " + city + "/1 changed"} }},
		{"catalogue's text edited", "catalogues",
			func(h *loggedHistory) string {
				text := map[string]string{"sqlite": `CAST(CAST(source AS TEXT) || ' ' AS BLOB)`,
					"postgres": `source || '\x20'::bytea`}
				return `UPDATE catalogues SET source = ` + text[h.engine] + ` WHERE version = 1`
			},
			func(h *loggedHistory) []string { return []string{"catalogue 1 changed"} }},
		// Records name their subject by ID only: the subject's own leaf is
		// what ties that ID to an identifier and a name.
		{"subjects' lookups swapped", "subjects",
			func(h *loggedHistory) string { return h.swapLookups(h.zhang, h.li) },
			func(h *loggedHistory) []string {
				return []string{"subject " + itoa(h.zhang) + " changed", "subject " + itoa(h.li) + " changed"}
			}},
		{"a subject's name edited", "subjects",
			func(h *loggedHistory) string {
				return `UPDATE subjects SET name = '张三丰' WHERE id = ` + itoa(h.zhang)
			},
			func(h *loggedHistory) []string { return []string{"subject " + itoa(h.zhang) + " changed"} }},
		// A leaf rewritten to commit to an edited entry no longer gives
		// the signed root.
		{"leaf rewritten", "log_leaves",
			func(h *loggedHistory) string {
				zero := map[string]string{"sqlite": `zeroblob(33)`, "postgres": `decode(repeat('00', 33), 'hex')`}
				return `UPDATE log_leaves SET data = ` + zero[h.engine] + ` WHERE kind = 'record' AND ref = '` + itoa(h.plain) + `'`
			},
			func(h *loggedHistory) []string { return []string{"  root", "record " + itoa(h.plain) + " changed"} }},
	}
	for engine := range tamperable {
		t.Run(engine, func(t *testing.T) {
			for _, tc := range tests {
				t.Run(tc.name, func(t *testing.T) {
					h := newLoggedHistory(t, engine)
					if got := h.findings(); len(got) > 0 {
						t.Fatalf("the self-check of an untouched store found %q", got)
					}
					h.tamper(tc.table, tc.stmt(h))
					if got, want := h.findings(), tc.want(h); !slices.Equal(got, want) {
						t.Errorf("the self-check found %q, want %q", got, want)
					}
				})
			}
		})
	}
}
