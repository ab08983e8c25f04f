package storetest

import (
	"errors"
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// claimOf is a claim of key by actor for the request hashed "h1".
func claimOf(actor, key string) *tally.SavedResponse {
	return &tally.SavedResponse{Actor: actor, Key: key, RequestHash: "h1", At: t0}
}

// testClaimResponse checks the life of an Idempotency-Key: claimed and
// kept in one transaction, then a conflict for every later claim (with the
// transaction still usable), one key space per actor, and nothing left of
// a claim that was rolled back.
func testClaimResponse(t *testing.T, s ledger.Store) {
	ctx := t.Context()
	mustUpdate(t, s, func(tx ledger.Tx) error {
		if err := tx.ClaimResponse(ctx, claimOf("token:1", "k-1")); err != nil {
			return err
		}
		pending, err := tx.SavedResponse(ctx, "token:1", "k-1")
		if err != nil || pending.Status != 0 || len(pending.Body) != 0 {
			t.Errorf("SavedResponse of a pending claim = %+v, %v; want status 0, no body", pending, err)
		}
		return tx.KeepResponse(ctx, "token:1", "k-1", 201, []byte(`{"id":1}`))
	})
	mustUpdate(t, s, func(tx ledger.Tx) error {
		err := tx.ClaimResponse(ctx, claimOf("token:1", "k-1"))
		wantCode(t, "ClaimResponse of a kept key", err, tally.EConflict)
		got, err := tx.SavedResponse(ctx, "token:1", "k-1")
		if err != nil {
			return err
		}
		if got.Status != 201 || string(got.Body) != `{"id":1}` || got.RequestHash != "h1" || !got.At.Equal(t0) {
			t.Errorf("SavedResponse after a conflict = %+v, want 201 {\"id\":1} h1 at t0", got)
		}
		err = tx.KeepResponse(ctx, "token:1", "k-1", 500, []byte(`{}`))
		wantCode(t, "KeepResponse of a kept key", err, tally.EConflict)
		err = tx.KeepResponse(ctx, "token:1", "k-9", 200, []byte(`{}`))
		wantCode(t, "KeepResponse of a key never claimed", err, tally.ENotFound)
		return tx.ClaimResponse(ctx, claimOf("token:2", "k-1"))
	})
	errRollBack := errors.New("roll back")
	err := s.Update(ctx, func(tx ledger.Tx) error {
		if err := tx.ClaimResponse(ctx, claimOf("token:1", "k-2")); err != nil {
			return err
		}
		return errRollBack
	})
	if !errors.Is(err, errRollBack) {
		t.Fatalf("Update = %v, want the rollback", err)
	}
	mustView(t, s, func(tx ledger.Tx) error {
		_, err := tx.SavedResponse(ctx, "token:1", "k-2")
		wantCode(t, "SavedResponse of a claim rolled back", err, tally.ENotFound)
		got, err := tx.SavedResponse(ctx, "token:1", "k-1")
		if err != nil || got.Status != 201 {
			t.Errorf("SavedResponse(token:1, k-1) = %+v, %v; want it kept", got, err)
		}
		return nil
	})
	mustUpdate(t, s, func(tx ledger.Tx) error { return tx.ClaimResponse(ctx, claimOf("token:1", "k-2")) })
}

// testClaimWaits checks that a claim waits for another transaction's claim
// of the same key: after it commits, the second claim is a conflict and
// reads the kept response (never a pending one); after it rolls back, the
// second claim succeeds.
func testClaimWaits(t *testing.T, s ledger.Store) {
	for _, commit := range []bool{true, false} {
		key := "commit"
		if !commit {
			key = "roll-back"
		}
		claimed, release := make(chan struct{}), make(chan struct{})
		first := make(chan error, 1)
		go func() {
			first <- s.Update(t.Context(), func(tx ledger.Tx) error {
				if err := tx.ClaimResponse(t.Context(), claimOf("token:1", key)); err != nil {
					close(claimed)
					return err
				}
				close(claimed)
				<-release
				if !commit {
					return errors.New("roll back")
				}
				return tx.KeepResponse(t.Context(), "token:1", key, 201, []byte(`{"first":true}`))
			})
		}()
		<-claimed
		second := make(chan error, 1)
		var got *tally.SavedResponse
		go func() {
			second <- s.Update(t.Context(), func(tx ledger.Tx) error {
				err := tx.ClaimResponse(t.Context(), claimOf("token:1", key))
				if tally.ErrorCodeOf(err) != tally.EConflict {
					got = nil
					return err
				}
				got, err = tx.SavedResponse(t.Context(), "token:1", key)
				return err
			})
		}()
		close(release)
		err1, err2 := <-first, <-second
		switch {
		case commit && err1 != nil:
			t.Fatalf("first claim: %v", err1)
		case commit && (err2 != nil || got == nil || got.Status != 201 || string(got.Body) != `{"first":true}`):
			t.Errorf("second claim after a commit: %+v, %v; want a conflict and the first response", got, err2)
		case !commit && (err2 != nil || got != nil):
			t.Errorf("second claim after a rollback: %+v, %v; want it claimed", got, err2)
		}
	}
}

// testSavepoints checks that RollbackTo undoes a step, a failed statement
// included, and leaves the rest of the transaction to commit; and that a
// name that is not an identifier is refused.
func testSavepoints(t *testing.T, s ledger.Store) {
	ctx := t.Context()
	mustUpdate(t, s, func(tx ledger.Tx) error {
		if err := tx.InsertSubject(ctx, newSubject(1)); err != nil {
			return err
		}
		if err := tx.Savepoint(ctx, "step_1"); err != nil {
			return err
		}
		if err := tx.InsertSubject(ctx, newSubject(2)); err != nil {
			return err
		}
		if err := tx.InsertAccess(ctx, &tally.Access{At: t0, SubjectID: 999999, Actor: "x", Role: tally.Admin, Action: "score"}); err == nil {
			t.Error("InsertAccess of an unknown subject: no error")
		}
		if err := tx.RollbackTo(ctx, "step_1"); err != nil {
			return err
		}
		if err := tx.Release(ctx, "step_1"); err != nil {
			return err
		}
		if err := tx.Savepoint(ctx, "step_2"); err != nil {
			return err
		}
		if err := tx.InsertSubject(ctx, newSubject(3)); err != nil {
			return err
		}
		return tx.Release(ctx, "step_2")
	})
	mustView(t, s, func(tx ledger.Tx) error {
		for n, want := range map[int]bool{1: true, 2: false, 3: true} {
			_, err := tx.SubjectByLookup(ctx, lookupOf(n))
			if (err == nil) != want {
				t.Errorf("subject %d: %v, want it kept %v", n, err, want)
			}
		}
		return nil
	})
	err := s.Update(ctx, func(tx ledger.Tx) error { return tx.Savepoint(ctx, `x"; DROP TABLE subjects; --`) })
	wantCode(t, "Savepoint with a bad name", err, tally.EInvalid)
}
