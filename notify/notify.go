// Package notify delivers the ledger's notices: a log sender (the
// default, for deployments without mail) and an SMTP sender. Both
// implement ledger.Sender; Loop runs delivery passes until its context
// ends.
package notify

import (
	"context"
	"log/slog"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// Log writes each notice to a logger: its number, kind and title, never
// the address. It is the default sender, so that notices are produced and
// their delivery recorded even without a mail server. Safe for concurrent
// use.
type Log struct {
	Logger *slog.Logger
}

var _ ledger.Sender = Log{}

// Name is "log".
func (Log) Name() string { return "log" }

// Send logs the notice; it never fails.
func (l Log) Send(ctx context.Context, n *tally.Notice, address string) error {
	l.Logger.InfoContext(ctx, "notice", "id", n.ID, "kind", n.Kind, "scheme", n.Scheme, "title", n.Title, "has_address", address != "")
	return nil
}

// Loop runs a delivery pass every interval until ctx ends: each pass sends
// what is undelivered, and a notice that failed is tried again on the next
// pass, up to ledger.MaxAttempts times. Errors of a pass are logged and
// the loop goes on. ctx must act as an admin.
func Loop(ctx context.Context, svc *ledger.Service, sender ledger.Sender, interval time.Duration, log *slog.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if d, err := svc.DeliverNotices(ctx, sender, ledger.MaxPage); err != nil {
			log.ErrorContext(ctx, "deliver notices", "err", err)
		} else if d.Delivered+d.Failed > 0 {
			log.InfoContext(ctx, "notices delivered", "delivered", d.Delivered, "failed", d.Failed, "gave_up", d.GaveUp)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
