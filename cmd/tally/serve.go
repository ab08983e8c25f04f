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
	"github.com/tallycredit/tally/httpapi"
	"github.com/tallycredit/tally/ledger"
)

// The defaults of serve.
const (
	defaultAddr      = "127.0.0.1:8080"
	shutdownDeadline = 15 * time.Second
)

// cmdServe serves the API until SIGINT or SIGTERM, then finishes the
// requests in flight.
func cmdServe(e *env, args []string) error {
	fs := e.flags("serve", "[--addr 127.0.0.1:8080]")
	addr := fs.String("addr", envOr("TALLY_ADDR", defaultAddr), "address to listen on (env TALLY_ADDR); 127.0.0.1 keeps it off the network")
	var cfg httpapi.Config
	fs.Float64Var(&cfg.Rate, "rate", httpapi.DefaultRate, "requests a second allowed per token (or per address without one)")
	fs.IntVar(&cfg.Burst, "burst", httpapi.DefaultBurst, "requests allowed at once above the rate")
	fs.Int64Var(&cfg.MaxBody, "max-body", httpapi.DefaultMaxBody, "largest JSON body, in bytes")
	fs.Int64Var(&cfg.MaxUpload, "max-upload", httpapi.DefaultMaxUpload, "largest import file, in bytes")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	log := slog.New(slog.NewJSONHandler(e.stderr, nil))
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	// The check index loads in the background; until it is ready, checks
	// answer 503.
	bar := newProgress(e.stderr, "check index")
	began := time.Now()
	cfg.Checker = svc.NewChecker(ledger.CheckerOptions{Progress: func(n int) { bar.show("%d entries", n) }})
	cfg.Checker.Start(e.ctx)
	defer func() { _ = cfg.Checker.Close(context.WithoutCancel(e.ctx)) }()
	go func() {
		for !cfg.Checker.Ready() && e.ctx.Err() == nil {
			time.Sleep(50 * time.Millisecond)
		}
		bar.done()
		log.Info("check index ready", "entries", cfg.Checker.Len(), "seconds", time.Since(began).Seconds())
	}()
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	api := httpapi.New(svc, log, reg, cfg)

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	srv := &http.Server{
		Handler:           api,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute, // imports upload large files
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	fmt.Fprintf(e.stdout, "tally serving %s on http://%s (API under /api/v1)\n", redacted(e.cfg.DB), ln.Addr())
	log.Info("serving", "addr", ln.Addr().String(), "db", redacted(e.cfg.DB))

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
		return fmt.Errorf("shut down: %w", err)
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
