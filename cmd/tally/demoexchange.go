package main

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/tallycredit/tally/catalog"
	"github.com/tallycredit/tally/demo"
	"github.com/tallycredit/tally/exchange"
	"github.com/tallycredit/tally/ledger"
)

// demoAirline is the airline's verifier as the demo serves it.
type demoAirline struct{ addr, token string }

// airlineEnv is e on the airline's database, next to the demo's:
// demo.db gives demo-airline.db.
func (e *env) airlineEnv() *env {
	a := *e
	a.logSettings = ledger.LogSettings{} // the court's log key is not the airline's
	ext := filepath.Ext(e.cfg.DB)
	a.cfg.DB = strings.TrimSuffix(e.cfg.DB, ext) + "-airline" + ext
	return &a
}

// buildAirline builds the airline's verifier database, marked as a demo
// one, and returns its verifier token.
func buildAirline(e *env) (string, error) {
	ae := e.airlineEnv()
	svc, done, err := ae.open(true)
	if err != nil {
		return "", err
	}
	defer done()
	if err := markDemo(ae); err != nil {
		return "", err
	}
	a, err := demo.BuildAirline(ae.ctx, svc)
	if err != nil {
		return "", err
	}
	return a.Token, nil
}

// runDemoExchange starts the demo's exchange: an embedded NATS server on
// a temporary folder, and the airline's verifier (as tally verifier runs
// it, on a free loopback port) trusting the court's key. It sets sf so
// that the court's server publishes there. stop ends the airline and the
// NATS server and removes the folder.
func runDemoExchange(e *env, court *ledger.Service, sf *serveFlags, token string) (airline demoAirline, stop func(), err error) {
	dir, err := os.MkdirTemp("", "tally-demo-nats-")
	if err != nil {
		return airline, nil, err
	}
	srv, err := exchange.StartServer(exchange.ServerConfig{StoreDir: dir})
	if err != nil {
		os.RemoveAll(dir)
		return airline, nil, err
	}
	halt := func() { srv.Shutdown(); os.RemoveAll(dir) }
	key, err := e.loadSignKey(court, e.signKeyPath(sf.signKey), true)
	if err != nil {
		halt()
		return airline, nil, err
	}
	trust, err := exchange.VerifierKey(demo.Court, key.Public().(ed25519.PublicKey))
	if err != nil {
		halt()
		return airline, nil, err
	}
	on := exchangeFlags{nats: srv.ClientURL(), replicas: 1, maxLag: exchange.DefaultMaxLag}
	sf.exchange = on
	on.trust = []string{trust}

	e.stderr = lockWriter(e.stderr) // two servers log to it from now on
	ae := e.airlineEnv()
	ctx, cancel := context.WithCancel(e.ctx)
	ae.ctx = ctx
	ready, served := make(chan string, 1), make(chan error, 1)
	go func() {
		served <- serveVerifier(ae, serveFlags{addr: "127.0.0.1:0", exchange: on}, func(addr string) { ready <- addr })
	}()
	select {
	case addr := <-ready:
		return demoAirline{addr: addr, token: token}, func() { cancel(); <-served; halt() }, nil
	case err := <-served:
		cancel()
		halt()
		return airline, nil, err
	}
}

// printAirline tells how to see the exchange at work: the airline's
// verifier refuses the resident the court listed, and allows them once
// the court removes the entry.
func printAirline(w io.Writer, m catalog.Catalogue, a demoAirline, db string, x demo.Story) {
	fmt.Fprintf(w, "  %s\n", m.Text("cli.demo.airline", a.addr, a.token))
	fmt.Fprintf(w, "    %s\n      %s\n", m.Text("cli.demo.airline_check"), x.CheckCommand(a.addr, a.token))
	fmt.Fprintf(w, "    %s\n", m.Text("cli.demo.airline_remove"))
	fmt.Fprintf(w, "      go run ./cmd/tally %s --db %s\n", x.RemoveCommand(), db)
}

// lockWriter lets several goroutines write to w. A file is safe for that
// already, and is kept as it is (a progress line looks for a terminal).
func lockWriter(w io.Writer) io.Writer {
	if _, ok := w.(*os.File); ok {
		return w
	}
	return &syncWriter{w: w}
}

type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *syncWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
