package exchange_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"golang.org/x/mod/sumdb/note"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/exchange"
)

// quiet is the logger of the tests: the failures they provoke are
// expected.
var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// mustServer starts an embedded NATS server with JetStream in dir.
func mustServer(tb testing.TB, cfg exchange.ServerConfig) *exchange.Server {
	tb.Helper()
	s, err := exchange.StartServer(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// mustConnect connects to url, reconnecting for ever.
func mustConnect(tb testing.TB, url string) *nats.Conn {
	tb.Helper()
	nc, err := nats.Connect(url, nats.MaxReconnects(-1), nats.ReconnectWait(50*time.Millisecond))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(nc.Close)
	return nc
}

// mustSigner makes a key for the instance name: its signer and its
// verifier key.
func mustSigner(tb testing.TB, name string) (*exchange.Signer, string) {
	tb.Helper()
	pub, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	s, err := exchange.NewSigner(name, key)
	if err != nil {
		tb.Fatal(err)
	}
	vkey, err := exchange.VerifierKey(name, pub)
	if err != nil {
		tb.Fatal(err)
	}
	return s, vkey
}

func mustTrust(tb testing.TB, keys ...string) note.Verifiers {
	tb.Helper()
	v, err := exchange.Trust(keys...)
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

// change is the seq-th change from issuer to receiver.
func change(issuer, receiver string, seq int64) tally.Change {
	return tally.Change{Issuer: issuer, Receiver: receiver, Agreement: "court-to-airlines", AgreementVersion: 1,
		Seq: seq, Kind: tally.ShareListing, At: time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC),
		Subject: fmt.Sprintf("11010519491231%04d", seq), Name: "张三", List: "dishonest", Basis: "最高人民法院关于公布失信被执行人名单信息的若干规定", Version: 1,
		Entry: &tally.SharedEntry{CaseNumber: fmt.Sprintf("(2026)京0105执%d号", seq), Court: "朝阳区人民法院", Term: "2y"}}
}

// outbox is an in-memory outbox: shares in order, published or not.
type outbox struct {
	name      string
	receivers []string

	mu        sync.Mutex
	shares    []tally.Share
	published int // shares[:published] are marked
	failMark  int // MarkPublished fails this many more times
	marks     int // successful MarkPublished calls
}

func (o *outbox) add(receiver string, n int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for range n {
		seq := int64(0)
		for _, s := range o.shares {
			if s.Receiver == receiver {
				seq = s.Seq
			}
		}
		seq++
		o.shares = append(o.shares, tally.Share{ID: int64(len(o.shares) + 1), Receiver: receiver, Seq: seq, Change: change(o.name, receiver, seq)})
	}
}

func (o *outbox) publishedCount() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.published
}

func (o *outbox) InstanceName(context.Context) (string, error) { return o.name, nil }

func (o *outbox) Receivers(context.Context) ([]string, error) { return o.receivers, nil }

func (o *outbox) PendingShares(_ context.Context, limit int) ([]tally.Share, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	rest := o.shares[o.published:]
	return append([]tally.Share(nil), rest[:min(limit, len(rest))]...), nil
}

func (o *outbox) MarkPublished(_ context.Context, shares []tally.Share) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.failMark > 0 {
		o.failMark--
		return tally.Errorf(tally.EUnavailable, "the store is busy")
	}
	for _, s := range shares {
		if s.ID != int64(o.published+1) {
			return fmt.Errorf("marked share %d after %d: not in outbox order", s.ID, o.published)
		}
		o.published++
	}
	o.marks++
	return nil
}

// inbox is an in-memory inbox that applies each issuer's changes once
// and in order, as the ledger does.
type inbox struct {
	issuers []string

	mu         sync.Mutex
	next       map[string]int64
	applied    map[string]int // times each change was applied, by issuer/seq
	order      []int64        // seqs in the order applied
	rejections []tally.Rejection
	gaps       int
	refuse     map[int64]bool // seqs refused for good, their numbers used up
}

func newInbox(issuers ...string) *inbox {
	return &inbox{issuers: issuers, next: map[string]int64{}, applied: map[string]int{}}
}

func (in *inbox) Issuers(context.Context) ([]string, error) { return in.issuers, nil }

func (in *inbox) Heard(context.Context, string, time.Time) error { return nil }

func (in *inbox) ReceiveAll(ctx context.Context, cs []tally.Change) ([]error, error) {
	errs := make([]error, len(cs))
	for i, c := range cs {
		_, errs[i] = in.receive(ctx, c)
	}
	return errs, nil
}

func (in *inbox) receive(_ context.Context, c tally.Change) (bool, error) {
	in.mu.Lock()
	defer in.mu.Unlock()
	next := max(in.next[c.Issuer], 1)
	switch {
	case c.Seq < next:
		return false, nil
	case c.Seq > next:
		in.gaps++
		return false, tally.Errorf(tally.EUnavailable, "change %d from %s before %d", c.Seq, c.Issuer, next)
	}
	in.next[c.Issuer] = next + 1
	if in.refuse[c.Seq] {
		return false, tally.Errorf(tally.EForbidden, "outside every agreement: change %d", c.Seq)
	}
	in.applied[fmt.Sprintf("%s/%d", c.Issuer, c.Seq)]++
	in.order = append(in.order, c.Seq)
	return true, nil
}

func (in *inbox) RejectMessage(_ context.Context, r tally.Rejection) error {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.rejections = append(in.rejections, r)
	return nil
}

func (in *inbox) count() (applied, rejected int) {
	in.mu.Lock()
	defer in.mu.Unlock()
	return len(in.order), len(in.rejections)
}

// run runs fn in the background until the test ends (or stop is called).
func run(tb testing.TB, fn func(context.Context) error) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- fn(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				tb.Errorf("run: %v", err)
			}
		})
	}
	tb.Cleanup(stop)
	return stop
}

// waitFor polls cond until it holds, failing the test after a generous
// deadline.
func waitFor(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	deadline := time.Now().Add(2 * time.Minute) // far above need: CI machines are shared
	for !cond() {
		if time.Now().After(deadline) {
			tb.Fatalf("gave up waiting: %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
