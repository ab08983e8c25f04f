package main

import (
	"context"
	"fmt"
	"os"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/postgres"
	"github.com/tallycredit/tally/sqlite"
)

// open opens the ledger at addr (a SQLite file or a postgres:// address)
// with the identity key in keyFile.
func open(ctx context.Context, addr, keyFile string) (*ledger.Service, func(), error) {
	store, stop, err := openStore(ctx, addr)
	if err != nil {
		return nil, nil, err
	}
	text, err := os.ReadFile(keyFile)
	if err == nil {
		var raw []byte
		if raw, err = ledger.ParseKey(strings.TrimSpace(string(text))); err == nil {
			var vault *ledger.Vault
			if vault, err = ledger.NewVault(raw); err == nil {
				return ledger.New(store, vault, ledger.Options{}), stop, nil
			}
		}
	}
	stop()
	return nil, nil, err
}

// openStore opens the store at addr: a SQLite file or a postgres://
// address.
func openStore(ctx context.Context, addr string) (ledger.Store, func(), error) {
	if strings.HasPrefix(addr, "postgres") {
		db, err := postgres.Open(ctx, addr)
		if err != nil {
			return nil, nil, err
		}
		return db, func() { _ = db.Close() }, nil
	}
	db, err := sqlite.Open(ctx, addr)
	if err != nil {
		return nil, nil, err
	}
	return db, func() { _ = db.Close() }, nil
}

// importFile imports a records file as an admin would with `tally
// import`, optionally under the CPU profiler, and prints the rate: the
// profile of the import alone, without the command's start-up.
func importFile(addr, keyFile, path, cpuprofile string, batch int) error {
	ctx := context.Background()
	svc, closeStore, err := open(ctx, addr, keyFile)
	if err != nil {
		return err
	}
	defer closeStore()
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if cpuprofile != "" {
		out, err := os.Create(cpuprofile)
		if err != nil {
			return err
		}
		defer out.Close()
		if err := pprof.StartCPUProfile(out); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	ctx = ledger.WithActor(ctx, &tally.Actor{Name: "bench", Role: tally.Admin})
	began := time.Now()
	rep, err := svc.Import(ctx, f, ledger.ImportOptions{Batch: batch})
	if err != nil {
		return err
	}
	took := time.Since(began)
	fmt.Printf("rows\t%d\trecorded\t%d\tunchanged\t%d\tbad\t%d\tseconds\t%.2f\tper_s\t%.0f\n",
		rep.Rows, rep.Recorded, rep.Replayed, len(rep.Bad), took.Seconds(), float64(rep.Rows)/took.Seconds())
	return nil
}
