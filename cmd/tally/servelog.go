package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/tallycredit/tally/ledger"
)

// defaultLogCheckpointEvery is how often serve signs a checkpoint of the
// transparency log (only when it grew): the issue asks for one at least
// every minute while entries arrive.
const defaultLogCheckpointEvery = time.Minute

// signLogCheckpoints signs a checkpoint of the log now and then every
// interval until ctx ends; the ledger signs nothing when the log did not
// grow. A failure is logged and tried again at the next tick.
func signLogCheckpoints(ctx context.Context, svc *ledger.Service, every time.Duration, log *slog.Logger) {
	sign := func() {
		if _, err := svc.SignLogCheckpoint(ctx); err != nil {
			log.Error("signing a checkpoint of the transparency log failed", "err", err)
		}
	}
	sign()
	tick := time.NewTicker(every)
	defer tick.Stop()
	everyTick(ctx, tick.C, sign)
}
