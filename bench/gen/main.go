// Command gen builds a tally SQLite database with N listed persons for
// bench/lists.sh: valid identifiers, their subjects and one in-effect entry
// each on the judgment-defaulters list, written straight into the tables
// in large transactions (the ledger's own listing path checks and logs
// every entry, which is right for courts and too slow for 15 million). It
// also writes the identity key and a sample of identifiers with names.
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/examples"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/sqlite"
	_ "modernc.org/sqlite"
)

func main() {
	dbPath := flag.String("db", "bench.db", "database file to create")
	n := flag.Int("n", 1_000_000, "listed persons")
	sample := flag.String("sample", "ids.txt", "file for identifier,name lines of listed persons")
	sampleN := flag.Int("sample-n", 200_000, "how many identifiers to write to the sample")
	flag.Parse()
	if err := run(*dbPath, *n, *sample, *sampleN); err != nil {
		log.Fatal(err)
	}
}

// identifier returns the i-th synthetic resident ID: a birth date from
// 1950 on, a sequence number, and its check character.
func identifier(i int) string {
	born := time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i/1000)
	body := fmt.Sprintf("371082%s%03d", born.Format("20060102"), i%1000)
	return body + string(tally.ResidentCheck(body))
}

func run(path string, n int, samplePath string, sampleN int) error {
	ctx := context.Background()
	for _, suffix := range []string{"", "-wal", "-shm"} {
		_ = os.Remove(path + suffix)
	}
	keyText := ledger.GenerateKey()
	if err := os.WriteFile(path+".key", []byte(keyText+"\n"), 0o600); err != nil {
		return err
	}
	key, _ := ledger.ParseKey(keyText)
	vault, err := ledger.NewVault(key)
	if err != nil {
		return err
	}
	store, err := sqlite.Open(ctx, path) // creates the schema
	if err != nil {
		return err
	}
	svc := ledger.New(store, vault, ledger.Options{})
	admin := ledger.WithActor(ctx, &tally.Actor{Name: "bench", Role: tally.Admin})
	if err := svc.Check(admin); err != nil {
		return err
	}
	if _, err := svc.PublishCatalogue(admin, "sanctions.yml", examples.Sanctions); err != nil {
		return err
	}
	store.Close()

	db, err := sql.Open("sqlite", path+"?_pragma=journal_mode(WAL)&_pragma=synchronous(OFF)&_pragma=foreign_keys(ON)")
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	sample, err := os.Create(samplePath)
	if err != nil {
		return err
	}
	defer sample.Close()
	now := time.Now()
	notice := now.AddDate(0, -6, 0)
	ends := notice.AddDate(2, 0, 0)
	began := time.Now()
	const batch = 100_000
	for from := 0; from < n; from += batch {
		tx, err := db.Begin()
		if err != nil {
			return err
		}
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
		for i := from; i < min(from+batch, n); i++ {
			id := identifier(i)
			rid, _ := tally.ParseResidentID(id)
			name := fmt.Sprintf("测试%d", i)
			lookup := vault.Lookup(id)
			if _, err := subj.Exec(i+1, name, tally.MaskIdentifier(id), lookup, vault.Seal(id), rid.AdultOn().UnixMicro(), now.UnixMicro()); err != nil {
				return err
			}
			if _, err := entry.Exec(i+1, i+1, lookup, name, tally.MaskIdentifier(id), fmt.Sprintf("(2025)鲁1082执%d号", i),
				notice.AddDate(0, 0, -10).UnixMicro(), notice.UnixMicro(), ends.UnixMicro(), now.UnixMicro()); err != nil {
				return err
			}
			if i < sampleN {
				fmt.Fprintf(sample, "%s,%s\n", id, name)
			}
		}
		if err := tx.Commit(); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "\r%d/%d entries (%.0f/s)", min(from+batch, n), n, float64(min(from+batch, n))/time.Since(began).Seconds())
	}
	fmt.Fprintf(os.Stderr, "\n%d entries in %.0fs\n", n, time.Since(began).Seconds())
	return nil
}
