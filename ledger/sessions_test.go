package ledger_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// A new password ends every session opened before it, whoever set it; a
// session opened afterwards works, and other accounts' sessions go on.
func TestNewPasswordEndsEarlierSessions(t *testing.T) {
	f := newFixture(t)
	clock := now
	svc := ledger.New(f.db, f.vault, ledger.Options{Now: func() time.Time { return clock }})
	for _, name := range []string{"wang", "zhao"} {
		if _, err := svc.CreateAccount(f.ctx, ledger.AccountSpec{Name: name, Password: "long enough pass", Role: tally.Admin}); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	signIn := func(name, password string) string {
		t.Helper()
		secret, _, err := svc.SignIn(ctx, name, password)
		if err != nil {
			t.Fatalf("sign in as %s: %v", name, err)
		}
		return secret
	}
	phone, laptop, other := signIn("wang", "long enough pass"), signIn("wang", "long enough pass"), signIn("zhao", "long enough pass")
	clock = clock.Add(time.Minute)
	if err := svc.SetPassword(f.ctx, "wang", "a new long password"); err != nil {
		t.Fatal(err)
	}
	clock = clock.Add(time.Minute)
	for name, secret := range map[string]string{"phone": phone, "laptop": laptop} {
		if _, _, err := svc.Session(ctx, secret); !errors.Is(err, ledger.ErrNoSession) {
			t.Errorf("wang's %s session after a new password: %v, want ErrNoSession", name, err)
		}
	}
	if _, _, err := svc.Session(ctx, other); err != nil {
		t.Errorf("zhao's session after wang's new password: %v, want it to go on", err)
	}
	fresh := signIn("wang", "a new long password")
	if _, _, err := svc.Session(ctx, fresh); err != nil {
		t.Errorf("a session opened with the new password: %v", err)
	}
}
