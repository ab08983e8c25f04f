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
	"time"

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
	// now, when set, is the clock of the ledger the command opens (the
	// demo's, which it turns back for a moment); nil is time.Now.
	now func() time.Time
	// logSettings is the transparency log's signer of the ledger the
	// command opens, for the commands that sign checkpoints.
	logSettings ledger.LogSettings
}

// command is one subcommand; run gets the arguments after its name. Its
// one-line summary is the catalogue's summaryKey(name).
type command struct {
	run func(e *env, args []string) error
}

// commands is the command table: every subcommand in one place.
func commands() map[string]command {
	return map[string]command{
		"init":        {cmdInit},
		"rules":       {cmdRules},
		"subjects":    {cmdSubjects},
		"enrol":       {cmdEnrol},
		"record":      {cmdRecord},
		"reverse":     {cmdReverse},
		"import":      {cmdImport},
		"score":       {cmdScore},
		"explain":     {cmdExplain},
		"history":     {cmdHistory},
		"access":      {cmdAccess},
		"demo":        {cmdDemo},
		"migrate":     {cmdMigrate},
		"copy":        {cmdCopy},
		"serve":       {cmdServe},
		"tokens":      {cmdTokens},
		"gen":         {cmdGen},
		"accounts":    {cmdAccounts},
		"lists":       {cmdLists},
		"check":       {cmdCheck},
		"close":       {cmdClose},
		"sheet":       {cmdSheet},
		"board":       {cmdBoard},
		"rewards":     {cmdRewards},
		"publication": {cmdPublication},
		"report":      {cmdReport},
		"verify":      {cmdVerify},
		"objections":  {cmdObjections},
		"review":      {cmdReview},
		"repair":      {cmdRepair},
		"notices":     {cmdNotices},
		"calendar":    {cmdCalendar},
		"commitments": {cmdCommitments},
		"proposals":   {cmdProposals},
		"agreements":  {cmdAgreements},
		"exchange":    {cmdExchange},
		"log":         {cmdLog},
		"nats":        {cmdNats},
		"verifier":    {cmdVerifier},
		"audit":       {cmdAudit},
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
			fmt.Fprintf(stderr, "tally: %s\n", texts.In(langFlag(args, langFromEnv())).Text("cli.panic", v))
			code = exitInternal
		}
	}()
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout, langFlag(args, langFromEnv()))
		return exitOK
	}
	cmd, ok := commands()[args[0]]
	if !ok {
		lang := langFlag(args, langFromEnv())
		fmt.Fprintf(stderr, "tally: %s\n\n", texts.In(lang).Text("cli.unknown_command", args[0]))
		usage(stderr, lang)
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

// usage prints what tally does and its commands, in lang.
func usage(w io.Writer, lang string) {
	m := texts.In(lang)
	fmt.Fprintln(w, m.Text("cli.usage_head"))
	for _, n := range commandNames(commands()) {
		fmt.Fprintf(w, "  %-11s %s\n", n, m.Text(summaryKey(n)))
	}
	fmt.Fprintln(w, m.Text("cli.usage_tail"))
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
	// The purpose is kept in the subject's access log, which residents
	// read: in their language, whatever the operator's.
	return config{DB: "tally.db", By: "cli", Purpose: texts.In(catalog.Default).Text("cli.purpose_default")}
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

// flags returns a flag set with the common flags bound to e.cfg. Its
// usage and errors are in the operator's language (see e.parse).
func (e *env) flags(name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // the flag package's own English; e.parse says it again
	fs.StringVar(&e.cfg.DB, "db", e.cfg.DB, e.text("cli.flag.db"))
	fs.StringVar(&e.cfg.KeyFile, "key-file", e.cfg.KeyFile, e.text("cli.flag.key_file"))
	fs.BoolVar(&e.cfg.JSON, "json", false, e.text("cli.flag.json"))
	fs.StringVar(&e.cfg.By, "by", e.cfg.By, e.text("cli.flag.by"))
	fs.StringVar(&e.cfg.Purpose, "purpose", e.cfg.Purpose, e.text("cli.flag.purpose"))
	fs.StringVar(&e.cfg.Server, "server", e.cfg.Server, e.text("cli.flag.server"))
	fs.StringVar(&e.cfg.Token, "token", e.cfg.Token, e.text("cli.flag.token"))
	fs.Func("lang", e.text("cli.flag.lang"), func(v string) error {
		if v != "zh" && v != "en" {
			return errors.New(e.text("cli.lang_want"))
		}
		e.cfg.Lang, e.docLang = v, v
		return nil
	})
	fs.Usage = func() { e.printUsage(name, synopsis, fs) }
	if e.describing() {
		*e.usages = append(*e.usages, commandLine{name: name, synopsis: synopsis, flags: fs})
	}
	return fs
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
	db, err := e.openStore(addr, create)
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
	svc := ledger.New(db, vault, ledger.Options{Now: e.now, Log: e.logSettings})
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
			return nil, e.fieldErrorf("TALLY_KEY", "cli.key_bad", "TALLY_KEY", err)
		}
		return key, nil
	}
	path := e.keyPath()
	if path == "" {
		return nil, e.errorf(tally.EInvalid, "cli.key_needed")
	}
	text, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) && create {
		text = []byte(ledger.GenerateKey() + "\n")
		if err := writeNewPrivate(path, text); err != nil {
			return nil, fmt.Errorf("%s: %w", e.text("cli.key_write"), err)
		}
		fmt.Fprintf(e.stderr, "tally: %s\n", e.text("cli.key_generated", path))
	} else if errors.Is(err, os.ErrNotExist) {
		return nil, e.errorf(tally.ENotFound, "cli.key_missing", path)
	} else if err != nil {
		return nil, fmt.Errorf("%s: %w", e.text("cli.key_read"), err)
	}
	key, err := ledger.ParseKey(string(text))
	if err != nil {
		return nil, e.errorf(tally.EInvalid, "cli.key_bad", path, err)
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
