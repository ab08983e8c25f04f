package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/tallycredit/tally/checkindex"
	"github.com/tallycredit/tally/httpapi"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/notify"
	"github.com/tallycredit/tally/report"
	"github.com/tallycredit/tally/web"
)

// The defaults of serve.
const (
	defaultAddr      = "127.0.0.1:8080"
	shutdownDeadline = 15 * time.Second
	// calendarCheckEvery is how often serve warns of a year missing from
	// the working-day calendar.
	calendarCheckEvery = 24 * time.Hour
)

// serveFlags are the settings of the server, shared by serve and demo.
type serveFlags struct {
	addr   string
	api    httpapi.Config
	pages  web.Options // the body limits; the rest is set by serve
	secure bool
	// notices is how often the server delivers the outbox to its log
	// (0: never; then run 'tally notices send').
	notices time.Duration
	// Credit reports at the kiosk and PDF posters: a CJK font, the report
	// signing key and the address printed in QR codes (default: this
	// server's /verify/).
	font, signKey, verifyURL string
	// exchange is the instance on the exchange (off without --nats).
	exchange exchangeFlags
	// apiOnly serves the API without the pages: a verifier's.
	apiOnly bool
	// logEvery is how often the transparency log's checkpoint is signed.
	logEvery time.Duration
}

// cmdServe serves the pages and the API until SIGINT or SIGTERM, then
// finishes the requests in flight.
func cmdServe(e *env, args []string) error {
	fs := e.flags("serve", "[--addr 127.0.0.1:8080]")
	var sf serveFlags
	fs.StringVar(&sf.addr, "addr", envOr("TALLY_ADDR", defaultAddr), e.text("cli.flag.serve_addr"))
	fs.Float64Var(&sf.api.Rate, "rate", httpapi.DefaultRate, e.text("cli.flag.rate"))
	fs.IntVar(&sf.api.Burst, "burst", httpapi.DefaultBurst, e.text("cli.flag.burst"))
	fs.Int64Var(&sf.api.MaxBody, "max-body", httpapi.DefaultMaxBody, e.text("cli.flag.max_body"))
	fs.Int64Var(&sf.api.MaxUpload, "max-upload", httpapi.DefaultMaxUpload, e.text("cli.flag.max_upload"))
	fs.Int64Var(&sf.pages.MaxPublicForm, "max-public-form", web.DefaultMaxPublicForm, e.text("cli.flag.max_public_form"))
	fs.Int64Var(&sf.pages.MaxForm, "max-form", web.DefaultMaxForm, e.text("cli.flag.max_form"))
	fs.Int64Var(&sf.pages.MaxUpload, "max-form-upload", web.DefaultMaxUpload, e.text("cli.flag.max_form_upload"))
	fs.Int64Var(&sf.pages.MaxField, "max-form-field", web.DefaultMaxField, e.text("cli.flag.max_form_field"))
	fs.DurationVar(&sf.pages.KioskTimeout, "kiosk-timeout", web.DefaultKioskTimeout, e.text("cli.flag.kiosk_timeout"))
	fs.BoolVar(&sf.secure, "secure-cookies", false, e.text("cli.flag.secure_cookies"))
	fs.DurationVar(&sf.notices, "notices-every", 0, e.text("cli.flag.notices_every"))
	fs.DurationVar(&sf.logEvery, "log-checkpoint-every", defaultLogCheckpointEvery, e.text("cli.flag.log_checkpoint_every"))
	fs.StringVar(&sf.font, "font", "", e.text("cli.flag.serve_font", report.FontEnv))
	fs.StringVar(&sf.signKey, "sign-key-file", "", e.text("cli.flag.sign_key_file"))
	fs.StringVar(&sf.verifyURL, "verify-url", os.Getenv("TALLY_VERIFY_URL"), e.text("cli.flag.serve_verify_url"))
	sf.exchange.bind(e, fs)
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	for name, v := range map[string]int64{"max-body": sf.api.MaxBody, "max-upload": sf.api.MaxUpload, "max-public-form": sf.pages.MaxPublicForm,
		"max-form": sf.pages.MaxForm, "max-form-upload": sf.pages.MaxUpload, "max-form-field": sf.pages.MaxField} {
		if v <= 0 {
			return e.fieldErrorf("--"+name, "cli.serve.want_bytes", v)
		}
	}
	if sf.logEvery <= 0 {
		return e.fieldErrorf("--log-checkpoint-every", "cli.want_interval", sf.logEvery)
	}
	svc, done, err := e.openLogged(sf.signKey, true, true)
	if err != nil {
		return err
	}
	defer done()
	return serve(e, svc, sf, nil)
}

// serve listens on sf.addr and serves svc; ready, if set, is told the
// address once it listens.
func serve(e *env, svc *ledger.Service, sf serveFlags, ready func(addr string)) error {
	log := slog.New(slog.NewJSONHandler(e.stderr, nil))
	// Before any goroutine writes to stderr: making the signing key says so there.
	var reports *report.Issuer
	if !sf.apiOnly { // a verifier answers checks only
		var err error
		if reports, err = e.reportIssuer(svc, sf); err != nil {
			return err
		}
	}
	if reports == nil && !sf.apiOnly {
		log.Warn("credit reports are off (the kiosk and PDF posters): no CJK font; apt-get install fonts-arphic-gbsn00lp or pass --font")
	}
	// A year missing from the working-day calendar is the operator's to
	// fix: warned now and once a day, never an outage (/readyz stays ready).
	warnCalendarGaps(e, svc, log, time.Time{})
	daily := time.NewTicker(calendarCheckEvery)
	defer daily.Stop()
	go everyTick(e.ctx, daily.C, func() { warnCalendarGaps(e, svc, log, time.Time{}) })
	// On the exchange, the publisher sends the outbox and the receiver
	// applies what others share; checks that depend on the stream stop
	// while it is quiet.
	upstream, wake, err := startExchange(e, svc, sf.exchange, sf.signKey, log)
	if err != nil {
		return err
	}
	if wake != nil {
		svc.OnListsChanged(func(context.Context) { wake() })
	}
	// The check index loads in the background; until it is ready, checks
	// answer 503.
	bar := newProgress(e.stderr, e.text("cli.progress.check_index"))
	began := time.Now()
	sf.api.Checker = checkindex.NewChecker(svc, checkindex.CheckerOptions{Upstream: upstream,
		Progress: func(n int) { bar.show(e.text("cli.progress.entries"), n) }})
	sf.api.Checker.Start(e.ctx)
	defer func() { _ = sf.api.Checker.Close(context.WithoutCancel(e.ctx)) }()
	if sf.notices > 0 {
		go notify.Loop(e.ctx, svc, notify.Log{Logger: log}, sf.notices, log)
	}
	// The transparency log is served under /log/ whatever happens; its
	// checkpoints are signed only with the instance's log key.
	switch {
	case e.logSettings.Signer != nil && sf.logEvery > 0:
		go signLogCheckpoints(e.ctx, svc, sf.logEvery, log)
	case !sf.apiOnly:
		log.Warn("the transparency log's checkpoints are not signed: name this instance (tally init --name) and give it a signing key (--sign-key-file)")
	}
	go func() {
		for !sf.api.Checker.Ready() && e.ctx.Err() == nil {
			time.Sleep(50 * time.Millisecond)
		}
		bar.done()
		log.Info("check index ready", "entries", sf.api.Checker.Len(), "seconds", time.Since(began).Seconds())
	}()
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	sf.api.Reports = reports
	api := httpapi.New(svc, log, reg, sf.api)
	mux := http.NewServeMux()
	for _, p := range []string{"/api/", "/healthz", "/readyz", "/metrics", "/log/"} {
		mux.Handle(p, api)
	}
	if !sf.apiOnly {
		opts := sf.pages
		opts.SecureCookies, opts.Reports = sf.secure, reports
		pages, err := web.New(svc, log, opts)
		if err != nil {
			return err
		}
		mux.Handle("/", pages)
	}

	ln, err := net.Listen("tcp", sf.addr)
	if err != nil {
		return fmt.Errorf("%s: %w", e.text("cli.serve.listen", sf.addr), err)
	}
	srv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute, // imports upload large files
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	serving := "cli.serve.serving"
	if sf.apiOnly {
		serving = "cli.verifier.serving"
	}
	fmt.Fprintln(e.stdout, e.text(serving, redacted(e.cfg.DB), ln.Addr()))
	log.Info("serving", "addr", ln.Addr().String(), "db", redacted(e.cfg.DB))
	if ready != nil {
		ready(ln.Addr().String())
	}

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-e.ctx.Done():
	}
	log.Info("shutting down")
	ctx, cancel := context.WithTimeout(context.Background(), shutdownDeadline)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		return fmt.Errorf("%s: %w", e.text("cli.serve.shutdown"), err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// reportIssuer builds the kiosk's report issuer: nil, without an error,
// when no CJK font is found (the kiosk and PDF posters are then off).
func (e *env) reportIssuer(svc *ledger.Service, sf serveFlags) (*report.Issuer, error) {
	font, err := report.FindFont(sf.font)
	if err != nil {
		if sf.font != "" {
			return nil, err
		}
		return nil, nil
	}
	key, err := e.loadSignKey(svc, e.signKeyPath(sf.signKey), true)
	if err != nil {
		return nil, err
	}
	url := sf.verifyURL
	if url == "" {
		url = "http://" + sf.addr + "/verify/"
	}
	return &report.Issuer{Service: svc, Key: key, Font: font, VerifyURL: url}, nil
}
