package exchange_test

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/exchange"
)

// pair is a court publishing to an airline on one embedded server.
type pair struct {
	srv     *exchange.Server
	nc      *nats.Conn
	court   *exchange.Signer
	out     *outbox
	in      *inbox
	trusted string // the court's verifier key
}

func newPair(t *testing.T) *pair {
	t.Helper()
	srv := mustServer(t, exchange.ServerConfig{StoreDir: t.TempDir()})
	t.Cleanup(srv.Shutdown)
	court, key := mustSigner(t, "court")
	return &pair{srv: srv, nc: mustConnect(t, srv.ClientURL()), court: court, trusted: key,
		out: &outbox{name: "court", receivers: []string{"airline"}}, in: newInbox("court")}
}

func (p *pair) publisher(t *testing.T, opts exchange.PublisherOptions) *exchange.Publisher {
	t.Helper()
	opts.Logger = quiet
	pub, err := exchange.NewPublisher(p.out, p.court, p.nc, opts)
	if err != nil {
		t.Fatal(err)
	}
	return pub
}

func (p *pair) receiver(t *testing.T, fresh *exchange.Freshness) *exchange.Receiver {
	t.Helper()
	r, err := exchange.NewReceiver(p.in, "airline", mustTrust(t, p.trusted), p.nc, fresh,
		exchange.ReceiverOptions{Logger: quiet, RetryDelay: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// changesInStream counts the changes the stream holds.
func changesInStream(t *testing.T, nc *nats.Conn) uint64 {
	t.Helper()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	s, err := js.Stream(context.Background(), exchange.Stream)
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(context.Background(), jetstream.WithSubjectFilter("tally.x.*.*.change"))
	if err != nil {
		t.Fatal(err)
	}
	var n uint64
	for _, c := range info.State.Subjects {
		n += c
	}
	return n
}

// appliedInOrderOnce checks the inbox applied seqs 1..n, each once, in order.
func (in *inbox) appliedInOrderOnce(t *testing.T, n int) {
	t.Helper()
	in.mu.Lock()
	defer in.mu.Unlock()
	if len(in.order) != n {
		t.Fatalf("applied %d changes, want %d", len(in.order), n)
	}
	for i, seq := range in.order {
		if seq != int64(i+1) {
			t.Fatalf("change %d applied as number %d", seq, i+1)
		}
	}
	for k, times := range in.applied {
		if times != 1 {
			t.Errorf("change %s applied %d times", k, times)
		}
	}
}

func TestPublishedChangesAreReceivedInOrderOnce(t *testing.T) {
	p := newPair(t)
	p.out.add("airline", 1200)
	pub := p.publisher(t, exchange.PublisherOptions{})
	run(t, pub.Run)
	run(t, p.receiver(t, nil).Run)
	waitFor(t, "1200 changes applied", func() bool { n, _ := p.in.count(); return n == 1200 })
	p.out.add("airline", 3)
	pub.Notify()
	waitFor(t, "3 more applied", func() bool { n, _ := p.in.count(); return n == 1203 })
	p.in.appliedInOrderOnce(t, 1203)
	if got := p.out.publishedCount(); got != 1203 {
		t.Errorf("%d shares marked published, want 1203", got)
	}
	if _, rejected := p.in.count(); rejected != 0 {
		t.Errorf("%d rejections, want none: %v", rejected, p.in.rejections)
	}
}

// A change the inbox refuses for good is rejected and dead-lettered, and
// the issuer's later changes are applied, not held back for it.
func TestARefusedChangeDoesNotHoldBackTheNext(t *testing.T) {
	p := newPair(t)
	p.in.refuse = map[int64]bool{2: true}
	p.out.add("airline", 5)
	run(t, p.publisher(t, exchange.PublisherOptions{}).Run)
	run(t, p.receiver(t, nil).Run)
	waitFor(t, "4 changes applied and 1 refused", func() bool { n, r := p.in.count(); return n == 4 && r == 1 })
	p.in.mu.Lock()
	defer p.in.mu.Unlock()
	if !slices.Equal(p.in.order, []int64{1, 3, 4, 5}) || p.in.rejections[0].Seq != 2 {
		t.Errorf("applied %v, refused %+v; want 1 3 4 5 applied and 2 refused", p.in.order, p.in.rejections)
	}
}

// A publisher that dies after publishing but before marking the shares
// published publishes them again; the stream keeps one copy of each.
func TestARepublishAfterACrashIsStoredOnce(t *testing.T) {
	p := newPair(t)
	p.out.add("airline", 300)
	p.out.failMark = 1 << 30                                                    // it never manages to mark: as if it died each time
	stop := run(t, p.publisher(t, exchange.PublisherOptions{Window: 1000}).Run) // all 300 in one go
	waitFor(t, "300 changes in the stream", func() bool { return changesInStream(t, p.nc) == 300 })
	stop()
	p.out.mu.Lock()
	p.out.failMark = 0
	p.out.mu.Unlock()
	run(t, p.publisher(t, exchange.PublisherOptions{}).Run)
	waitFor(t, "300 shares marked", func() bool { return p.out.publishedCount() == 300 })
	if got := changesInStream(t, p.nc); got != 300 {
		t.Errorf("%d changes in the stream after the republish, want 300", got)
	}
	run(t, p.receiver(t, nil).Run)
	waitFor(t, "300 applied", func() bool { n, _ := p.in.count(); return n == 300 })
	p.in.appliedInOrderOnce(t, 300)
}

// A batch read from the outbox is published a window at a time and marked
// published once, since marking waits its turn for the store's writer; a
// share that cannot be published stops the batch there, and the shares
// before it, and only those, are marked.
func TestABatchIsMarkedOnceAndOnlyAsFarAsItWasPublished(t *testing.T) {
	p := newPair(t)
	p.out.add("airline", 1000)
	p.out.shares[700].Change.Seq = 99999 // not the outbox row's: refused before it is sent
	stop := run(t, p.publisher(t, exchange.PublisherOptions{Window: 128}).Run)
	waitFor(t, "700 shares marked", func() bool { return p.out.publishedCount() == 700 })
	stop()
	p.out.mu.Lock()
	marks := p.out.marks
	p.out.mu.Unlock()
	if marks != 1 {
		t.Errorf("700 shares in windows of 128 were marked in %d calls, want 1", marks)
	}
	if got := changesInStream(t, p.nc); got != 700 {
		t.Errorf("%d changes in the stream, want the 700 before the broken share", got)
	}
}

// Shares written while the NATS server is down wait, and are published
// when it is back on the same store.
func TestNothingIsLostWhileTheServerRestarts(t *testing.T) {
	dir := t.TempDir()
	srv := mustServer(t, exchange.ServerConfig{StoreDir: dir})
	u, err := url.Parse(srv.ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	court, key := mustSigner(t, "court")
	out := &outbox{name: "court", receivers: []string{"airline"}}
	nc := mustConnect(t, srv.ClientURL())
	pub, err := exchange.NewPublisher(out, court, nc, exchange.PublisherOptions{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	run(t, pub.Run)
	out.add("airline", 100)
	pub.Notify()
	waitFor(t, "100 published", func() bool { return out.publishedCount() == 100 })

	srv.Shutdown()
	out.add("airline", 200)
	pub.Notify()
	time.Sleep(300 * time.Millisecond) // the publisher tries, and fails, meanwhile
	if got := out.publishedCount(); got != 100 {
		t.Fatalf("%d shares marked published while the server was down, want 100", got)
	}
	srv = mustServer(t, exchange.ServerConfig{StoreDir: dir, Addr: u.Host})
	defer srv.Shutdown()
	waitFor(t, "300 published", func() bool { return out.publishedCount() == 300 })

	in := newInbox("court")
	r, err := exchange.NewReceiver(in, "airline", mustTrust(t, key), nc, nil, exchange.ReceiverOptions{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	run(t, r.Run)
	waitFor(t, "300 applied", func() bool { n, _ := in.count(); return n == 300 })
	in.appliedInOrderOnce(t, 300)
}

func TestHeartbeatsKeepAReceiverFreshOnlyWhileTheyCome(t *testing.T) {
	p := newPair(t)
	fresh := &exchange.Freshness{MaxLag: time.Minute}
	run(t, p.receiver(t, fresh).Run)
	waitFor(t, "the receiver expects the court", func() bool {
		err := fresh.Err(time.Now())
		return err != nil && strings.Contains(err.Error(), "court")
	})
	p.out.add("airline", 5)
	stop := run(t, p.publisher(t, exchange.PublisherOptions{Heartbeat: 20 * time.Millisecond}).Run)
	waitFor(t, "fresh after heartbeats", func() bool { return fresh.Err(time.Now()) == nil })
	if n, _ := p.in.count(); n != 5 {
		t.Errorf("fresh with %d of 5 changes applied: a heartbeat came ahead of a change", n)
	}
	stop()
	if err := fresh.Err(time.Now().Add(2 * time.Minute)); tally.ErrorCodeOf(err) != tally.EUnavailable {
		t.Errorf("two minutes after the last heartbeat: got %v, want unavailable", err)
	}
}

// Every message the receiver cannot trust is refused: kept as a
// rejection with its reason, put on the dead-letter stream, never applied.
func TestUntrustedMessagesAreRejectedAndDeadLettered(t *testing.T) {
	p := newPair(t)
	mallory, _ := mustSigner(t, "court")
	bank, bankKey := mustSigner(t, "bank")
	js, err := jetstream.New(p.nc)
	if err != nil {
		t.Fatal(err)
	}
	r, err := exchange.NewReceiver(p.in, "airline", mustTrust(t, p.trusted, bankKey), p.nc, nil, exchange.ReceiverOptions{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	run(t, r.Run)
	seal := func(s *exchange.Signer, c tally.Change) []byte {
		msg, err := exchange.Seal(s, c)
		if err != nil {
			t.Fatal(err)
		}
		return msg
	}
	good := seal(p.court, change("court", "airline", 1))
	bad := []struct {
		name, subject string
		msg           []byte
		reason        string
	}{
		{"bad signature", "tally.x.court.airline.change", []byte(strings.Replace(string(good), "张三", "李四", 1)), "does not verify"},
		{"unknown signer", "tally.x.court.airline.change", seal(mallory, change("court", "airline", 1)), "no trusted key"},
		{"a body naming another issuer", "tally.x.court.airline.change", seal(bank, change("bank", "airline", 1)), "came as from court but its body names bank"},
		{"for another receiver", "tally.x.court.airline.change", seal(p.court, change("court", "railway", 1)), "for railway, not for this instance"},
	}
	for _, b := range bad {
		waitFor(t, "the stream", func() bool {
			_, err := js.Publish(context.Background(), b.subject, b.msg)
			return err == nil
		})
	}
	waitFor(t, "4 rejections", func() bool { _, n := p.in.count(); return n == len(bad) })
	if applied, _ := p.in.count(); applied != 0 {
		t.Errorf("%d refused changes applied", applied)
	}
	dead, err := js.OrderedConsumer(context.Background(), exchange.DeadStream, jetstream.OrderedConsumerConfig{})
	if err != nil {
		t.Fatal(err)
	}
	for i, b := range bad {
		if got := p.in.rejections[i].Reason; !strings.Contains(got, b.reason) {
			t.Errorf("%s: rejected because %q, want %q", b.name, got, b.reason)
		}
		msg, err := dead.Next(jetstream.FetchMaxWait(10 * time.Second))
		if err != nil {
			t.Fatalf("%s: not on the dead-letter stream: %v", b.name, err)
		}
		if got := msg.Headers().Get(exchange.ReasonHeader); !strings.Contains(got, b.reason) || msg.Subject() != "tally.dead.airline" || string(msg.Data()) != string(b.msg) {
			t.Errorf("%s: dead letter on %s with reason %q, want the message on tally.dead.airline with %q", b.name, msg.Subject(), got, b.reason)
		}
	}
	// The receiver goes on: a good change after the bad ones is applied.
	if _, err := js.Publish(context.Background(), "tally.x.court.airline.change", good); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the good change applied", func() bool { n, _ := p.in.count(); return n == 1 })
}
