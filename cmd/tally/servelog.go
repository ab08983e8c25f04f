package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// defaultLogCheckpointEvery is how often serve signs a checkpoint of the
// transparency log (only when it grew): the issue asks for one at least
// every minute while entries arrive.
const defaultLogCheckpointEvery = time.Minute

// openServed opens the ledger serve serves. A named instance (tally init
// --name) gets the log's signer, the report signing key under
// "<name>/log" (made if missing, as for reports), so that serve signs
// checkpoints; an unnamed one, or one on PostgreSQL without a signing key
// file, logs its entries but signs no checkpoint.
func (e *env) openServed(signKeyFlag string) (*ledger.Service, func(), error) {
	svc, done, err := e.open(false)
	if err != nil {
		return nil, nil, err
	}
	_, err = svc.InstanceName(e.ctx)
	switch {
	case tally.ErrorCodeOf(err) == tally.ENotFound || (err == nil && e.signKeyPath(signKeyFlag) == ""):
		return svc, done, nil
	case err != nil:
		done()
		return nil, nil, err
	}
	signer, err := e.logSigner(svc, signKeyFlag, true)
	done()
	if err != nil {
		return nil, nil, err
	}
	e.logSettings = ledger.LogSettings{Signer: signer}
	return e.open(false)
}

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
