package ledger_test

import (
	"context"
	"errors"
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// tokenCount is how many tokens the fixture's store holds.
func (f *fixture) tokenCount() int {
	f.t.Helper()
	ts, err := f.svc.Tokens(f.ctx, 0, 100)
	if err != nil {
		f.t.Fatal(err)
	}
	return len(ts)
}

// An idempotent request runs its use cases in one transaction: a refusal
// undoes what they wrote and is kept for a retry; a fault keeps nothing,
// and the retry runs again; a success is kept as the run said, and a
// failed step inside it is undone alone.
func TestIdempotentRun(t *testing.T) {
	f := newFixture(t)
	calls := 0
	refuse := func(ctx context.Context) (send, keep ledger.Reply, err error) {
		calls++
		if _, _, err := f.svc.CreateToken(ctx, ledger.TokenSpec{Name: "half-done", Role: tally.Recorder}); err != nil {
			return send, keep, err
		}
		r := ledger.Reply{Status: 400, Body: []byte(`{"code":"invalid"}`)}
		return r, r, nil
	}
	for i := range 2 {
		out, replayed, err := f.svc.Idempotent(f.ctx, "refused", "h1", refuse)
		if err != nil || out.Status != 400 || replayed != (i == 1) {
			t.Errorf("refusal %d: %+v replayed=%v %v, want 400, replayed the second time", i, out, replayed, err)
		}
	}
	if calls != 1 || f.tokenCount() != 0 {
		t.Errorf("a refusal: ran %d times and left %d tokens, want once and none", calls, f.tokenCount())
	}

	fault := errors.New("disk on fire")
	calls = 0
	failing := func(ctx context.Context) (send, keep ledger.Reply, err error) {
		calls++
		if _, _, err := f.svc.CreateToken(ctx, ledger.TokenSpec{Name: "half-done", Role: tally.Recorder}); err != nil {
			return send, keep, err
		}
		return send, keep, fault
	}
	for range 2 {
		if _, _, err := f.svc.Idempotent(f.ctx, "fault", "h1", failing); !errors.Is(err, fault) {
			t.Errorf("a fault: %v, want it returned", err)
		}
	}
	if calls != 2 || f.tokenCount() != 0 {
		t.Errorf("a fault: ran %d times and left %d tokens, want twice and none", calls, f.tokenCount())
	}

	made := func(ctx context.Context) (send, keep ledger.Reply, err error) {
		_, _, err = f.svc.CreateToken(ctx, ledger.TokenSpec{Name: "x", Role: "overlord"})
		if tally.ErrorCodeOf(err) != tally.EInvalid {
			t.Errorf("a refused step: %v, want invalid", err)
		}
		if _, _, err := f.svc.CreateToken(ctx, ledger.TokenSpec{Name: "kept", Role: tally.Recorder}); err != nil {
			return send, keep, err
		}
		return ledger.Reply{Status: 201, Body: []byte(`{"secret":"s3cret"}`)}, ledger.Reply{Status: 409, Body: []byte(`{"made":true}`)}, nil
	}
	out, replayed, err := f.svc.Idempotent(f.ctx, "made", "h1", made)
	if err != nil || out.Status != 201 || replayed || f.tokenCount() != 1 {
		t.Errorf("first: %+v replayed=%v %v, %d tokens; want 201 and one token", out, replayed, err, f.tokenCount())
	}
	out, replayed, err = f.svc.Idempotent(f.ctx, "made", "h1", made)
	if err != nil || out.Status != 409 || string(out.Body) != `{"made":true}` || !replayed {
		t.Errorf("retry: %+v replayed=%v %v, want the kept 409", out, replayed, err)
	}
	_, _, err = f.svc.Idempotent(f.ctx, "made", "h2", made)
	if tally.ErrorCodeOf(err) != tally.EConflict || f.tokenCount() != 1 {
		t.Errorf("the key with another request: %v, want a conflict and still one token", err)
	}
}
