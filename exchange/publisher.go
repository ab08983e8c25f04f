package exchange

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/tallycredit/tally"
)

// Outbox is what a publisher needs of the ledger: the shares not yet
// published, in outbox order, and a way to mark them published, and the
// instances it sends to. *ledger.Service satisfies it.
type Outbox interface {
	InstanceName(ctx context.Context) (string, error)
	PendingShares(ctx context.Context, limit int) ([]tally.Share, error)
	MarkPublished(ctx context.Context, shares []tally.Share) error
	Receivers(ctx context.Context) ([]string, error)
}

// The publisher's defaults.
const (
	DefaultPoll         = 100 * time.Millisecond
	DefaultHeartbeat    = 5 * time.Second
	DefaultHeartbeatTTL = time.Hour
	DefaultWindow       = 256 // changes published before their acks are awaited
	// pendingBatch is how many shares are read, published and marked
	// published at a time (the ledger's MaxShareBatch): marking is a write
	// transaction, which on SQLite waits its turn behind the imports that
	// made the shares, so it is done once a batch rather than once a window.
	pendingBatch = 4096
)

// PublisherOptions tune a Publisher; zero values take the defaults.
type PublisherOptions struct {
	Replicas     int              // copies of the stream in a cluster; 1 when zero
	Poll         time.Duration    // how often the outbox is looked at without a Notify
	Heartbeat    time.Duration    // how often each receiver is told nothing is pending
	HeartbeatTTL time.Duration    // how long the stream keeps a heartbeat
	Window       int              // publishes in flight before their acks are awaited
	Logger       *slog.Logger     // slog.Default() when nil
	Now          func() time.Time // the clock heartbeats are signed with
}

// Publisher publishes an instance's outbox to the TALLY stream, signed,
// in outbox order, each share once (a republish after a crash carries the
// same message ID and is dropped by the stream), and heartbeats to every
// receiver while the outbox is empty. Run it once; Notify is safe for
// concurrent use.
type Publisher struct {
	out    Outbox
	signer *Signer
	js     jetstream.JetStream
	opts   PublisherOptions
	wake   chan struct{}
	log    *slog.Logger
}

// NewPublisher returns a publisher of out's shares, signed by signer, on
// the JetStream of nc.
func NewPublisher(out Outbox, signer *Signer, nc *nats.Conn, opts PublisherOptions) (*Publisher, error) {
	if opts.Replicas <= 0 {
		opts.Replicas = 1
	}
	if opts.Poll <= 0 {
		opts.Poll = DefaultPoll
	}
	if opts.Heartbeat <= 0 {
		opts.Heartbeat = DefaultHeartbeat
	}
	if opts.HeartbeatTTL <= 0 {
		opts.HeartbeatTTL = DefaultHeartbeatTTL
	}
	if opts.Window <= 0 {
		opts.Window = DefaultWindow
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	js, err := jetstream.New(nc, jetstream.WithPublishAsyncTimeout(10*time.Second))
	if err != nil {
		return nil, fmt.Errorf("publisher: %w", err)
	}
	return &Publisher{out: out, signer: signer, js: js, opts: opts, wake: make(chan struct{}, 1),
		log: opts.Logger.With("issuer", signer.Name())}, nil
}

// Notify wakes the publisher to look at the outbox now: the ledger calls
// it after a commit that wrote shares.
func (p *Publisher) Notify() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// Run publishes until ctx is done, and then returns nil. Failures (NATS
// down or slow, the store busy) are logged and retried with backoff;
// nothing is skipped, and no heartbeat goes out until the outbox is empty
// again.
func (p *Publisher) Run(ctx context.Context) error {
	name, err := p.out.InstanceName(ctx)
	if err != nil {
		return fmt.Errorf("publisher: %w", err)
	}
	if name != p.signer.Name() {
		return tally.Errorf(tally.EInvalid, "the key is %s's but this instance is %s", p.signer.Name(), name)
	}
	for fails := 0; ; fails++ {
		err := ensureStream(ctx, p.js, streamConfig(p.opts.Replicas), true)
		if err == nil {
			break
		}
		p.log.Warn("exchange: cannot set up the stream; retrying", "err", err)
		if !sleep(ctx, backoff(fails)) {
			return nil
		}
	}
	var lastBeat time.Time
	fails := 0
	for ctx.Err() == nil {
		drainedAt, err := p.drain(ctx)
		if err == nil && drainedAt.Sub(lastBeat) >= p.opts.Heartbeat {
			if err = p.beat(ctx, drainedAt); err == nil {
				lastBeat = drainedAt
			}
		}
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			p.log.Warn("exchange: cannot publish; retrying", "err", err, "attempt", fails+1)
			if !sleep(ctx, backoff(fails)) {
				break
			}
			fails++
			continue
		}
		fails = 0
		wait := min(p.opts.Poll, max(0, p.opts.Heartbeat-p.opts.Now().Sub(lastBeat)))
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
		case <-p.wake:
		case <-t.C:
		}
		t.Stop()
	}
	return nil
}

// drain publishes pending shares until the outbox is empty, and returns the
// time just before the look that found it empty: every change committed
// before then is in the stream.
func (p *Publisher) drain(ctx context.Context) (time.Time, error) {
	for {
		at := p.opts.Now()
		shares, err := p.out.PendingShares(ctx, pendingBatch)
		if err != nil {
			return time.Time{}, fmt.Errorf("pending shares: %w", err)
		}
		if len(shares) == 0 {
			return at, nil
		}
		acked, err := p.publishAll(ctx, shares)
		if acked > 0 {
			if err := p.out.MarkPublished(ctx, shares[:acked]); err != nil {
				return time.Time{}, fmt.Errorf("mark published: %w", err)
			}
		}
		if err != nil {
			return time.Time{}, err
		}
	}
}

// publishAll publishes shares a window at a time and returns how many,
// from the first, the stream acknowledged: the outbox is always marked
// published as a prefix.
func (p *Publisher) publishAll(ctx context.Context, shares []tally.Share) (int, error) {
	done := 0
	for done < len(shares) {
		n := min(len(shares)-done, p.opts.Window)
		acked, err := p.publish(ctx, shares[done:done+n])
		done += acked
		if err != nil {
			return done, err
		}
	}
	return done, nil
}

// publish sends shares without waiting for each ack, then waits for all of
// them, and returns how many, from the first, were acknowledged.
func (p *Publisher) publish(ctx context.Context, shares []tally.Share) (int, error) {
	futures := make([]jetstream.PubAckFuture, 0, len(shares))
	var sendErr error
	for _, s := range shares {
		msg, err := p.changeMsg(s)
		if err != nil {
			sendErr = err
			break
		}
		f, err := p.js.PublishMsgAsync(msg, jetstream.WithMsgID(msgID(p.signer.Name(), s)), jetstream.WithExpectStream(Stream))
		if err != nil {
			sendErr = fmt.Errorf("publish %s: %w", msg.Subject, err)
			break
		}
		futures = append(futures, f)
	}
	acked := 0
	var ackErr error
	for _, f := range futures {
		select {
		case <-f.Ok():
			if ackErr == nil {
				acked++
			}
		case err := <-f.Err():
			if ackErr == nil {
				ackErr = fmt.Errorf("publish %s: %w", f.Msg().Subject, err)
			}
		case <-ctx.Done():
			return acked, ctx.Err()
		}
	}
	if ackErr != nil {
		return acked, ackErr
	}
	return acked, sendErr
}

// changeMsg is a share sealed as a message to its receiver.
func (p *Publisher) changeMsg(s tally.Share) (*nats.Msg, error) {
	if s.Change.Issuer != p.signer.Name() || s.Change.Receiver != s.Receiver || s.Change.Seq != s.Seq {
		return nil, fmt.Errorf("share %d: its change (issuer %s, receiver %s, seq %d) does not match the outbox row (receiver %s, seq %d)",
			s.ID, s.Change.Issuer, s.Change.Receiver, s.Change.Seq, s.Receiver, s.Seq)
	}
	if err := checkName(s.Receiver); err != nil {
		return nil, fmt.Errorf("share %d: %w", s.ID, err)
	}
	data, err := Seal(p.signer, s.Change)
	if err != nil {
		return nil, err
	}
	return &nats.Msg{Subject: changeSubject(p.signer.Name(), s.Receiver), Data: data, Header: nats.Header{}}, nil
}

// msgID names a share in the stream's de-duplication: the same change
// published twice has the same ID.
func msgID(issuer string, s tally.Share) string {
	return issuer + "." + s.Receiver + "." + strconv.FormatInt(s.Seq, 10)
}

// beat sends a heartbeat signed at at to every receiver and waits for the
// stream to store them.
func (p *Publisher) beat(ctx context.Context, at time.Time) error {
	receivers, err := p.out.Receivers(ctx)
	if err != nil {
		return fmt.Errorf("receivers: %w", err)
	}
	for _, r := range receivers {
		if err := checkName(r); err != nil {
			return err
		}
		data, err := Seal(p.signer, Heartbeat{Issuer: p.signer.Name(), Receiver: r, At: at.UTC()})
		if err != nil {
			return err
		}
		if _, err := p.js.Publish(ctx, heartbeatSubject(p.signer.Name(), r), data,
			jetstream.WithMsgTTL(p.opts.HeartbeatTTL), jetstream.WithExpectStream(Stream)); err != nil {
			return fmt.Errorf("heartbeat to %s: %w", r, err)
		}
	}
	return nil
}
