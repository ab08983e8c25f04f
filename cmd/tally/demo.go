package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/demo"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/sqlite"
)

// demoMarker is the meta entry that tells a demo database from a real one,
// so that 'tally demo' rebuilds only its own files.
const demoMarker = "demo"

func cmdDemo(e *env, args []string) error {
	e.cfg.DB = "demo.db"
	fs := e.flags("demo", "[--db demo.db]")
	var opts demo.Options
	fs.IntVar(&opts.Villagers, "villagers", demo.DefaultVillagers, "persons in the village scheme")
	fs.IntVar(&opts.Residents, "residents", demo.DefaultResidents, "persons in the city scheme")
	fs.IntVar(&opts.Shops, "shops", demo.DefaultShops, "shops in the market scheme")
	fs.Uint64Var(&opts.Seed, "seed", demo.DefaultSeed, "random seed: the same seed gives the same people and records")
	serveToo := fs.Bool("serve", true, "then serve the pages and the API until interrupted (--serve=false to stop after building)")
	sf := serveFlags{}
	fs.StringVar(&sf.addr, "addr", envOr("TALLY_ADDR", defaultAddr), "address to serve on")
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	if isPostgres(e.cfg.DB) {
		return tally.FieldErrorf("db", "the demo builds a SQLite file; to try PostgreSQL, build it and then run tally copy --from sqlite:demo.db --to %s", redacted(e.cfg.DB))
	}
	e.cfg.DB = sqlitePath(e.cfg.DB)
	if err := clearDemo(e); err != nil {
		return err
	}
	svc, done, err := e.open(true)
	if err != nil {
		return err
	}
	defer done()
	// Marked first, so that a build that fails halfway can be rebuilt.
	if err := markDemo(e); err != nil {
		return err
	}
	bar := newProgress(e.stderr, "demo")
	opts.Progress = func(stage string, n, total int) { bar.show("%s %d/%d", stage, n, total) }
	began := time.Now()
	sum, err := demo.Build(e.ctx, svc, opts)
	bar.done()
	if err != nil {
		return err
	}
	err = e.print(sum, func(w io.Writer) {
		printDemo(w, e.cfg.DB, sum, time.Since(began))
		if !*serveToo {
			printTour(w, sf.addr, sum)
			fmt.Fprintf(w, "\n开始 / to open them: go run ./cmd/tally serve --db %s\n", e.cfg.DB)
		}
	})
	if err != nil || !*serveToo {
		return err
	}
	return serve(e, svc, sf, func(addr string) { printAccounts(e.stdout, addr, sum) })
}

// printAccounts tells how to sign in to the demo's pages.
func printAccounts(w io.Writer, addr string, sum *demo.Summary) {
	fmt.Fprintf(w, "\nopen http://%s/ and sign in as (demo passwords, never for real use):\n", addr)
	for _, a := range sum.Accounts {
		scope := ""
		if a.Scope != "" {
			scope = "  " + a.Scope
		}
		fmt.Fprintf(w, "  %-11s %-12s password %-22s%s\n", a.Role, a.Name, a.Password, scope)
	}
	printTour(w, addr, sum)
	fmt.Fprintln(w, "press Ctrl-C to stop")
}

// printTour tells where to click to see each part of the demo, and as
// whom: Chinese first, then English.
func printTour(w io.Writer, addr string, sum *demo.Summary) {
	passwords := map[string]string{}
	for _, a := range sum.Accounts {
		passwords[a.Name] = a.Password
	}
	fmt.Fprintln(w, "\n在哪里看 / where to click:")
	for _, s := range sum.Tour {
		who := "无需登录 / no sign-in"
		if s.Account != "" {
			who = fmt.Sprintf("登录 / sign in as: %s (密码 / password %s)", s.Account, passwords[s.Account])
		}
		fmt.Fprintf(w, "  %s / %s\n    http://%s%s\n    %s\n    看 / look for: 「%s」\n", s.Zh, s.En, addr, s.Path, who, s.Look)
		if s.Absent != "" {
			fmt.Fprintf(w, "    不在榜上 / not on it: 「%s」（未同意公开 / did not agree to be named）\n", s.Absent)
		}
	}
}

// clearDemo removes a previous demo database at the demo path, and refuses
// to touch a file that is not one.
func clearDemo(e *env) error {
	if _, err := os.Stat(e.cfg.DB); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	db, err := sqlite.Open(e.ctx, e.cfg.DB)
	if err != nil {
		return err
	}
	err = db.View(e.ctx, func(tx ledger.Tx) error {
		_, err := tx.Meta(e.ctx, demoMarker)
		return err
	})
	db.Close()
	if tally.ErrorCodeOf(err) == tally.ENotFound {
		return tally.Errorf(tally.EConflict, "%s exists and is not a demo database: pass another --db", e.cfg.DB)
	}
	if err != nil {
		return err
	}
	for _, suffix := range []string{"", "-wal", "-shm", ".key"} {
		if err := os.Remove(e.cfg.DB + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return nil
}

func markDemo(e *env) error {
	db, err := sqlite.Open(e.ctx, e.cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	return db.Update(e.ctx, func(tx ledger.Tx) error { return tx.SetMeta(e.ctx, demoMarker, "true") })
}

func printDemo(w io.Writer, path string, sum *demo.Summary, took time.Duration) {
	fmt.Fprintf(w, "demo database ready: %s (built in %.1fs)\n\n", path, took.Seconds())
	for _, d := range sum.Schemes {
		fmt.Fprintf(w, "%-15s %5d subjects, %6d records, %d scored, %d not scored (no consent or minors)", d.Scheme, d.Subjects, d.Records, d.Scored, d.Unscored)
		if len(d.Grades) > 0 {
			var parts []string
			for _, g := range d.Grades {
				parts = append(parts, fmt.Sprintf("%s %d", g.Grade, g.Subjects))
			}
			fmt.Fprintf(w, "\n                grades: %s", strings.Join(parts, ", "))
		}
		fmt.Fprintln(w)
	}
	city, village := sum.Try["rongcheng-city"], sum.Try["jiakuang-majia"]
	fmt.Fprintf(w, `
try next (identifiers are synthetic):
  go run ./cmd/tally rules show rongcheng-city --db %[1]s
  go run ./cmd/tally score %[2]s --scheme rongcheng-city --db %[1]s
  go run ./cmd/tally explain %[3]s --scheme jiakuang-majia --db %[1]s
  go run ./cmd/tally history %[2]s --scheme rongcheng-city --db %[1]s --json
`, path, city.Identifier, village.Identifier)
}
