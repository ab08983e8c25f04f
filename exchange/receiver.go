package exchange

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"golang.org/x/mod/sumdb/note"

	"github.com/tallycredit/tally"
)

// Inbox is what a receiver needs of the ledger: the issuers it takes
// changes from, applying changes in order, keeping a refused message and
// a heartbeat.
// *ledger.Service satisfies it. A change's error with code unavailable or
// internal is taken as passing (the store busy, or an earlier change still
// on its way) and the change is tried again later; any other is a refusal
// for good. A change whose Seq is past the next one expected from its
// issuer must be answered unavailable: it is tried again after the one
// before it has come.
type Inbox interface {
	Issuers(ctx context.Context) ([]string, error)
	// ReceiveAll applies changes in their order in one transaction and
	// says, for each, nil (applied, or a duplicate), EUnavailable (it
	// must wait for an earlier one) or why it was refused for good (its
	// number is used up); its own error is the store failing.
	ReceiveAll(ctx context.Context, cs []tally.Change) ([]error, error)
	RejectMessage(ctx context.Context, r tally.Rejection) error
	// Heard keeps the signed time of an issuer's heartbeat, so that checks
	// made by other processes over the same store can fail closed too.
	Heard(ctx context.Context, issuer string, at time.Time) error
}

// The receiver's defaults.
const (
	DefaultBatch      = 256
	DefaultRetryDelay = time.Second
	// ReasonHeader carries, on a dead letter, why the message was refused;
	// SubjectHeader the subject it came on.
	ReasonHeader  = "Tally-Reason"
	SubjectHeader = "Tally-Subject"
)

// expectEvery is how often a receiver asks the inbox again which issuers
// it must hear from.
const expectEvery = 5 * time.Second

// ReceiverOptions tune a Receiver; zero values take the defaults.
type ReceiverOptions struct {
	Batch      int              // messages fetched at once
	RetryDelay time.Duration    // how long a change waits before it is tried again
	Replicas   int              // copies of the streams when the receiver creates them; 1 when zero
	Logger     *slog.Logger     // slog.Default() when nil
	Now        func() time.Time // when a rejection happened
}

// Receiver takes this instance's messages from the TALLY stream through a
// durable consumer named after it, applies each change once through the
// inbox, records heartbeats in Freshness, and refuses (rejects, sends to
// the dead-letter stream, logs) any message it cannot trust. Run it once.
type Receiver struct {
	in      Inbox
	name    string
	trusted note.Verifiers
	fresh   *Freshness
	js      jetstream.JetStream
	opts    ReceiverOptions
	log     *slog.Logger

	expected time.Time // when the issuers were last asked for

	next map[string]int64           // per issuer, the Seq expected next, once a change was applied
	held map[string]map[uint64]bool // per issuer, the stream sequences of changes sent back to wait
}

// NewReceiver returns the receiver of the instance name, trusting the
// issuers whose keys are in trusted, on the JetStream of nc.
func NewReceiver(in Inbox, name string, trusted note.Verifiers, nc *nats.Conn, fresh *Freshness, opts ReceiverOptions) (*Receiver, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	if opts.Batch <= 0 {
		opts.Batch = DefaultBatch
	}
	if opts.RetryDelay <= 0 {
		opts.RetryDelay = DefaultRetryDelay
	}
	if opts.Replicas <= 0 {
		opts.Replicas = 1
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, fmt.Errorf("receiver: %w", err)
	}
	return &Receiver{in: in, name: name, trusted: trusted, fresh: fresh, js: js, opts: opts,
		log: opts.Logger.With("receiver", name), next: map[string]int64{}, held: map[string]map[uint64]bool{}}, nil
}

// Run receives until ctx is done, and then returns nil. Failures (NATS
// down, the store busy) are logged and retried with backoff.
func (r *Receiver) Run(ctx context.Context) error {
	var cons jetstream.Consumer
	for fails := 0; ; fails++ {
		var err error
		if cons, err = r.setUp(ctx); err == nil {
			break
		}
		if ctx.Err() != nil {
			return nil
		}
		r.log.Warn("exchange: cannot set up the consumer; retrying", "err", err)
		if !sleep(ctx, backoff(fails)) {
			return nil
		}
	}
	fails := 0
	for ctx.Err() == nil {
		err := r.round(ctx, cons)
		if err == nil {
			fails = 0
			continue
		}
		if ctx.Err() != nil {
			break
		}
		r.log.Warn("exchange: cannot receive; retrying", "err", err, "attempt", fails+1)
		if !sleep(ctx, backoff(fails)) {
			break
		}
		fails++
	}
	return nil
}

// setUp makes sure of the streams and of this instance's consumer.
func (r *Receiver) setUp(ctx context.Context) (jetstream.Consumer, error) {
	if err := ensureStream(ctx, r.js, streamConfig(r.opts.Replicas), false); err != nil {
		return nil, err
	}
	if err := ensureStream(ctx, r.js, deadStreamConfig(r.opts.Replicas), false); err != nil {
		return nil, err
	}
	cons, err := r.js.CreateOrUpdateConsumer(ctx, Stream, jetstream.ConsumerConfig{
		Durable:       r.name,
		FilterSubject: "tally.x.*." + r.name + ".>",
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       30 * time.Second,
		MaxAckPending: 4 * r.opts.Batch,
	})
	if err != nil {
		return nil, fmt.Errorf("consumer %s: %w", r.name, err)
	}
	return cons, nil
}

// round refreshes the issuers expected and handles one batch of messages.
func (r *Receiver) round(ctx context.Context, cons jetstream.Consumer) error {
	if r.fresh != nil && time.Since(r.expected) >= expectEvery {
		issuers, err := r.in.Issuers(ctx)
		if err != nil {
			return fmt.Errorf("issuers: %w", err)
		}
		r.fresh.Expect(issuers)
		r.expected = time.Now()
	}
	batch, err := cons.Fetch(r.opts.Batch, jetstream.FetchMaxWait(time.Second))
	if err != nil {
		return fmt.Errorf("fetch: %w", err)
	}
	g := &group{r: r}
	msgs := batch.Messages()
	for {
		var msg jetstream.Msg
		ok := true
		if len(g.msgs) == 0 {
			msg, ok = <-msgs
		} else {
			// What has arrived is applied in one transaction; a message
			// that comes alone is applied at once.
			select {
			case msg, ok = <-msgs:
			default:
				if err := g.flush(ctx); err != nil {
					return r.sendBack(msgs, err)
				}
				continue
			}
		}
		if !ok {
			break
		}
		if err := r.handle(ctx, g, msg); err != nil {
			return r.sendBack(msgs, err)
		}
	}
	if err := g.flush(ctx); err != nil {
		return err
	}
	if err := batch.Error(); err != nil && !errors.Is(err, nats.ErrTimeout) {
		return fmt.Errorf("fetch: %w", err)
	}
	return nil
}

// sendBack returns the rest of a batch after a failure, so that it is
// delivered again soon and in order, and returns err.
func (r *Receiver) sendBack(msgs <-chan jetstream.Msg, err error) error {
	for msg := range msgs {
		_ = msg.NakWithDelay(r.opts.RetryDelay)
	}
	return err
}

// group is the changes of a batch waiting to be applied together, in
// their order.
type group struct {
	r       *Receiver
	msgs    []jetstream.Msg
	changes []tally.Change
	want    map[string]int64 // per issuer, the Seq the group continues with
}

// add takes a change into the group when it is its issuer's next (or an
// earlier one, a duplicate the ledger will skip); false when it comes
// before an earlier change still on its way.
func (g *group) add(msg jetstream.Msg, c tally.Change) bool {
	if g.want == nil {
		g.want = map[string]int64{}
	}
	want, ok := g.want[c.Issuer]
	if !ok {
		want, ok = g.r.next[c.Issuer]
	}
	if ok && c.Seq > want {
		return false
	}
	if c.Seq >= want {
		g.want[c.Issuer] = c.Seq + 1
	}
	g.msgs, g.changes = append(g.msgs, msg), append(g.changes, c)
	return true
}

// flush applies the group through the inbox and settles each message:
// applied or a duplicate is acknowledged, refused for good is rejected,
// one that must wait is sent back. An error is the store failing: the
// whole group has been sent back.
func (g *group) flush(ctx context.Context) error {
	if len(g.msgs) == 0 {
		return nil
	}
	r := g.r
	msgs, changes := g.msgs, g.changes
	g.msgs, g.changes, g.want = nil, nil, nil
	errs, err := r.in.ReceiveAll(ctx, changes)
	if err != nil {
		r.log.Warn("exchange: cannot apply changes now; they will be tried again", "changes", len(changes), "err", err)
		for _, msg := range msgs {
			_ = msg.NakWithDelay(r.opts.RetryDelay)
		}
		return fmt.Errorf("receive %d changes: %w", len(changes), err)
	}
	for i, msg := range msgs {
		c := changes[i]
		meta, merr := msg.Metadata()
		if merr != nil {
			return fmt.Errorf("message metadata: %w", merr)
		}
		switch code := tally.ErrorCodeOf(errs[i]); {
		case errs[i] == nil:
			if c.Seq >= r.next[c.Issuer] {
				r.next[c.Issuer] = c.Seq + 1
			}
			delete(r.held[c.Issuer], meta.Sequence.Stream)
			if err := ack(msg); err != nil {
				return err
			}
		case code == tally.EUnavailable || code == tally.EInternal:
			if err := r.holdBack(msg, c.Issuer, meta.Sequence.Stream); err != nil {
				return err
			}
		default:
			// Refused for good: its number is used up, and the issuer's
			// next change is not held for it.
			if c.Seq >= r.next[c.Issuer] {
				r.next[c.Issuer] = c.Seq + 1
			}
			if err := r.refuse(ctx, msg, c.Issuer, c.Seq, errs[i]); err != nil {
				return err
			}
		}
	}
	return nil
}

// handle takes one message: a change joins the group, a heartbeat is
// believed once the changes before it are applied, and what cannot be
// trusted is refused. An error is the store or NATS failing.
func (r *Receiver) handle(ctx context.Context, g *group, msg jetstream.Msg) error {
	meta, err := msg.Metadata()
	if err != nil {
		return fmt.Errorf("message metadata: %w", err)
	}
	issuer, receiver, kind := splitSubject(msg.Subject())
	switch {
	case receiver != r.name:
		return r.refuse(ctx, msg, issuer, 0, tally.Errorf(tally.EForbidden, "the message is for %s, not for this instance", receiver))
	case kind == heartbeatKind:
		if err := g.flush(ctx); err != nil {
			_ = msg.NakWithDelay(r.opts.RetryDelay)
			return err
		}
		var hb Heartbeat
		if err := Open(msg.Data(), r.trusted, &hb); err != nil {
			return r.refuse(ctx, msg, issuer, 0, err)
		}
		if err := r.sameParties(issuer, hb.Issuer, hb.Receiver); err != nil {
			return r.refuse(ctx, msg, issuer, 0, err)
		}
		if len(r.held[issuer]) == 0 {
			if r.fresh != nil {
				r.fresh.Heard(issuer, hb.At)
			}
			if err := r.in.Heard(ctx, issuer, hb.At); err != nil {
				r.log.Warn("exchange: cannot keep a heartbeat", "issuer", issuer, "err", err)
			}
		}
		return ack(msg)
	case kind != changeKind:
		return r.refuse(ctx, msg, issuer, 0, tally.Errorf(tally.EInvalid, "%q is not a kind of message of the exchange", kind))
	}
	var c tally.Change
	if err := Open(msg.Data(), r.trusted, &c); err != nil {
		return r.refuse(ctx, msg, issuer, 0, err)
	}
	if err := r.sameParties(issuer, c.Issuer, c.Receiver); err != nil {
		return r.refuse(ctx, msg, issuer, c.Seq, err)
	}
	if !g.add(msg, c) {
		// An earlier change is still on its way (its delivery or its
		// publishing was retried): this one waits for it.
		return r.holdBack(msg, issuer, meta.Sequence.Stream)
	}
	return nil
}

// sameParties refuses a body whose issuer or receiver is not the
// subject's.
func (r *Receiver) sameParties(subjectIssuer, issuer, receiver string) error {
	if issuer != subjectIssuer {
		return tally.Errorf(tally.EForbidden, "the message came as from %s but its body names %s", subjectIssuer, issuer)
	}
	if receiver != r.name {
		return tally.Errorf(tally.EForbidden, "the message is for %s, not for this instance", receiver)
	}
	return nil
}

// holdBack sends a change back to the stream to be delivered again after
// RetryDelay; until it is applied, the issuer's heartbeats are not
// believed.
func (r *Receiver) holdBack(msg jetstream.Msg, issuer string, seq uint64) error {
	if r.held[issuer] == nil {
		r.held[issuer] = map[uint64]bool{}
	}
	r.held[issuer][seq] = true
	if err := msg.NakWithDelay(r.opts.RetryDelay); err != nil {
		return fmt.Errorf("nak: %w", err)
	}
	return nil
}

// refuse keeps a message that will not be applied: a rejection in the
// store, a copy on the dead-letter stream with the reason, a log line;
// only then is it acknowledged.
func (r *Receiver) refuse(ctx context.Context, msg jetstream.Msg, issuer string, seq int64, why error) error {
	reason := why.Error()
	r.log.Error("exchange: message refused", "subject", msg.Subject(), "issuer", issuer, "seq", seq, "reason", reason)
	rej := tally.Rejection{At: r.opts.Now(), Issuer: issuer, Seq: seq, Reason: reason, Message: msg.Data()}
	if err := r.in.RejectMessage(ctx, rej); err != nil {
		_ = msg.NakWithDelay(r.opts.RetryDelay)
		return fmt.Errorf("keep rejection: %w", err)
	}
	dead := &nats.Msg{Subject: deadSubject(r.name), Data: msg.Data(), Header: nats.Header{}}
	dead.Header.Set(ReasonHeader, reason)
	dead.Header.Set(SubjectHeader, msg.Subject())
	if _, err := r.js.PublishMsg(ctx, dead, jetstream.WithExpectStream(DeadStream)); err != nil {
		_ = msg.NakWithDelay(r.opts.RetryDelay)
		return fmt.Errorf("dead letter: %w", err)
	}
	if meta, err := msg.Metadata(); err == nil {
		delete(r.held[issuer], meta.Sequence.Stream)
	}
	return ack(msg)
}

func ack(msg jetstream.Msg) error {
	if err := msg.Ack(); err != nil {
		return fmt.Errorf("ack: %w", err)
	}
	return nil
}

// splitSubject reads tally.x.ISSUER.RECEIVER.KIND.
func splitSubject(subject string) (issuer, receiver, kind string) {
	parts := strings.Split(subject, ".")
	if len(parts) != 5 {
		return "", "", ""
	}
	return parts[2], parts[3], parts[4]
}
