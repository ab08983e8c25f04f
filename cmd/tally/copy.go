package main

import (
	"fmt"
	"io"
	"time"

	"github.com/tallycredit/tally/postgres"
	"github.com/tallycredit/tally/sqlite"
	"github.com/tallycredit/tally/transfer"
)

// cmdCopy moves a SQLite ledger into an empty PostgreSQL database and
// checks that every score came across unchanged.
func cmdCopy(e *env, args []string) error {
	fs := e.flags("copy", "--from sqlite:FILE --to postgres://...")
	from := fs.String("from", "", e.text("cli.flag.copy_from"))
	to := fs.String("to", "", e.text("cli.flag.copy_to"))
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	switch {
	case *from == "" || isPostgres(*from):
		return e.fieldErrorf("from", "cli.copy.name_from")
	case !isPostgres(*to):
		return e.fieldErrorf("to", "cli.copy.name_to")
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

	bar := newProgress(e.stderr, e.text("cli.progress.copy"))
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
		return fmt.Errorf("%s: %w", e.text("cli.copy.mismatch"), err)
	}
	rep.Rows = rows
	return e.print(rep, func(w io.Writer) {
		fmt.Fprintln(w, e.text("cli.copy.done", sqlitePath(*from), redacted(*to), time.Since(began).Seconds()))
		for _, t := range sqlite.Tables {
			fmt.Fprintln(w, e.text("cli.copy.table", t, rows[t]))
		}
		fmt.Fprintln(w, e.text("cli.copy.checked", rep.Schemes, rep.Subjects, rep.AsOf.Format(time.RFC3339)))
	})
}

// cmdMigrate brings a database's schema up to this binary's and says which
// migrations it has. Every command migrates on opening; this one does
// nothing else, for a deployment step before servers start.
func cmdMigrate(e *env, args []string) error {
	if _, err := e.parse(e.flags("migrate", ""), args); err != nil {
		return err
	}
	db, err := e.openStore(e.cfg.DB, false)
	if err != nil {
		return err
	}
	defer db.Close()
	applied, err := db.Migrations(e.ctx)
	if err != nil {
		return err
	}
	return e.print(map[string]any{"db": redacted(e.cfg.DB), "migrations": applied}, func(w io.Writer) {
		fmt.Fprintln(w, e.text("cli.migrate.done", redacted(e.cfg.DB), len(applied), applied[len(applied)-1]))
	})
}
