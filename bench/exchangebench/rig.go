package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/tallycredit/tally/checkindex"
	"github.com/tallycredit/tally/exchange"
)

// rig is the court-to-airline exchange in one process, on loopback: an
// embedded NATS server, the court publishing its outbox, and the airline
// as a verifier runs (a receiver applying the stream, a check index
// answering from it, failing closed on the stream's heartbeats).
type rig struct {
	srv     *exchange.Server
	nc      *nats.Conn
	court   *instance
	airline *instance
	out     *countingOutbox
	in      *countingInbox
	fresh   *exchange.Freshness
	checker *checkindex.Checker
	pub     *exchange.Publisher
	recv    *exchange.Receiver

	ctx  context.Context
	stop context.CancelFunc
	wg   sync.WaitGroup
}

// newRig sets up both instances in dir and the exchange between them;
// nothing runs until start.
func newRig(ctx context.Context, dir string, log *slog.Logger) (*rig, error) {
	r := &rig{}
	var err error
	if r.srv, err = exchange.StartServer(exchange.ServerConfig{StoreDir: filepath.Join(dir, "nats"), Addr: "127.0.0.1:0"}); err != nil {
		return nil, err
	}
	r.ctx, r.stop = context.WithCancel(ctx)
	if r.nc, err = nats.Connect(r.srv.ClientURL(), nats.MaxReconnects(-1)); err != nil {
		return nil, r.closeWith(err)
	}
	if r.court, err = openInstance(ctx, dir, "court"); err != nil {
		return nil, r.closeWith(err)
	}
	if r.airline, err = openInstance(ctx, dir, "airline"); err != nil {
		return nil, r.closeWith(err)
	}
	pubKey, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, r.closeWith(err)
	}
	signer, err := exchange.NewSigner("court", key)
	if err != nil {
		return nil, r.closeWith(err)
	}
	vkey, err := exchange.VerifierKey("court", pubKey)
	if err != nil {
		return nil, r.closeWith(err)
	}
	trusted, err := exchange.Trust(vkey)
	if err != nil {
		return nil, r.closeWith(err)
	}
	r.out = &countingOutbox{Service: r.court.svc}
	if r.pub, err = exchange.NewPublisher(r.out, signer, r.nc, exchange.PublisherOptions{Logger: log}); err != nil {
		return nil, r.closeWith(err)
	}
	// The court wakes its publisher after each change of its lists, as a
	// server would, instead of leaving it to the next poll.
	r.court.svc.OnListsChanged(func(context.Context) { r.pub.Notify() })
	r.in = &countingInbox{Service: r.airline.svc}
	r.fresh = &exchange.Freshness{}
	if r.recv, err = exchange.NewReceiver(r.in, "airline", trusted, r.nc, r.fresh, exchange.ReceiverOptions{Logger: log}); err != nil {
		return nil, r.closeWith(err)
	}
	r.checker = checkindex.NewChecker(r.airline.svc, checkindex.CheckerOptions{Upstream: r.fresh.Check})
	return r, nil
}

// startChecker loads the airline's (empty) check index and keeps it
// current; startPublisher and startReceiver run the two ends of the
// stream. Each runs until close.
func (r *rig) startChecker() error {
	r.checker.Start(r.airline.admin)
	for !r.checker.Ready() {
		if err := r.checker.Err(); err != nil {
			return fmt.Errorf("check index: %w", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	return nil
}

func (r *rig) startPublisher() { r.run("publisher", r.pub.Run, r.court) }

func (r *rig) startReceiver() { r.run("receiver", r.recv.Run, r.airline) }

func (r *rig) run(what string, fn func(context.Context) error, as *instance) {
	ctx, cancel := context.WithCancel(as.admin)
	context.AfterFunc(r.ctx, cancel)
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		if err := fn(ctx); err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", what, err)
			r.stop()
		}
	}()
}

// close stops everything and closes the stores and the server.
func (r *rig) close() { _ = r.closeWith(nil) }

func (r *rig) closeWith(err error) error {
	r.stop()
	r.wg.Wait()
	if r.checker != nil {
		_ = r.checker.Close(context.WithoutCancel(r.airline.admin))
	}
	for _, in := range []*instance{r.court, r.airline} {
		if in != nil {
			in.store.Close()
		}
	}
	if r.nc != nil {
		r.nc.Close()
	}
	r.srv.Shutdown()
	return err
}
