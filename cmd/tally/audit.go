package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strings"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/catalog"
	"github.com/tallycredit/tally/exchange"
	"github.com/tallycredit/tally/witness"
	"golang.org/x/mod/sumdb/note"
)

// defaultAuditEvery is how often audit reads the log it follows.
const defaultAuditEvery = time.Minute

// defaultWitnessEvery is how often a witness serving its cosignatures
// (--listen) reads and cosigns, unless told: a quarter of the verifiers'
// default --max-lag, so that its cosignature does not lapse between
// rounds.
const defaultWitnessEvery = exchange.DefaultMaxLag / 4

// cmdAudit follows another instance's transparency log as an auditor (and,
// with a key, a witness): every --every it checks the log's latest
// checkpoint against the last it trusted, and stops with an alert on a
// fork, a rollback or a key change (package witness). A witness can serve
// what it cosigned (--listen) and print its verifier key (--print-key).
func cmdAudit(e *env, args []string) error {
	fs := e.flags("audit", "--from URL --key VERIFIERKEY --state DIR [--witness-key FILE [--listen HOST:PORT]] [--every 1m] [--once] | --witness-key FILE --print-key [--witness-name NAME]")
	var from, key, state, witnessKey, listen, witnessName string
	var every time.Duration
	var once, printKey bool
	fs.StringVar(&from, "from", "", e.text("cli.flag.audit_from"))
	fs.StringVar(&key, "key", "", e.text("cli.flag.audit_key"))
	fs.StringVar(&state, "state", "", e.text("cli.flag.audit_state"))
	fs.StringVar(&witnessKey, "witness-key", "", e.text("cli.flag.audit_witness_key"))
	fs.StringVar(&listen, "listen", "", e.text("cli.flag.audit_listen"))
	fs.BoolVar(&printKey, "print-key", false, e.text("cli.flag.audit_print_key"))
	fs.StringVar(&witnessName, "witness-name", "", e.text("cli.flag.audit_witness_name"))
	fs.DurationVar(&every, "every", defaultAuditEvery, e.text("cli.flag.audit_every"))
	fs.BoolVar(&once, "once", false, e.text("cli.flag.audit_once"))
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	if printKey {
		return printWitnessKey(e, witnessKey, witnessName)
	}
	switch {
	case from == "":
		return e.fieldErrorf("--from", "cli.audit.want_from")
	case state == "":
		return e.fieldErrorf("--state", "cli.audit.want_state")
	case every <= 0:
		return e.fieldErrorf("--every", "cli.want_interval", every)
	case listen != "" && (witnessKey == "" || once):
		return e.fieldErrorf("--listen", "cli.audit.listen_needs")
	}
	v, err := note.NewVerifier(strings.TrimSpace(key))
	if err != nil {
		return e.fieldErrorf("--key", "cli.audit.bad_key", key)
	}
	w := &witness.Witness{From: from, Log: v, Dir: state}
	if witnessKey != "" {
		text, err := os.ReadFile(witnessKey)
		if err != nil {
			return fmt.Errorf("%s: %w", e.text("cli.audit.witness_key_read", witnessKey), err)
		}
		if w.Cosigner, err = witness.NewCosigner(string(text)); err != nil {
			return e.fieldErrorf("--witness-key", "cli.audit.witness_key_bad", witnessKey)
		}
	}
	if once {
		return auditOnce(e, w)
	}
	if listen != "" {
		if !flagSet(fs, "every") {
			every = defaultWitnessEvery
		}
		stop, err := serveCosigned(e, listen, state, every)
		if err != nil {
			return err
		}
		defer stop()
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		err := auditOnce(e, w)
		if a := (*witness.Alert)(nil); errors.As(err, &a) {
			return err
		}
		if err != nil { // the log could not be read: that proves nothing against it
			fmt.Fprintf(e.stderr, "tally: %s\n", e.text("cli.audit.unreachable", e.failure(err)))
		}
		select {
		case <-e.ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}

// auditOnce checks the log once and says what it found.
func auditOnce(e *env, w *witness.Witness) error {
	seen, err := w.Check(e.ctx)
	if a := (*witness.Alert)(nil); errors.As(err, &a) {
		return auditAlert(a)
	}
	if err != nil {
		return err
	}
	c := seen.Checkpoint
	if seen.Grew {
		fmt.Fprintln(e.stdout, e.text("cli.audit.trusted", c.Origin, c.Size, c.Root))
	} else {
		fmt.Fprintln(e.stdout, e.text("cli.audit.unchanged", c.Origin, c.Size))
	}
	if seen.Cosigned != nil {
		fmt.Fprintln(e.stdout, e.text("cli.audit.cosigned", w.Dir))
		fmt.Fprint(e.stdout, string(seen.Cosigned))
	}
	return nil
}

// auditAlert is the error an alert ends audit with: said in Chinese and
// in English whatever the operator's language, as it is evidence to pass
// on, with where the evidence is kept.
func auditAlert(a *witness.Alert) error {
	var said []string
	for _, lang := range []string{"zh", "en"} {
		said = append(said, texts.In(lang).Text("cli.audit.alert", catalog.ErrorText(lang, a.AuditError.Err), a.Evidence))
	}
	return &tally.Error{Code: tally.EConflict, Message: strings.Join(said, "\n"), Err: a}
}

// serveCosigned serves the witness's latest cosigned checkpoint on addr
// until the returned stop, saying where and how often it cosigns.
func serveCosigned(e *env, addr, state string, every time.Duration) (stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, e.fieldErrorf("--listen", "cli.audit.listen_failed", addr, err)
	}
	srv := witness.NewServer(addr, state, slog.New(slog.NewTextHandler(e.stderr, nil)))
	go func() { _ = srv.Serve(ln) }()
	fmt.Fprintln(e.stdout, e.text("cli.audit.listening", "http://"+ln.Addr().String()+witness.CheckpointPath, every))
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}, nil
}

// printWitnessKey prints the cosignature/v1 verifier key of the witness
// key in file, which readers that require this witness are given; with a
// name, a missing file is first made with a new key of that name.
func printWitnessKey(e *env, file, name string) error {
	if file == "" {
		return e.fieldErrorf("--witness-key", "cli.audit.want_witness_key")
	}
	text, err := os.ReadFile(file)
	if errors.Is(err, os.ErrNotExist) && name != "" {
		skey, _, gerr := note.GenerateKey(rand.Reader, name)
		if gerr != nil {
			return e.fieldErrorf("--witness-name", "cli.audit.bad_witness_name", name)
		}
		text = []byte(skey + "\n")
		if err = writeNewPrivate(file, text); err != nil {
			return fmt.Errorf("%s: %w", e.text("cli.audit.witness_key_write", file), err)
		}
		fmt.Fprintf(e.stderr, "tally: %s\n", e.text("cli.audit.witness_key_made", file))
	}
	if err != nil {
		return fmt.Errorf("%s: %w", e.text("cli.audit.witness_key_read", file), err)
	}
	vkey, err := witness.CosignerKey(string(text))
	if err != nil {
		return e.fieldErrorf("--witness-key", "cli.audit.witness_key_bad", file)
	}
	fmt.Fprintln(e.stdout, vkey)
	return nil
}
