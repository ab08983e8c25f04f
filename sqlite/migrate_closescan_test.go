package sqlite

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tallycredit/tally/storetest"
)

// Migration 0015 widens records_rule to cover a close's sums and builds
// close_rows anew without its foreign keys: the rows of earlier closes
// stay, in their order, and stay append-only.
func TestMigration0015(t *testing.T) {
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if err := migrate(t.Context(), db, storetest.MigrationsBefore(t, migrations, "0015")); err != nil {
		t.Fatal(err)
	}
	_, err = db.Exec(`INSERT INTO subjects (id, kind, name, masked, lookup, sealed, created) VALUES
			(7, 'person', 'a', 'm', x'07', x'', 0), (3, 'person', 'b', 'm', x'03', x'', 0);
		INSERT INTO closes VALUES ('s', '2026-10', 1, 0, 1, 1, 2, 'admin', 2, 0, 0, 'd');
		INSERT INTO close_rows VALUES ('s', '2026-10', 7, 'east', 'm', 'a', 1, '', 1, 2, 0, 0, 3, 'A', 0, 0, NULL, 1, 1),
			('s', '2026-10', 3, 'east', 'm', 'b', 0, 'no consent', NULL, 0, 0, 0, NULL, '', 0, 0, NULL, 0, 0)`)
	if err != nil {
		t.Fatal(err)
	}
	if err := migrate(t.Context(), db, migrations); err != nil {
		t.Fatal(err)
	}
	var ids, cols string
	if err := db.QueryRow(`SELECT group_concat(subject_id || ':' || COALESCE(closing, '-')) FROM (SELECT * FROM close_rows ORDER BY rowid)`).Scan(&ids); err != nil {
		t.Fatal(err)
	}
	if ids != "7:3,3:-" {
		t.Errorf("close rows after 0015 in rowid order: %q, want 7:3,3:-", ids)
	}
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM close_rows WHERE scheme = 's' AND period = '2026-10'`).Scan(&n); err != nil || n != 2 {
		t.Errorf("close rows after 0015: %d (%v), want 2", n, err)
	}
	if _, err := db.Exec(`UPDATE close_rows SET grade = 'B'`); err == nil {
		t.Error("a close row was changed after 0015")
	}
	if _, err := db.Exec(`DELETE FROM close_rows`); err == nil {
		t.Error("a close row was deleted after 0015")
	}
	if err := db.QueryRow(`SELECT group_concat(name) FROM (SELECT name FROM pragma_index_info('records_rule') ORDER BY seqno)`).Scan(&cols); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(cols, ",expires_at,version") {
		t.Errorf("records_rule after 0015 holds %s, want expires_at and version last", cols)
	}
}
