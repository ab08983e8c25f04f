package ledger_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/sqlite"
)

// countingStore counts the read transactions opened on a store.
type countingStore struct {
	ledger.Store
	views atomic.Int64
}

func (s *countingStore) View(ctx context.Context, fn func(ledger.Tx) error) error {
	s.views.Add(1)
	return s.Store.View(ctx, fn)
}

// A token that authenticated is not read again on the next request, and a
// revocation through the same Service bites on the very next one.
func TestAuthenticateRemembersTokensUntilRevoked(t *testing.T) {
	f := newFixture(t)
	store := &countingStore{Store: f.db}
	svc := ledger.New(store, f.vault, ledger.Options{Now: func() time.Time { return now }})
	secret, _, err := svc.CreateToken(f.ctx, ledger.TokenSpec{Name: "reviewer-1", Role: tally.Reviewer})
	if err != nil {
		t.Fatal(err)
	}
	a, err := svc.Authenticate(f.ctx, secret)
	if err != nil {
		t.Fatal(err)
	}
	before := store.views.Load()
	for range 3 {
		if _, err := svc.Authenticate(f.ctx, secret); err != nil {
			t.Fatal(err)
		}
	}
	if got := store.views.Load() - before; got != 0 {
		t.Errorf("three more authentications opened %d read transactions, want 0 (the token is remembered)", got)
	}
	for range 2 {
		if _, err := svc.Authenticate(f.ctx, "tly_unknown"); !errors.Is(err, ledger.ErrBadToken) {
			t.Fatalf("unknown token: %v, want ErrBadToken", err)
		}
	}
	if got := store.views.Load() - before; got != 2 {
		t.Errorf("two tries of an unknown token opened %d read transactions, want 2 (unknown tokens are never remembered)", got)
	}
	if err := svc.RevokeToken(f.ctx, a.TokenID); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Authenticate(f.ctx, secret); !errors.Is(err, ledger.ErrBadToken) {
		t.Errorf("right after its revocation in this process: %v, want ErrBadToken", err)
	}
}

// A token remembered by one server is refused soon after another process
// (here another connection and Service on the same file) revokes it:
// within TokenCacheTTL, so the loop below ends after about a second.
func TestAuthenticateSeesRevocationByAnotherProcess(t *testing.T) {
	f := newFixture(t)
	secret, a := f.token(ledger.TokenSpec{Name: "reviewer-2", Role: tally.Reviewer})
	other, err := sqlite.Open(f.ctx, f.path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close() })
	elsewhere := ledger.New(other, f.vault, ledger.Options{Now: func() time.Time { return now }})
	if err := elsewhere.RevokeToken(f.ctx, a.TokenID); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * ledger.TokenCacheTTL) // generous: the machine may be slow
	for {
		_, err := f.svc.Authenticate(f.ctx, secret)
		if errors.Is(err, ledger.ErrBadToken) {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if time.Now().After(deadline) {
			t.Fatalf("the token revoked elsewhere still authenticates after %v", 10*ledger.TokenCacheTTL)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
