package main

import (
	"fmt"
	"io"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/postgres"
	"github.com/tallycredit/tally/sqlite"
	"github.com/tallycredit/tally/transfer"
)

// cmdCopy moves a SQLite ledger into an empty PostgreSQL database and
// checks that every score came across unchanged.
func cmdCopy(e *env, args []string) error {
	fs := e.flags("copy", "--from sqlite:FILE --to postgres://...")
	from := fs.String("from", "", "the SQLite database to copy (sqlite:FILE or a path)")
	to := fs.String("to", "", "the empty PostgreSQL database to copy into (postgres://...)")
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	switch {
	case *from == "" || isPostgres(*from):
		return tally.FieldErrorf("from", "name the SQLite database to copy, e.g. --from sqlite:tally.db")
	case !isPostgres(*to):
		return tally.FieldErrorf("to", "name the PostgreSQL database to copy into, e.g. --to postgres://user@host/tally")
	}
	if e.cfg.KeyFile == "" {
		e.cfg.KeyFile = sqlitePath(*from) + ".key" // the copy keeps the source's identity key
	}
	src, srcDB, err := e.openWith(*from, false)
	if err != nil {
		return err
	}
	defer srcDB.Close()
	dstDB, err := postgres.Open(e.ctx, *to)
	if err != nil {
		return err
	}
	defer dstDB.Close()

	bar := newProgress(e.stderr, "copy")
	show := func(stage string, n int64) { bar.show("%s: %d", stage, n) }
	began := time.Now()
	rows, err := transfer.Copy(e.ctx, srcDB.(*sqlite.DB), dstDB, show)
	if err != nil {
		bar.done()
		return err
	}
	dst, dstStore, err := e.openWith(*to, false)
	if err != nil {
		bar.done()
		return err
	}
	defer dstStore.Close()
	rep, err := transfer.Verify(e.ctx, src, dst, time.Now(), show)
	bar.done()
	if err != nil {
		return fmt.Errorf("copied, but the copy does not match: %w", err)
	}
	rep.Rows = rows
	return e.print(rep, func(w io.Writer) {
		fmt.Fprintf(w, "copied %s to %s in %.1fs:\n", sqlitePath(*from), redacted(*to), time.Since(began).Seconds())
		for _, t := range sqlite.Tables {
			fmt.Fprintf(w, "  %-10s %d rows\n", t, rows[t])
		}
		fmt.Fprintf(w, "checked: %d scores in %d schemes match at %s\n", rep.Subjects, rep.Schemes, rep.AsOf.Format(time.RFC3339))
	})
}

// cmdMigrate brings a database's schema up to this binary's and says which
// migrations it has. Every command migrates on opening; this one does
// nothing else, for a deployment step before servers start.
func cmdMigrate(e *env, args []string) error {
	if _, err := e.parse(e.flags("migrate", ""), args); err != nil {
		return err
	}
	db, err := openStore(e.ctx, e.cfg.DB, false)
	if err != nil {
		return err
	}
	defer db.Close()
	applied, err := db.Migrations(e.ctx)
	if err != nil {
		return err
	}
	return e.print(map[string]any{"db": redacted(e.cfg.DB), "migrations": applied}, func(w io.Writer) {
		fmt.Fprintf(w, "%s: schema up to date (%d migrations, latest %s)\n", redacted(e.cfg.DB), len(applied), applied[len(applied)-1])
	})
}
