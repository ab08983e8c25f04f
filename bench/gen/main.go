// Command gen builds a tally SQLite database with N listed persons for
// bench/lists.sh (see package listed), and writes the identity key and a
// sample of identifiers with names.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/tallycredit/tally/bench/listed"
	"github.com/tallycredit/tally/ledger"
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

func run(path string, n int, samplePath string, sampleN int) error {
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
	sample, err := os.Create(samplePath)
	if err != nil {
		return err
	}
	defer sample.Close()
	for i := range min(n, sampleN) {
		id, name := listed.Person(i)
		fmt.Fprintf(sample, "%s,%s\n", id, name)
	}
	began := time.Now()
	err = listed.Write(context.Background(), path, vault, n, 100_000, func(written int) {
		fmt.Fprintf(os.Stderr, "\r%d/%d entries (%.0f/s)", written, n, float64(written)/time.Since(began).Seconds())
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "\n%d entries in %.0fs\n", n, time.Since(began).Seconds())
	return nil
}
