package sqlite

import (
	"database/sql"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// TestMigrateBindsEarlierEvidence checks that 0007_evidence binds each
// record written before it that cites a stored file to an item of its
// own, in the record's scheme, and leaves other records without one; and
// that items made afterwards do not collide with those numbered as the
// records.
func TestMigrateBindsEarlierEvidence(t *testing.T) {
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	before := fstest.MapFS{}
	names, err := fs.Glob(migrations, "*.sql")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		if name < "0007" {
			data, err := fs.ReadFile(migrations, name)
			if err != nil {
				t.Fatal(err)
			}
			before[name] = &fstest.MapFile{Data: data}
		}
	}
	if err := migrate(t.Context(), db, before); err != nil {
		t.Fatal(err)
	}
	hash := strings.Repeat("ab", 32)
	for _, q := range []string{
		`INSERT INTO evidence VALUES ('` + hash + `', 'image/png', x'89', 5, 'rec')`,
		`INSERT INTO records (id, scheme, version, subject_id, rule, facts, happened_at, recorded_at, recorded_by, ref, evidence, requested, awarded, reason, digest)
			VALUES (7, 'village', 1, 1, 'r', '{}', 1, 1, 'rec', 'a', 'sha256:` + hash + ` the sheet', 1, 1, '', 'd'),
			(8, 'village', 1, 1, 'r', '{}', 1, 1, 'rec', 'b', 'sha256:` + strings.Repeat("cd", 32) + `', 1, 1, '', 'd'),
			(9, 'village', 1, 1, 'r', '{}', 1, 1, 'rec', 'c', 'a note', 1, 1, '', 'd')`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := migrate(t.Context(), db, migrations); err != nil {
		t.Fatal(err)
	}
	var got []string
	rows, err := db.Query(`SELECT b.record_id, i.scheme, i.hash, i.uploaded_by FROM evidence_bindings b JOIN evidence_items i ON i.id = b.item_id ORDER BY b.record_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, scheme, h, by string
		if err := rows.Scan(&id, &scheme, &h, &by); err != nil {
			t.Fatal(err)
		}
		got = append(got, id+" "+scheme+" "+h[:4]+" "+by)
	}
	if strings.Join(got, "; ") != "7 village abab rec" {
		t.Errorf("bindings: %q, want record 7 only", got)
	}
	var next int64
	if err := db.QueryRow(`INSERT INTO evidence_items (hash, scheme, uploaded_at, uploaded_by) VALUES (?, 'village', 6, 'rec') RETURNING id`, hash).Scan(&next); err != nil || next <= 7 {
		t.Errorf("a new item: id %d, %v; want one past 7", next, err)
	}
}
