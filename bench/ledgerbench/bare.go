package main

import (
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// bare loads the rows of a records file into a SQLite file holding only
// tally's records table (the same columns and indexes, read from the
// ledger like), with the page cache tally uses, in transactions of batch
// rows written by prepared INSERTs of 128 rows: the database's own speed
// at storing the same rows, without rules, caps, notices or the access
// log, for the ratio bench/run.sh reports.
func bare(like, path, peopleFile, file string, batch int) error {
	ctx := context.Background()
	schema, err := recordsSchema(like)
	if err != nil {
		return err
	}
	ids, err := subjectNumbers(peopleFile)
	if err != nil {
		return err
	}
	db, err := sql.Open("sqlite", path+"?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=cache_size(-262144)&_pragma=temp_store(MEMORY)")
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	for _, q := range schema {
		if _, err := db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	in := csv.NewReader(f)
	if _, err := in.Read(); err != nil { // the header
		return err
	}
	const per = 128
	cols := "scheme, version, subject_id, rule, facts, happened_at, recorded_at, recorded_by, ref, evidence, requested, awarded, reason, digest"
	tuple := "(" + strings.TrimSuffix(strings.Repeat("?, ", 14), ", ") + ")"
	insert := "INSERT INTO records (" + cols + ") VALUES " + tuple + strings.Repeat(", "+tuple, per-1)
	began, n := time.Now(), 0
	var rows [][]any
	flush := func() error {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		stmt, err := tx.PrepareContext(ctx, insert)
		if err != nil {
			return err
		}
		for len(rows) >= per {
			if _, err := stmt.ExecContext(ctx, flatten(rows[:per])...); err != nil {
				return err
			}
			rows = rows[per:]
		}
		one := "INSERT INTO records (" + cols + ") VALUES " + tuple
		for _, r := range rows {
			if _, err := tx.ExecContext(ctx, one, r...); err != nil {
				return err
			}
		}
		rows = rows[:0]
		return tx.Commit()
	}
	now := time.Now().UnixMicro()
	for {
		rec, err := in.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		at, err := time.Parse(time.RFC3339, rec[3])
		if err != nil {
			return err
		}
		rows = append(rows, []any{rec[0], 1, ids[rec[1]], rec[2], rec[5], at.UnixMicro(), now, "bench", rec[4], rec[6], 1, 1, "", ""})
		if n++; n%batch == 0 {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := flush(); err != nil {
		return err
	}
	took := time.Since(began)
	fmt.Printf("rows\t%d\tseconds\t%.2f\tper_s\t%.0f\n", n, took.Seconds(), float64(n)/took.Seconds())
	return nil
}

func flatten(rows [][]any) []any {
	var args []any
	for _, r := range rows {
		args = append(args, r...)
	}
	return args
}

// recordsSchema reads the statements that make tally's records table and
// its indexes from a ledger.
func recordsSchema(like string) ([]string, error) {
	db, err := sql.Open("sqlite", "file:"+like+"?mode=ro")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	rows, err := db.Query(`SELECT sql FROM sqlite_master WHERE tbl_name = 'records' AND type IN ('table', 'index') AND sql IS NOT NULL ORDER BY type DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var q string
		if err := rows.Scan(&q); err != nil {
			return nil, err
		}
		out = append(out, q)
	}
	return out, rows.Err()
}

// subjectNumbers numbers the identifiers of people.csv from 1.
func subjectNumbers(path string) (map[string]int, error) {
	rows, err := people(path)
	ids := map[string]int{}
	for i, r := range rows {
		ids[r[1]] = i + 1
	}
	return ids, err
}

// groupBy times the bare form of a close on a ledger: each subject's sum
// of the points of a scheme's records, grouped, through the same driver
// tally uses.
func groupBy(path, scheme string) error {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=cache_size(-262144)")
	if err != nil {
		return err
	}
	defer db.Close()
	began := time.Now()
	rows, err := db.Query(`SELECT subject_id, sum(awarded) FROM records WHERE scheme = ? GROUP BY subject_id`, scheme)
	if err != nil {
		return err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var subject, sum int64
		if err := rows.Scan(&subject, &sum); err != nil {
			return err
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return err
	}
	fmt.Printf("subjects\t%d\tseconds\t%.3f\n", n, time.Since(began).Seconds())
	return nil
}
