// Package listed writes a tally SQLite ledger of many persons on the
// judgment-defaulters list for the benchmarks of checks (bench/gen and
// httpapi's): valid identifiers, their subjects and one in-effect entry
// each, straight into the tables in large transactions. The ledger's own
// listing path checks and logs every entry, which is right for courts and
// too slow for millions.
package listed

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/examples"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/sqlite"
)

// Person returns the i-th listed person's resident ID (a birth date from
// 1950 on, a sequence number and its check character) and name.
func Person(i int) (id, name string) {
	born := time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i/1000)
	body := fmt.Sprintf("371082%s%03d", born.Format("20060102"), i%1000)
	return body + string(tally.ResidentCheck(body)), "测试" + strconv.Itoa(i)
}

// Write creates the ledger at path with the default sanctions catalogue
// and n listed persons (Person(0) to Person(n-1)), batch to a transaction;
// after each transaction it tells done how many are written.
func Write(ctx context.Context, path string, vault *ledger.Vault, n, batch int, done func(written int)) error {
	store, err := sqlite.Open(ctx, path) // creates the schema
	if err != nil {
		return err
	}
	svc := ledger.New(store, vault, ledger.Options{})
	admin := ledger.WithActor(ctx, &tally.Actor{Name: "bench", Role: tally.Admin})
	err = svc.Check(admin)
	if err == nil {
		_, err = svc.PublishCatalogue(admin, "sanctions.yml", examples.Sanctions)
	}
	store.Close()
	if err != nil {
		return err
	}
	db, err := sql.Open("sqlite", path+"?_pragma=journal_mode(WAL)&_pragma=synchronous(OFF)&_pragma=foreign_keys(ON)")
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	now := time.Now()
	notice := now.AddDate(0, -6, 0)
	for from := 0; from < n; from += batch {
		if err := writeBatch(db, vault, from, min(from+batch, n), now, notice); err != nil {
			return err
		}
		if done != nil {
			done(min(from+batch, n))
		}
	}
	return nil
}

// writeBatch writes persons [from, to) and their entries in one
// transaction.
func writeBatch(db *sql.DB, vault *ledger.Vault, from, to int, now, notice time.Time) error {
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	subj, err := tx.Prepare(`INSERT INTO subjects (id, kind, name, masked, lookup, sealed, adult_on, created) VALUES (?, 'person', ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	entry, err := tx.Prepare(`INSERT INTO list_entries (id, list, subject_id, lookup, name, masked, case_number, court, decided_on, notice_served,
		grounds, basis, term, aggravation, ends, recorded_at, recorded_by) VALUES (?, 'judgment-defaulters', ?, ?, ?, ?, ?, '荣成市人民法院', ?, ?,
		'able to perform but refuses', 'SPC Provisions art. 1(1)', '2y', 0, ?, ?, 'bench')`)
	if err != nil {
		return err
	}
	for i := from; i < to; i++ {
		id, name := Person(i)
		rid, _ := tally.ParseResidentID(id)
		lookup := vault.Lookup(id)
		if _, err := subj.Exec(i+1, name, tally.MaskIdentifier(id), lookup, vault.Seal(id), rid.AdultOn().UnixMicro(), now.UnixMicro()); err != nil {
			return err
		}
		if _, err := entry.Exec(i+1, i+1, lookup, name, tally.MaskIdentifier(id), "(2025)鲁1082执"+strconv.Itoa(i)+"号",
			notice.AddDate(0, 0, -10).UnixMicro(), notice.UnixMicro(), notice.AddDate(2, 0, 0).UnixMicro(), now.UnixMicro()); err != nil {
			return err
		}
	}
	return tx.Commit()
}
