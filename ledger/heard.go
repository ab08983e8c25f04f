package ledger

import (
	"context"
	"strings"
	"time"

	"github.com/tallycredit/tally"
)

// heardMeta prefixes the meta entries holding, per issuer, the time the
// last heartbeat applied from it was signed.
const heardMeta = "exchange_heard:"

// Heard keeps the time an issuer's heartbeat was signed, when it is later
// than the one kept: what a check made by another process (tally check on
// a verifier's database) asks to know whether the stream is current.
func (s *Service) Heard(ctx context.Context, issuer string, at time.Time) error {
	if err := authorize(ActorOf(ctx), OpExchange, Target{}); err != nil {
		return err
	}
	return s.store.Update(ctx, func(tx Tx) error {
		old, err := heardOf(ctx, tx, issuer)
		if err != nil || !at.After(old) {
			return err
		}
		return tx.SetMeta(ctx, heardMeta+issuer, at.UTC().Format(time.RFC3339Nano))
	})
}

// HeardFrom returns, for each issuer this instance takes changes from,
// the time its last heartbeat kept by Heard was signed (zero: never).
func (s *Service) HeardFrom(ctx context.Context) (map[string]time.Time, error) {
	issuers, err := s.Issuers(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]time.Time, len(issuers))
	err = s.store.View(ctx, func(tx Tx) error {
		for _, issuer := range issuers {
			at, err := heardOf(ctx, tx, issuer)
			if err != nil {
				return err
			}
			out[issuer] = at
		}
		return nil
	})
	return out, err
}

// heardOf reads the kept heartbeat time of issuer; zero when none.
func heardOf(ctx context.Context, tx Meta, issuer string) (time.Time, error) {
	v, err := tx.Meta(ctx, heardMeta+strings.TrimSpace(issuer))
	switch {
	case tally.ErrorCodeOf(err) == tally.ENotFound:
		return time.Time{}, nil
	case err != nil:
		return time.Time{}, err
	}
	at, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return time.Time{}, &tally.Error{Code: tally.EInternal, Message: "stored heartbeat time of " + issuer + " is not a time", Err: err}
	}
	return at, nil
}
