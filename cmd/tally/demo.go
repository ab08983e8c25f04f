package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/catalog"
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
	fs.IntVar(&opts.Villagers, "villagers", demo.DefaultVillagers, e.text("cli.flag.villagers"))
	fs.IntVar(&opts.Residents, "residents", demo.DefaultResidents, e.text("cli.flag.residents"))
	fs.IntVar(&opts.Shops, "shops", demo.DefaultShops, e.text("cli.flag.shops"))
	fs.Uint64Var(&opts.Seed, "seed", demo.DefaultSeed, e.text("cli.flag.demo_seed"))
	serveToo := fs.Bool("serve", true, e.text("cli.flag.demo_serve"))
	sf := serveFlags{logEvery: defaultLogCheckpointEvery}
	fs.StringVar(&sf.addr, "addr", envOr("TALLY_ADDR", defaultAddr), e.text("cli.flag.demo_addr"))
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	if isPostgres(e.cfg.DB) {
		return e.fieldErrorf("db", "cli.demo.sqlite_only", redacted(e.cfg.DB))
	}
	e.cfg.DB = sqlitePath(e.cfg.DB)
	// The airline's first: a refusal there leaves the demo's as it is.
	if err := clearDemo(e.airlineEnv()); err != nil {
		return err
	}
	if err := clearDemo(e); err != nil {
		return err
	}
	opts.Clock = demo.NewClock(time.Now)
	e.now = opts.Clock.Now
	svc, done, err := e.open(true)
	if err != nil {
		return err
	}
	defer done()
	// Marked first, so that a build that fails halfway can be rebuilt.
	if err := markDemo(e); err != nil {
		return err
	}
	bar := newProgress(e.stderr, e.text("cli.progress.demo"))
	opts.Progress = func(stage string, n, total int) { bar.show("%s %d/%d", stage, n, total) }
	began := time.Now()
	sum, err := demo.Build(e.ctx, svc, opts)
	bar.done()
	if err != nil {
		return err
	}
	token, err := buildAirline(e)
	if err != nil {
		return err
	}
	err = e.print(sum, func(w io.Writer) {
		printDemo(w, e.msgs(), e.cfg.DB, sum, time.Since(began))
		if !*serveToo {
			printTour(w, e.msgs(), sf.addr, e.cfg.DB, sum)
			fmt.Fprintln(w, "\n"+e.text("cli.demo.to_open", e.cfg.DB))
		}
	})
	if err != nil || !*serveToo {
		return err
	}
	// Served as tally serve serves a named instance: with the log's
	// signer, which the demo's name, given during the build, makes possible.
	served, closeServed, err := e.openLogged(sf.signKey, true, true)
	if err != nil {
		return err
	}
	defer closeServed()
	// The court publishes to an airline's verifier, served beside it.
	airline, stop, err := runDemoExchange(e, served, &sf, token)
	if err != nil {
		return err
	}
	defer stop()
	return serve(e, served, sf, func(addr string) { printAccounts(e.stdout, e.msgs(), addr, e.cfg.DB, sum, airline) })
}

// printAccounts tells how to sign in to the demo's pages, and where to
// click, the airline's verifier included.
func printAccounts(w io.Writer, m catalog.Catalogue, addr, db string, sum *demo.Summary, airline demoAirline) {
	fmt.Fprintln(w, "\n"+m.Text("cli.demo.open", addr))
	for _, a := range sum.Accounts {
		scope := ""
		if a.Scope != "" {
			scope = "  " + a.Scope
		}
		fmt.Fprintf(w, "  %-11s %-12s %s %-22s%s\n", a.Role, a.Name, m.Text("cli.demo.password"), a.Password, scope)
	}
	printTour(w, m, addr, db, sum)
	printAirline(w, m, airline, db, sum.Exchange)
	fmt.Fprintln(w, m.Text("cli.demo.stop"))
}

// printTour tells where to click, or what to run on the database db, to
// see each part of the demo, and as whom, in the operator's language.
func printTour(w io.Writer, m catalog.Catalogue, addr, db string, sum *demo.Summary) {
	passwords := map[string]string{}
	for _, a := range sum.Accounts {
		passwords[a.Name] = a.Password
	}
	fmt.Fprintln(w, "\n"+m.Text("cli.demo.tour"))
	for _, s := range sum.Tour {
		if s.Command != "" {
			fmt.Fprintf(w, "  %s\n    %s\n    %s\n", s.In(lang(m)), m.Text("cli.demo.run", "go run ./cmd/tally "+s.Command+" --db "+db),
				m.Text("cli.demo.look_for", s.Look.In(lang(m))))
			continue
		}
		who := m.Text("cli.demo.no_sign_in")
		if s.Account != "" {
			who = m.Text("cli.demo.sign_in_as", s.Account, passwords[s.Account])
		}
		fmt.Fprintf(w, "  %s\n    http://%s%s\n    %s\n    %s\n", s.In(lang(m)), addr, s.Path, who, m.Text("cli.demo.look_for", s.Look.In(lang(m))))
		if s.Absent != "" {
			fmt.Fprintln(w, "    "+m.Text("cli.demo.absent", s.Absent))
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
		return e.errorf(tally.EConflict, "cli.demo.not_demo", e.cfg.DB)
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

func printDemo(w io.Writer, m catalog.Catalogue, path string, sum *demo.Summary, took time.Duration) {
	fmt.Fprintln(w, m.Text("cli.demo.ready", path, took.Seconds())+"\n")
	for _, d := range sum.Schemes {
		fmt.Fprintf(w, "%-15s %s", d.Scheme, m.Text("cli.demo.scheme", d.Subjects, d.Records, d.Scored, d.Unscored))
		if len(d.Grades) > 0 {
			var parts []string
			for _, g := range d.Grades {
				parts = append(parts, fmt.Sprintf("%s %d", g.Grade, g.Subjects))
			}
			fmt.Fprintf(w, "\n                %s", m.Text("cli.demo.grades", strings.Join(parts, ", ")))
		}
		fmt.Fprintln(w)
	}
	city, village := sum.Try["rongcheng-city"], sum.Try["jiakuang-majia"]
	fmt.Fprintf(w, "\n%s\n", m.Text("cli.demo.try_next"))
	fmt.Fprintf(w, `  go run ./cmd/tally rules show rongcheng-city --db %[1]s
  go run ./cmd/tally score %[2]s --scheme rongcheng-city --db %[1]s
  go run ./cmd/tally explain %[3]s --scheme jiakuang-majia --db %[1]s
  go run ./cmd/tally history %[2]s --scheme rongcheng-city --db %[1]s --json
`, path, city.Identifier, village.Identifier)
}
