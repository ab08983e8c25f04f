package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/user"
	"strings"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/catalog"
	"github.com/tallycredit/tally/ledger"
)

// Exit codes, so scripts can tell bad input from a missing thing from a fault.
const (
	exitOK        = 0
	exitInternal  = 1
	exitInvalid   = 2 // bad input or usage
	exitNotFound  = 3
	exitConflict  = 4
	exitForbidden = 5
	exitTempFail  = 6 // the database is unavailable: try again later
)

func exitCode(err error) int {
	switch tally.ErrorCodeOf(err) {
	case "":
		return exitOK
	case tally.EInvalid:
		return exitInvalid
	case tally.ENotFound:
		return exitNotFound
	case tally.EConflict:
		return exitConflict
	case tally.EForbidden:
		return exitForbidden
	case tally.EUnavailable:
		return exitTempFail
	}
	return exitInternal
}

// exitStatus is returned by a command whose exit codes are its own (such
// as tally check): run exits with code, printing err if there is one.
type exitStatus struct {
	code int
	err  error
}

func (s *exitStatus) Error() string {
	if s.err != nil {
		return s.err.Error()
	}
	return fmt.Sprintf("exit status %d", s.code)
}

func (s *exitStatus) Unwrap() error { return s.err }

// env is what every command gets: its streams, its parsed common flags,
// and a way to open the ledger.
type env struct {
	ctx    context.Context
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	cfg    config
	// usages, when set, collects every flag set the command declares:
	// the command is being described (for docs/CLI.md), not run.
	usages *[]commandLine
	// docLang is the language of the documents a command writes (sheets,
	// boards, reports): Chinese, the residents' language, unless --lang
	// says otherwise, whatever the operator's own language.
	docLang string
}

// command is one subcommand; run gets the arguments after its name.
type command struct {
	summary string
	run     func(e *env, args []string) error
}

// commands is the command table: every subcommand in one place.
func commands() map[string]command {
	return map[string]command{
		"init":        {"create the database and its identity key", cmdInit},
		"rules":       {"lint, publish or show rulebooks (rules lint|publish|show)", cmdRules},
		"subjects":    {"add a person or organisation (subjects add)", cmdSubjects},
		"enrol":       {"enrol a subject in a scheme, with their consent decision", cmdEnrol},
		"record":      {"record conduct under a rule (--dry-run to preview)", cmdRecord},
		"reverse":     {"reverse a record, with a reason", cmdReverse},
		"import":      {"import records from a CSV or JSON Lines file", cmdImport},
		"score":       {"a subject's score and grade at an instant", cmdScore},
		"explain":     {"a score with every record in effect", cmdExplain},
		"history":     {"every record of a subject, reversals included", cmdHistory},
		"access":      {"who read or changed a subject's data, and why (the access log)", cmdAccess},
		"demo":        {"build a demo database with three schemes and a year of records", cmdDemo},
		"migrate":     {"bring the database schema up to this version", cmdMigrate},
		"copy":        {"copy a SQLite ledger into an empty PostgreSQL database and check it", cmdCopy},
		"serve":       {"serve the web pages and the JSON API (default on 127.0.0.1:8080)", cmdServe},
		"tokens":      {"create, list or revoke API tokens (tokens create|list|revoke)", cmdTokens},
		"gen":         {"write a synthetic population, its records and list entries as CSV files (for benchmarks)", cmdGen},
		"accounts":    {"web sign-in accounts (accounts create|list|disable|password)", cmdAccounts},
		"lists":       {"sanctions catalogue and list entries (lists publish|show|add|remove|import)", cmdLists},
		"check":       {"may a subject have a measure (air-travel, ...)? every reason, and how to lift it", cmdCheck},
		"close":       {"freeze a scheme's month: every subject's score, grade and marks", cmdClose},
		"sheet":       {"a closed month's tally sheet as CSV or an Excel workbook, or its totals", cmdSheet},
		"board":       {"a closed month's honour board as text or an A3 poster (SVG, PDF)", cmdBoard},
		"rewards":     {"a closed month's distribution list, with a signature column", cmdRewards},
		"publication": {"record whether a subject agrees to appear on the honour board", cmdPublication},
		"report":      {"issue a subject's signed credit report as a PDF", cmdReport},
		"verify":      {"is a credit report genuine and unaltered? when and for what was it issued", cmdVerify},
		"objections":  {"objections and appeals (objections file|list|ack|decide|appeal)", cmdObjections},
		"review":      {"records waiting for a second person (review pending|approve|reject)", cmdReview},
		"repair":      {"credit repair of a deduction (repair apply|list|decide)", cmdRepair},
		"notices":     {"notices to subjects: deliver, list, set an address (notices send|list|contact)", cmdNotices},
		"calendar":    {"the working-day calendar of due-process clocks (calendar import|show)", cmdCalendar},
		"commitments": {"credit commitments: signed and granted at once, then kept or broken (commitments sign|fulfil|breach|list)", cmdCommitments},
	}
}

// subcommand is one verb of a command that has verbs, such as "tokens
// create".
type subcommand struct {
	name string
	run  func(e *env, args []string) error
}

// dispatch runs the verb named by args[0], or says which verbs the command
// has.
func dispatch(e *env, command string, args []string, verbs ...subcommand) error {
	if e.describing() {
		return describeVerbs(e, verbs)
	}
	names := make([]string, len(verbs))
	for i, v := range verbs {
		names[i] = v.name
	}
	if len(args) == 0 {
		return e.errorf(tally.EInvalid, "cli.want_verb", command, strings.Join(names, "|"))
	}
	for _, v := range verbs {
		if v.name == args[0] {
			return v.run(e, args[1:])
		}
	}
	return e.errorf(tally.EInvalid, "cli.unknown_verb", command, args[0], strings.Join(names[:len(names)-1], ", "), names[len(names)-1])
}

// run executes one command line and returns the process exit code. A
// panic (a fault of tally, never of the input) ends the command with the
// internal exit code and one line saying so, not a stack dump: the last
// line of defence, since every command returns its errors.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) (code int) {
	defer func() {
		if v := recover(); v != nil {
			fmt.Fprintf(stderr, "tally: internal error: %v (this is a fault of tally; please report it with the command that caused it)\n", v)
			code = exitInternal
		}
	}()
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		return exitOK
	}
	cmd, ok := commands()[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "tally: %s\n\n", texts.In(langFromEnv()).Text("cli.unknown_command", args[0]))
		usage(stderr)
		return exitInvalid
	}
	e := &env{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr, cfg: defaultConfig(), docLang: catalog.Default}
	e.cfg.Lang = langFlag(args, e.cfg.Lang)
	err := cmd.run(e, args[1:])
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	var st *exitStatus
	if errors.As(err, &st) {
		if st.err != nil {
			e.fail(st.err)
		}
		return st.code
	}
	if err != nil {
		e.fail(err)
	}
	return exitCode(err)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "tally: a rule-of-law credit-points system\n\nusage: tally COMMAND [flags]\n\ncommands:")
	table := commands()
	for _, n := range commandNames(table) {
		fmt.Fprintf(w, "  %-10s %s\n", n, table[n].summary)
	}
	fmt.Fprintln(w, "\ncommon flags: --db ADDR (a SQLite file, default ./tally.db, or postgres://...), --key-file PATH, --json,\n  --by NAME, --purpose TEXT, and for remote mode --server URL --token TOKEN\nrun 'tally COMMAND --help' for a command's flags; see docs/CLI.md")
}

// fail prints an error: as JSON with --json, else as one line.
func (e *env) fail(err error) {
	if e.cfg.JSON {
		out := map[string]any{"error": err.Error(), "code": tally.ErrorCodeOf(err)}
		var te *tally.Error
		if errors.As(err, &te) && te.Field != "" {
			out["field"] = te.Field
		}
		_ = json.NewEncoder(e.stdout).Encode(out)
		return
	}
	fmt.Fprintf(e.stderr, "tally: %s\n", e.failure(err))
}

// config holds the settings common to every command.
type config struct {
	DB      string
	KeyFile string
	JSON    bool
	By      string
	Purpose string
	Server  string // remote mode: a tally server's base URL
	Token   string // remote mode: the API token
	Lang    string // the language of messages to the operator: zh or en
}

// builtinConfig returns the defaults before the environment has a say.
func builtinConfig() config {
	return config{DB: "tally.db", By: "cli", Purpose: "operator query at the command line"}
}

// defaultConfig reads the defaults and the TALLY_* environment overrides.
func defaultConfig() config {
	c := builtinConfig()
	if u, err := user.Current(); err == nil && u.Username != "" {
		c.By = "cli:" + u.Username
	}
	if v := os.Getenv("TALLY_DB"); v != "" {
		c.DB = v
	}
	if v := os.Getenv("TALLY_KEY_FILE"); v != "" {
		c.KeyFile = v
	}
	if v := os.Getenv("TALLY_BY"); v != "" {
		c.By = v
	}
	c.Server, c.Token = os.Getenv("TALLY_SERVER"), os.Getenv("TALLY_TOKEN")
	c.Lang = langFromEnv()
	return c
}

// flags returns a flag set with the common flags bound to e.cfg.
func (e *env) flags(name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.StringVar(&e.cfg.DB, "db", e.cfg.DB, "database: a SQLite file, or postgres://... (env TALLY_DB)")
	fs.StringVar(&e.cfg.KeyFile, "key-file", e.cfg.KeyFile, "identity key file (env TALLY_KEY_FILE; default: the database path + .key)")
	fs.BoolVar(&e.cfg.JSON, "json", false, "print machine-readable JSON")
	fs.StringVar(&e.cfg.By, "by", e.cfg.By, "who is acting, for the record (env TALLY_BY)")
	fs.StringVar(&e.cfg.Purpose, "purpose", e.cfg.Purpose, "why a person's record is read: kept in their access log")
	fs.StringVar(&e.cfg.Server, "server", e.cfg.Server, "remote mode: a tally server's URL (env TALLY_SERVER); score, explain, history, record and import work remotely")
	fs.StringVar(&e.cfg.Token, "token", e.cfg.Token, "remote mode: the API token (env TALLY_TOKEN)")
	fs.Func("lang", "language of messages and of documents written: zh or en (messages: env TALLY_LANG, else en when LC_ALL or LANG is English, else zh; documents: zh)", func(v string) error {
		if v != "zh" && v != "en" {
			return fmt.Errorf("want zh or en")
		}
		e.cfg.Lang, e.docLang = v, v
		return nil
	})
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "usage: tally %s %s\n", name, synopsis)
		fs.PrintDefaults()
	}
	if e.describing() {
		*e.usages = append(*e.usages, commandLine{name: name, synopsis: synopsis, flags: fs})
	}
	return fs
}

// parse parses flags anywhere among the arguments (tally score ID --json)
// and returns the positional arguments, checking there are want of them.
func parse(fs *flag.FlagSet, args []string, want ...string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, tally.Errorf(tally.EInvalid, "%v", err)
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
	if len(pos) != len(want) {
		return nil, tally.Errorf(tally.EInvalid, "want %d argument(s) (%s), got %d: %q", len(want), strings.Join(want, " "), len(pos), pos)
	}
	return pos, nil
}

// keyPath returns the identity key file: --key-file, or next to a SQLite
// database. A server database has no "next to": its key must be named.
func (e *env) keyPath() string {
	if e.cfg.KeyFile != "" || isPostgres(e.cfg.DB) {
		return e.cfg.KeyFile
	}
	return sqlitePath(e.cfg.DB) + ".key"
}

// open opens the database and the ledger over it. With create, a missing
// SQLite file and a missing key file are created.
func (e *env) open(create bool) (*ledger.Service, func(), error) {
	svc, db, err := e.openWith(e.cfg.DB, create)
	if err != nil {
		return nil, nil, err
	}
	return svc, func() { db.Close() }, nil
}

// openWith opens the database at addr with the identity key and returns
// the ledger over it and the store to close.
func (e *env) openWith(addr string, create bool) (*ledger.Service, store, error) {
	db, err := openStore(e.ctx, addr, create)
	if err != nil {
		return nil, nil, err
	}
	key, err := e.loadKey(create)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	vault, err := ledger.NewVault(key)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	svc := ledger.New(db, vault, ledger.Options{})
	// The operator at the command line holds the database and its key:
	// an admin, named by --by, and logged like any other.
	e.ctx = ledger.WithPurpose(ledger.WithActor(e.ctx, &tally.Actor{Name: e.cfg.By, Role: tally.Admin}), e.cfg.Purpose)
	if err := svc.Check(e.ctx); err != nil {
		db.Close()
		return nil, nil, err
	}
	return svc, db, nil
}

func (e *env) loadKey(create bool) ([]byte, error) {
	if v := os.Getenv("TALLY_KEY"); v != "" {
		key, err := ledger.ParseKey(v)
		if err != nil {
			return nil, tally.FieldErrorf("TALLY_KEY", "%v", err)
		}
		return key, nil
	}
	path := e.keyPath()
	if path == "" {
		return nil, tally.Errorf(tally.EInvalid, "with a server database, name the identity key: --key-file PATH, TALLY_KEY_FILE or TALLY_KEY")
	}
	text, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) && create {
		text = []byte(ledger.GenerateKey() + "\n")
		if err := writeNewPrivate(path, text); err != nil {
			return nil, fmt.Errorf("write identity key: %w", err)
		}
		fmt.Fprintf(e.stderr, "tally: generated a new identity key in %s: keep it safe and apart from backups of the database\n", path)
	} else if errors.Is(err, os.ErrNotExist) {
		return nil, tally.Errorf(tally.ENotFound, "no identity key at %s: run 'tally init', or pass --key-file or TALLY_KEY", path)
	} else if err != nil {
		return nil, fmt.Errorf("read identity key: %w", err)
	}
	key, err := ledger.ParseKey(string(text))
	if err != nil {
		return nil, tally.Errorf(tally.EInvalid, "%s: %v", path, err)
	}
	return key, nil
}

// print writes v as JSON with --json, else calls text.
func (e *env) print(v any, text func(w io.Writer)) error {
	if e.cfg.JSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(v)
	}
	text(e.stdout)
	return nil
}
