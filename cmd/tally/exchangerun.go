package main

import (
	"context"
	"crypto/ed25519"
	"errors"
	"flag"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/exchange"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/witness"
	"golang.org/x/mod/sumdb/note"
)

// The ledger is the exchange's outbox and inbox.
var (
	_ exchange.Outbox = (*ledger.Service)(nil)
	_ exchange.Inbox  = (*ledger.Service)(nil)
)

// exchangeFlags are the settings of an instance on the exchange, shared
// by serve and verifier.
type exchangeFlags struct {
	nats     string        // NATS server URLs, comma-separated; "" is off
	replicas int           // copies of the streams this instance creates
	trust    []string      // note verifier keys of the issuers it takes changes from
	maxLag   time.Duration // how long checks go on without a word from an issuer
	verifier bool          // checks answer only from the stream: always fail closed
	// audit names an issuer's log that checks also wait on: audited
	// within maxLag and never found misbehaving.
	audit auditFlags
}

// auditFlags name the issuer's log a verifier audits before it answers,
// and the third-party witnesses of that log it requires.
type auditFlags struct {
	url, key, state string
	witnesses       []string // URL=KEY
	quorum          int      // how many witnesses must count; 0: all
}

// set reports whether any of the audit's flags is given.
func (a auditFlags) set() bool {
	return a.url != "" || a.key != "" || a.state != "" || len(a.witnesses) > 0 || a.quorum != 0
}

// bind adds the exchange's flags to fs.
func (x *exchangeFlags) bind(e *env, fs *flag.FlagSet) {
	fs.StringVar(&x.nats, "nats", envOr("TALLY_NATS", ""), e.text("cli.flag.nats"))
	fs.IntVar(&x.replicas, "nats-replicas", 1, e.text("cli.flag.nats_replicas"))
	fs.Func("trust", e.text("cli.flag.trust"), func(v string) error {
		x.trust = append(x.trust, strings.TrimSpace(v))
		return nil
	})
	fs.DurationVar(&x.maxLag, "max-lag", exchange.DefaultMaxLag, e.text("cli.flag.max_lag"))
	fs.StringVar(&x.audit.url, "audit-log", "", e.text("cli.flag.audit_log"))
	fs.StringVar(&x.audit.key, "audit-key", "", e.text("cli.flag.audit_log_key"))
	fs.StringVar(&x.audit.state, "audit-state", "", e.text("cli.flag.audit_log_state"))
	fs.Func("witness", e.text("cli.flag.witness"), func(v string) error {
		x.audit.witnesses = append(x.audit.witnesses, strings.TrimSpace(v))
		return nil
	})
	fs.IntVar(&x.audit.quorum, "witnesses", 0, e.text("cli.flag.witnesses"))
}

// auditGate starts the audit of the issuer's log that x names, and
// returns what checks must ask (nil when x names none).
func auditGate(e *env, x exchangeFlags, log *slog.Logger) (func() error, error) {
	a := x.audit
	if a.url == "" {
		switch {
		case len(a.witnesses) > 0 || a.quorum != 0:
			return nil, e.fieldErrorf("--witness", "cli.exchange.witness_needs_audit")
		case a.key != "" || a.state != "":
			return nil, e.fieldErrorf("--audit-log", "cli.exchange.audit_needs", "--audit-log")
		}
		return nil, nil
	}
	if a.key == "" {
		return nil, e.fieldErrorf("--audit-key", "cli.exchange.audit_needs", "--audit-key")
	}
	v, err := note.NewVerifier(strings.TrimSpace(a.key))
	if err != nil {
		return nil, e.fieldErrorf("--audit-key", "cli.audit.bad_key", a.key)
	}
	if a.state == "" {
		var ok bool
		if a.state, ok = defaultAuditState(e); !ok {
			return nil, e.fieldErrorf("--audit-state", "cli.exchange.audit_needs", "--audit-state")
		}
	}
	required, err := requiredWitnesses(e, a)
	if err != nil {
		return nil, err
	}
	// Audited four times within the bound, so one failed fetch does not
	// stop the checks.
	g := &witness.Gate{Witness: &witness.Witness{From: a.url, Log: v, Dir: a.state}, MaxLag: x.maxLag, Every: x.maxLag / 4,
		Witnesses: required, Quorum: a.quorum, Log: log}
	if g.Quorum == 0 {
		g.Quorum = len(required)
	}
	go g.Run(e.ctx)
	log.Info("checks wait on the audit of an issuer's log", "log", v.Name(), "from", redacted(a.url), "state", a.state,
		"witnesses", len(required), "required", g.Quorum)
	return g.Heard, nil
}

// requiredWitnesses reads the --witness URL=KEY flags and checks
// --witnesses against them.
func requiredWitnesses(e *env, a auditFlags) ([]witness.Required, error) {
	var out []witness.Required
	for _, w := range a.witnesses {
		url, key, _ := strings.Cut(w, "=")
		v, err := witness.NewCosignatureVerifier(key)
		if err != nil || !(strings.HasPrefix(url, "http://") || strings.HasPrefix(url, "https://")) {
			return nil, e.fieldErrorf("--witness", "cli.exchange.bad_witness", w)
		}
		out = append(out, witness.Required{URL: url, Key: v})
	}
	if a.quorum < 0 || a.quorum > len(out) {
		return nil, e.fieldErrorf("--witnesses", "cli.exchange.want_witnesses", a.quorum, len(out))
	}
	return out, nil
}

// both returns what asks a and then b, either of which may be nil.
func both(a, b func() error) func() error {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	}
	return func() error {
		if err := a(); err != nil {
			return err
		}
		return b()
	}
}

// startExchange connects the instance to NATS and runs, until e.ctx
// ends, its publisher (every instance: its outbox and heartbeats) and,
// when it takes changes in, its receiver. It returns what the check index
// must ask before each check (nil: nothing), and the publisher's wake-up.
func startExchange(e *env, svc *ledger.Service, x exchangeFlags, signKey string, log *slog.Logger) (upstream func() error, notify func(), err error) {
	if x.nats == "" {
		switch {
		case x.verifier:
			return nil, nil, e.fieldErrorf("--nats", "cli.exchange.want_nats")
		case x.audit.set():
			return nil, nil, e.fieldErrorf("--audit-log", "cli.exchange.audit_needs", "--nats")
		}
		return nil, nil, nil
	}
	if x.replicas < 1 || x.replicas > 5 {
		return nil, nil, e.fieldErrorf("--nats-replicas", "cli.exchange.want_replicas", x.replicas)
	}
	// Issuers send a heartbeat every exchange.DefaultHeartbeat: a shorter
	// bound than two of them would stop checks between heartbeats.
	if x.maxLag < 2*exchange.DefaultHeartbeat {
		return nil, nil, e.fieldErrorf("--max-lag", "cli.exchange.want_lag", x.maxLag, 2*exchange.DefaultHeartbeat)
	}
	gate, err := auditGate(e, x, log)
	if err != nil {
		return nil, nil, err
	}
	name, err := svc.InstanceName(e.ctx)
	if err != nil {
		return nil, nil, err
	}
	issuers, err := svc.Issuers(e.ctx)
	if err != nil {
		return nil, nil, err
	}
	trusted, err := exchange.Trust(x.trust...)
	if err != nil {
		return nil, nil, e.fieldErrorf("--trust", "cli.exchange.bad_trust", err)
	}
	if (x.verifier || len(issuers) > 0) && len(x.trust) == 0 {
		return nil, nil, e.fieldErrorf("--trust", "cli.exchange.want_trust", name, strings.Join(issuers, ", "))
	}
	key, err := e.loadSignKey(svc, e.signKeyPath(signKey), true)
	if err != nil {
		return nil, nil, err
	}
	signer, err := exchange.NewSigner(name, key)
	if err != nil {
		return nil, nil, err
	}
	// Started even while NATS is down: the outbox keeps every change, and a
	// verifier answers "cannot answer" until the stream is heard.
	nc, err := nats.Connect(x.nats, nats.Name("tally "+name), nats.RetryOnFailedConnect(true), nats.MaxReconnects(-1),
		nats.ReconnectWait(500*time.Millisecond))
	if err != nil {
		return nil, nil, e.fieldErrorf("--nats", "cli.exchange.connect", redacted(x.nats), err)
	}
	ctx := ledger.WithActor(context.WithoutCancel(e.ctx), &tally.Actor{Name: "exchange", Role: tally.Admin})
	ctx = ledger.WithPurpose(ctx, "exchange")
	run := func(what string, fn func(context.Context) error) {
		go func() {
			if err := fn(ctx); err != nil {
				log.Error("exchange: "+what+" stopped", "err", err)
			}
		}()
	}
	go func() { <-e.ctx.Done(); nc.Close() }()
	var pub *exchange.Publisher
	if !x.verifier {
		if pub, err = exchange.NewPublisher(svc, signer, nc, exchange.PublisherOptions{Replicas: x.replicas, Logger: log}); err != nil {
			return nil, nil, err
		}
		run("publisher", withCancel(e.ctx, pub.Run))
		notify = pub.Notify
	}
	if x.verifier || len(issuers) > 0 {
		fresh := &exchange.Freshness{MaxLag: x.maxLag}
		fresh.Expect(issuers)
		rcv, err := exchange.NewReceiver(svc, name, trusted, nc, fresh, exchange.ReceiverOptions{Replicas: x.replicas, Logger: log})
		if err != nil {
			return nil, nil, err
		}
		run("receiver", withCancel(e.ctx, rcv.Run))
		if x.verifier || receivesLists(e, svc, name) {
			upstream = fresh.Check
		}
	}
	upstream = both(upstream, gate)
	log.Info("exchange on", "instance", name, "key", publicKey(name, key), "receives_from", issuers)
	return upstream, notify, nil
}

// withCancel runs fn with a context that ends with parent's, keeping the
// values (the actor) of the context it is given.
func withCancel(parent context.Context, fn func(context.Context) error) func(context.Context) error {
	return func(ctx context.Context) error {
		ctx, cancel := context.WithCancel(ctx)
		stop := context.AfterFunc(parent, cancel)
		defer stop()
		defer cancel()
		return fn(ctx)
	}
}

// receivesLists reports whether an agreement in force brings list
// entries to this instance: its checks then depend on the stream.
func receivesLists(e *env, svc *ledger.Service, name string) bool {
	as, err := svc.Agreements(e.ctx)
	if err != nil {
		return true // cannot tell: fail closed
	}
	for _, a := range as {
		if a.Receiver == name && len(a.Lists) > 0 {
			return true
		}
	}
	return false
}

// publicKey is the instance's note verifier key, for the log.
func publicKey(name string, key ed25519.PrivateKey) string {
	k, err := exchange.VerifierKey(name, key.Public().(ed25519.PublicKey))
	if err != nil {
		return ""
	}
	return k
}

// streamQuiet is the fail-closed rule of a check made at the command line
// on an instance that takes list entries from the exchange: the error
// checks answer while an issuer's last kept heartbeat is older than
// maxLag, nil when the instance takes none.
func streamQuiet(e *env, svc *ledger.Service, maxLag time.Duration) error {
	name, err := svc.InstanceName(e.ctx)
	if tally.ErrorCodeOf(err) == tally.ENotFound {
		return nil
	}
	if err != nil {
		return err
	}
	if !receivesLists(e, svc, name) {
		return nil
	}
	heard, err := svc.HeardFrom(e.ctx)
	if err != nil {
		return err
	}
	fresh := &exchange.Freshness{MaxLag: maxLag}
	issuers := make([]string, 0, len(heard))
	for issuer, at := range heard {
		issuers = append(issuers, issuer)
		if !at.IsZero() {
			fresh.Heard(issuer, at)
		}
	}
	fresh.Expect(issuers)
	return fresh.Check()
}

// auditQuiet fails closed, as the verifier's checks do, when the
// verifier audits its issuer's log and its gate has not lately found
// that it may answer (witness.Answered). The gate's state is in dir, or
// for a SQLite database beside it (where the verifier keeps it by
// default); a database whose verifier audits nothing has neither.
func auditQuiet(e *env, dir string, maxLag time.Duration) error {
	if dir == "" {
		var ok bool
		if dir, ok = defaultAuditState(e); !ok {
			return nil
		}
		if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
			return nil
		}
	}
	return witness.Answered(dir, maxLag, time.Now())
}

// defaultAuditState is where a verifier keeps the audit of its issuer's
// log without --audit-state: beside a SQLite database. A PostgreSQL
// database has no such place (ok is false).
func defaultAuditState(e *env) (dir string, ok bool) {
	if isPostgres(e.cfg.DB) {
		return "", false
	}
	return sqlitePath(e.cfg.DB) + ".audit", true
}
