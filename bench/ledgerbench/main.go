// Command ledgerbench measures what bench/run.sh cannot from the outside:
// the latency of a score computed in process (the ledger over a real
// store, no HTTP), and exports the points tally computed so that the same
// data can be loaded into a bare PostgreSQL table for comparison.
//
//	ledgerbench score  -db ADDR -key FILE -people people.csv -scheme S -n 20000
//	ledgerbench export -db FILE.db -scheme S > points.csv
//	ledgerbench wrk    -people people.csv -scheme S -n 2000 > score.lua
//	ledgerbench plot   -out PREFIX < scaling.csv
//	ledgerbench bare   -like tally.db -db bare.db -people people.csv -file records.csv -batch 5000
//	ledgerbench groupby -db tally.db -scheme S
//	ledgerbench import -db ADDR -key FILE -file records.csv [-cpuprofile F] [-batch N]
//	ledgerbench logproofs -db ADDR [-leaves 10000000] [-batch 10000] [-samples 1000]
package main

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"os"
	"sort"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

func main() {
	if len(os.Args) < 2 {
		log.Fatal("usage: ledgerbench score|export|wrk|plot|bare|groupby|import|logproofs [flags]")
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	db := fs.String("db", "", "the ledger: a SQLite file or postgres:// address")
	key := fs.String("key", "", "the identity key file")
	people := fs.String("people", "", "people.csv written by tally gen")
	scheme := fs.String("scheme", "rongcheng-city", "the scheme to score in")
	n := fs.Int("n", 20000, "how many scores (score) or subjects (wrk)")
	out := fs.String("out", "scaling", "plot: the prefix of the SVG files")
	file := fs.String("file", "", "import: the records file")
	cpuprofile := fs.String("cpuprofile", "", "import: write a CPU profile here")
	batch := fs.Int("batch", 0, "import, bare: rows per transaction (0: the default)")
	like := fs.String("like", "", "bare: a tally ledger whose records table to copy")
	leaves := fs.Int64("leaves", 10_000_000, "logproofs: the size to grow the log to")
	samples := fs.Int("samples", 1000, "logproofs: how many random leaves to prove")
	_ = fs.Parse(os.Args[2:])
	var err error
	switch os.Args[1] {
	case "score":
		err = score(*db, *key, *people, *scheme, *n)
	case "export":
		err = export(*db, *scheme, os.Stdout)
	case "wrk":
		err = wrkScript(*people, *scheme, *n, os.Stdout)
	case "plot":
		err = plot(os.Stdin, *out)
	case "groupby":
		err = groupBy(*db, *scheme)
	case "bare":
		err = bare(*like, *db, *people, *file, max(*batch, 1))
	case "import":
		err = importFile(*db, *key, *file, *cpuprofile, *batch)
	case "logproofs":
		err = logProofs(*db, *leaves, cmp.Or(*batch, 10000), *samples)
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		log.Fatal(err)
	}
}

// persons reads the identifiers of the scheme's persons from people.csv.
func persons(path, scheme string) ([]string, error) {
	rows, err := people(path)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, r := range rows {
		if r[3] == scheme {
			out = append(out, r[1])
		}
	}
	return out, nil
}

// people reads the rows of people.csv (tally gen's), without its header.
func people(path string) ([][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	return rows[1:], nil
}

// score computes n scores of random subjects, one after another, as a
// reviewer with a purpose (so each read is logged, as in production), and
// prints the latency percentiles.
func score(addr, keyFile, people, scheme string, n int) error {
	ctx := context.Background()
	ids, err := persons(people, scheme)
	if err != nil {
		return err
	}
	svc, closeStore, err := open(ctx, addr, keyFile)
	if err != nil {
		return err
	}
	defer closeStore()
	ctx = ledger.WithPurpose(ledger.WithActor(ctx, &tally.Actor{Name: "bench", Role: tally.Reviewer}), "benchmark")
	rng := rand.New(rand.NewPCG(1, 2))
	lat := make([]time.Duration, 0, n)
	began := time.Now()
	for i := 0; i < n; i++ {
		id := ids[rng.IntN(len(ids))]
		t0 := time.Now()
		if _, err := svc.Score(ctx, scheme, id, time.Now()); err != nil {
			return fmt.Errorf("score %s: %w", id, err)
		}
		lat = append(lat, time.Since(t0))
	}
	total := time.Since(began)
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	fmt.Printf("scores\t%d\tp50_ms\t%.3f\tp99_ms\t%.3f\tper_s\t%.0f\n", n, pct(0.50), pct(0.99), float64(n)/total.Seconds())
	return nil
}

// export writes subject,points,happened,expires (microseconds; expires
// 9e15 for never) of the scheme's records that count, from a SQLite
// ledger: the same points tally computed, for a bare table.
func export(path, scheme string, w io.Writer) error {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := db.Query(`SELECT subject_id, awarded, happened_at, COALESCE(expires_at, 9000000000000000) FROM records r
		WHERE scheme = ? AND reverses IS NULL AND NOT EXISTS (SELECT 1 FROM records x WHERE x.reverses = r.id)`, scheme)
	if err != nil {
		return err
	}
	defer rows.Close()
	cw := csv.NewWriter(w)
	for rows.Next() {
		var subject, points, happened, expires int64
		if err := rows.Scan(&subject, &points, &happened, &expires); err != nil {
			return err
		}
		_ = cw.Write([]string{fmt.Sprint(subject), fmt.Sprint(points), fmt.Sprint(happened), fmt.Sprint(expires)})
	}
	cw.Flush()
	if err := rows.Err(); err != nil {
		return err
	}
	return cw.Error()
}

// wrkScript writes a wrk Lua script that asks for the scores of n random
// subjects in turn.
func wrkScript(people, scheme string, n int, w io.Writer) error {
	ids, err := persons(people, scheme)
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(3, 4))
	fmt.Fprintln(w, "local paths = {")
	for i := 0; i < n; i++ {
		fmt.Fprintf(w, "  %q,\n", fmt.Sprintf("/api/v1/schemes/%s/subjects/%s/score?purpose=benchmark", scheme, ids[rng.IntN(len(ids))]))
	}
	fmt.Fprintln(w, "}\nlocal i = 0\nrequest = function()\n  i = i + 1\n  return wrk.format(\"GET\", paths[(i % #paths) + 1])\nend")
	return nil
}
