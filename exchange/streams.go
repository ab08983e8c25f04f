package exchange

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// The streams and subjects of the exchange. A change from issuer to
// receiver is published to tally.x.ISSUER.RECEIVER.change, a heartbeat to
// tally.x.ISSUER.RECEIVER.heartbeat; a receiver's dead letters go to
// tally.dead.RECEIVER.
const (
	Stream     = "TALLY"
	DeadStream = "TALLY_DEAD"

	changeKind    = "change"
	heartbeatKind = "heartbeat"
)

// DuplicateWindow is how long the stream remembers message IDs: a share
// republished within it after a crash is stored once (a later copy is
// still applied once: the receiver knows each change by its Seq).
const DuplicateWindow = 10 * time.Minute

func changeSubject(issuer, receiver string) string {
	return "tally.x." + issuer + "." + receiver + "." + changeKind
}

func heartbeatSubject(issuer, receiver string) string {
	return "tally.x." + issuer + "." + receiver + "." + heartbeatKind
}

func deadSubject(receiver string) string { return "tally.dead." + receiver }

// streamConfig is the TALLY stream: every change and heartbeat, kept on
// disk, with message IDs remembered for DuplicateWindow and heartbeats
// expiring by their own TTL.
func streamConfig(replicas int) jetstream.StreamConfig {
	return jetstream.StreamConfig{
		Name:        Stream,
		Subjects:    []string{"tally.x.>"},
		Storage:     jetstream.FileStorage,
		Replicas:    replicas,
		Duplicates:  DuplicateWindow,
		AllowMsgTTL: true,
	}
}

func deadStreamConfig(replicas int) jetstream.StreamConfig {
	return jetstream.StreamConfig{
		Name:     DeadStream,
		Subjects: []string{"tally.dead.>"},
		Storage:  jetstream.FileStorage,
		Replicas: replicas,
	}
}

// ensureStream creates the stream, or updates it to cfg when update is
// set; without update an existing stream is left as it is (a receiver
// does not overrule the replicas its issuers chose).
func ensureStream(ctx context.Context, js jetstream.JetStream, cfg jetstream.StreamConfig, update bool) error {
	if update {
		_, err := js.CreateOrUpdateStream(ctx, cfg)
		if err != nil {
			return fmt.Errorf("stream %s: %w", cfg.Name, err)
		}
		return nil
	}
	_, err := js.Stream(ctx, cfg.Name)
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		_, err = js.CreateStream(ctx, cfg)
		if errors.Is(err, jetstream.ErrStreamNameAlreadyInUse) {
			err = nil
		}
	}
	if err != nil {
		return fmt.Errorf("stream %s: %w", cfg.Name, err)
	}
	return nil
}

// backoff is the wait before retry number n (from 0) after a failure:
// doubling from 100 ms to at most 5 s.
func backoff(n int) time.Duration {
	d := 100 * time.Millisecond
	for i := 0; i < n && d < 5*time.Second; i++ {
		d *= 2
	}
	return min(d, 5*time.Second)
}

// sleep waits d or until ctx is done, and reports whether ctx is still live.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
