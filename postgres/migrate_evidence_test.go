package postgres

import (
	"context"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/tallycredit/tally/postgres/pgtest"
)

// TestMigrateBindsEarlierEvidence checks that 0007_evidence binds each
// record written before it that cites a stored file to an item of its
// own, in the record's scheme, leaves other records without one, and moves
// the items' identity past the ids it used.
func TestMigrateBindsEarlierEvidence(t *testing.T) {
	pool, err := pgxpool.New(context.Background(), pgtest.Fresh(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
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
	if err := migrate(t.Context(), pool, before); err != nil {
		t.Fatal(err)
	}
	hash := strings.Repeat("ab", 32)
	// The records' subject is not there: foreign keys are off for this
	// transaction, which only sets the scene.
	_, err = pool.Exec(t.Context(), `BEGIN; SET LOCAL session_replication_role = replica;
		INSERT INTO evidence VALUES ('`+hash+`', 'image/png', '\x89', 5, 'rec');
		INSERT INTO records (id, scheme, version, subject_id, rule, facts, happened_at, recorded_at, recorded_by, ref, evidence, requested, awarded, reason, digest)
			VALUES (7, 'village', 1, 1, 'r', '{}', 1, 1, 'rec', 'a', 'sha256:`+hash+` the sheet', 1, 1, '', 'd'),
			(8, 'village', 1, 1, 'r', '{}', 1, 1, 'rec', 'b', 'sha256:`+strings.Repeat("cd", 32)+`', 1, 1, '', 'd'),
			(9, 'village', 1, 1, 'r', '{}', 1, 1, 'rec', 'c', 'a note', 1, 1, '', 'd');
		COMMIT;`)
	if err != nil {
		t.Fatal(err)
	}
	if err := migrate(t.Context(), pool, migrations); err != nil {
		t.Fatal(err)
	}
	rows, err := pool.Query(t.Context(), `SELECT b.record_id::text || ' ' || i.scheme || ' ' || left(i.hash, 4) || ' ' || i.uploaded_by
		FROM evidence_bindings b JOIN evidence_items i ON i.id = b.item_id ORDER BY b.record_id`)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		got = append(got, s)
	}
	rows.Close()
	if strings.Join(got, "; ") != "7 village abab rec" {
		t.Errorf("bindings: %q, want record 7 only", got)
	}
	var next int64
	err = pool.QueryRow(t.Context(), `INSERT INTO evidence_items (hash, scheme, uploaded_at, uploaded_by) VALUES ($1, 'village', 6, 'rec') RETURNING id`, hash).Scan(&next)
	if err != nil || next <= 7 {
		t.Errorf("a new item: id %d, %v; want one past 7", next, err)
	}
}
