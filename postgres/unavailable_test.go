package postgres_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/url"
	"sync"
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/postgres"
	"github.com/tallycredit/tally/postgres/pgtest"
)

// proxy forwards TCP connections to target until stop, which closes the
// listener and every connection: the database server seems to be gone.
type proxy struct {
	ln    net.Listener
	mu    sync.Mutex
	conns []net.Conn
}

func startProxy(t *testing.T, target string) *proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{ln: ln}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, s)
			p.mu.Unlock()
			go func() { _, _ = io.Copy(s, c); s.Close() }()
			go func() { _, _ = io.Copy(c, s); c.Close() }()
		}
	}()
	t.Cleanup(p.stop)
	return p
}

func (p *proxy) stop() {
	p.ln.Close()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
}

// A database that cannot be reached, or a store that was closed, is
// EUnavailable (the API answers 503 to it), not an internal fault.
func TestUnreachableDatabaseIsUnavailable(t *testing.T) {
	u, err := url.Parse(pgtest.Fresh(t))
	if err != nil {
		t.Fatal(err)
	}
	p := startProxy(t, u.Host)
	u.Host = p.ln.Addr().String()
	ctx := context.Background()
	db, err := postgres.Open(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	read := func(tx ledger.Tx) error { _, err := tx.Schemes(ctx); return err }
	if err := db.View(ctx, read); err != nil {
		t.Fatalf("view through the proxy: %v", err)
	}
	// A refusal with its own code keeps it.
	if err := db.View(ctx, func(ledger.Tx) error { return tally.Errorf(tally.EInvalid, "bad") }); tally.ErrorCodeOf(err) != tally.EInvalid {
		t.Errorf("an invalid error from fn became %s", tally.ErrorCodeOf(err))
	}
	expired, cancel := context.WithTimeout(ctx, 0)
	defer cancel()
	if err := db.View(expired, read); tally.ErrorCodeOf(err) != tally.EUnavailable || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("view after the deadline: %v (%s), want unavailable", err, tally.ErrorCodeOf(err))
	}

	p.stop()
	for i, call := range []func() error{
		func() error { return db.View(ctx, read) }, // an open connection breaks
		func() error { return db.Update(ctx, read) },
		func() error { return db.View(ctx, read) }, // a new one is refused
	} {
		if err := call(); tally.ErrorCodeOf(err) != tally.EUnavailable {
			t.Errorf("call %d with the server gone: %v (%s), want unavailable", i, err, tally.ErrorCodeOf(err))
		}
	}
	db.Close()
	if err := db.View(ctx, read); tally.ErrorCodeOf(err) != tally.EUnavailable {
		t.Errorf("view after Close: %v (%s), want unavailable", err, tally.ErrorCodeOf(err))
	}
}
