package ledger

import (
	"context"
	"errors"
	"fmt"

	"github.com/tallycredit/tally"
)

// Reply is a response to a request sent with an Idempotency-Key: a
// status and its body, as the caller encodes them.
type Reply struct {
	Status int
	Body   []byte
}

// IdempotentRun carries out one request for Service.Idempotent, with the
// use cases it calls on ctx. It returns the answer to send now and the one
// to keep for a retry; the two differ when the answer carries a secret,
// which is shown once and never kept. An error is a fault: nothing the run
// did is kept, and the run may be called again (after a deadlock).
type IdempotentRun func(ctx context.Context) (send, keep Reply, err error)

// Idempotent runs a request sent with an Idempotency-Key at most once per
// key and actor, in one transaction: it claims the key, runs the request
// (every use case run calls on the context it is given joins that
// transaction) and keeps the answer, all committed together. A second
// request with the key waits for the first to end and then gets its kept
// answer with replayed true; one with the key but another request hash is
// EConflict. An answer of 400 or above changes nothing: the run's writes
// are rolled back, and an answer below 500 is kept in a transaction of its
// own so that a retry gets it again. An answer of 500 and above, or an
// error, is not kept, so a retry runs again.
func (s *Service) Idempotent(ctx context.Context, key, requestHash string, run IdempotentRun) (out Reply, replayed bool, err error) {
	claim := &tally.SavedResponse{Actor: actorKeyOf(ActorOf(ctx)), Key: key, RequestHash: requestHash, At: s.now()}
	var (
		refused *Reply
		shared  *joined
	)
	err = s.store.Update(ctx, func(tx Tx) error {
		out, replayed, refused, shared = Reply{}, false, nil, nil
		kept, err := claimKey(ctx, tx, claim)
		if err != nil || kept != nil {
			if kept != nil {
				out, replayed = *kept, true
			}
			return err
		}
		var joinedCtx context.Context
		joinedCtx, shared = withJoined(ctx, tx)
		send, keep, err := run(joinedCtx)
		if err != nil {
			return err
		}
		out = send
		if send.Status >= 400 {
			refused = &keep
			return errRefused
		}
		return tx.KeepResponse(ctx, claim.Actor, key, keep.Status, keep.Body)
	})
	if err == nil && shared != nil {
		shared.committed(unjoined(ctx))
	}
	if !errors.Is(err, errRefused) {
		return out, replayed, err
	}
	if refused.Status >= 500 {
		return out, false, nil
	}
	// Keep the refusal, unless a request with the key got there first.
	err = s.store.Update(ctx, func(tx Tx) error {
		kept, err := claimKey(ctx, tx, claim)
		if err != nil || kept != nil {
			if kept != nil {
				out, replayed = *kept, true
			}
			return err
		}
		return tx.KeepResponse(ctx, claim.Actor, key, refused.Status, refused.Body)
	})
	return out, replayed, err
}

// errRefused rolls back a run whose answer refused the request.
var errRefused = errors.New("the request was refused")

// claimKey claims the key of r in tx. When a response is kept for it
// already, it returns that response, or EConflict if it answered another
// request.
func claimKey(ctx context.Context, tx Idempotency, r *tally.SavedResponse) (*Reply, error) {
	err := tx.ClaimResponse(ctx, r)
	if tally.ErrorCodeOf(err) != tally.EConflict {
		return nil, err
	}
	kept, err := tx.SavedResponse(ctx, r.Actor, r.Key)
	if err != nil {
		return nil, err
	}
	if kept.RequestHash != r.RequestHash {
		return nil, &tally.Error{Code: tally.EConflict, Field: "Idempotency-Key", Message: fmt.Sprintf("Idempotency-Key %q was used for a different request", r.Key)}
	}
	if kept.Status == 0 { // a pending claim is never committed; this is a fault
		return nil, fmt.Errorf("the response to Idempotency-Key %q was claimed but not kept", r.Key)
	}
	return &Reply{Status: kept.Status, Body: kept.Body}, nil
}

// actorKeyOf names whose idempotency keys these are: a token's, or a name's.
func actorKeyOf(a *tally.Actor) string {
	if a.TokenID != 0 {
		return fmt.Sprintf("token:%d", a.TokenID)
	}
	return "name:" + a.Name
}
