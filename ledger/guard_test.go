package ledger_test

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// guessing is a Service with one account, "wang", on a clock the test
// moves.
type guessing struct {
	f     *fixture
	svc   *ledger.Service
	mu    sync.Mutex
	clock time.Time
}

func newGuessing(t *testing.T, limits ledger.TryLimits) *guessing {
	g := &guessing{f: newFixture(t), clock: now}
	g.svc = ledger.New(g.f.db, g.f.vault, ledger.Options{Now: g.now, Limits: limits})
	if _, err := g.svc.CreateAccount(g.f.ctx, ledger.AccountSpec{Name: "wang", Password: "the right password", Role: tally.Admin}); err != nil {
		t.Fatal(err)
	}
	return g
}

func (g *guessing) now() time.Time { g.mu.Lock(); defer g.mu.Unlock(); return g.clock }
func (g *guessing) add(d time.Duration) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.clock = g.clock.Add(d)
}

// answers sends n sign-ins at once and counts wrong passwords (checked)
// and refusals (not checked).
func (g *guessing) answers(t *testing.T, n int, sign func(i int) error) (wrong, refused int) {
	t.Helper()
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = sign(i)
		}()
	}
	close(start)
	wg.Wait()
	for _, err := range errs {
		switch {
		case errors.Is(err, ledger.ErrBadSignIn), errors.Is(err, ledger.ErrKioskCode):
			wrong++
		case errors.Is(err, ledger.ErrTooManyTries):
			refused++
		default:
			t.Errorf("a guess: %v, want a wrong or a refused one", err)
		}
	}
	return wrong, refused
}

// signIn signs in as name from source and returns the error.
func (g *guessing) signIn(source, name, password string) error {
	_, _, err := g.svc.SignIn(ledger.WithSource(context.Background(), source), name, password)
	return err
}

// Fifty wrong passwords at once for one account: exactly Tries of them are
// checked, the rest refused unchecked, and the right password is refused
// while the lockout lasts; each wrong password after a lockout doubles it.
func TestParallelGuessesPerAccount(t *testing.T) {
	g := newGuessing(t, ledger.TryLimits{})
	tries := ledger.DefaultAccountLimits.Tries
	wrong, refused := g.answers(t, 50, func(i int) error {
		return g.signIn("198.51.100."+strconv.Itoa(i), "wang", "a wrong password")
	})
	if wrong != tries || refused != 50-tries {
		t.Errorf("50 wrong passwords at once: %d checked, %d refused; want %d and %d", wrong, refused, tries, 50-tries)
	}
	err := g.signIn("203.0.113.1", "wang", "the right password")
	var limited *ledger.LimitedError
	if !errors.As(err, &limited) || !limited.Until.Equal(now.Add(15*time.Minute)) {
		t.Fatalf("the right password while locked: %v, want refused until %v", err, now.Add(15*time.Minute))
	}
	if err := g.signIn("203.0.113.1", "WANG ", "the right password"); !errors.Is(err, ledger.ErrTooManyTries) {
		t.Errorf("the name in capitals: %v, want it locked too", err)
	}
	// After the lockout, one wrong password locks for twice as long.
	g.add(15 * time.Minute)
	if err := g.signIn("203.0.113.1", "wang", "a wrong password"); !errors.Is(err, ledger.ErrBadSignIn) {
		t.Fatalf("a wrong password after the lockout: %v, want it checked", err)
	}
	g.add(29 * time.Minute)
	if err := g.signIn("203.0.113.1", "wang", "the right password"); !errors.Is(err, ledger.ErrTooManyTries) {
		t.Errorf("the right password 29 minutes after the 11th wrong one: %v, want refused (30 minutes)", err)
	}
	g.add(time.Minute)
	if err := g.signIn("203.0.113.1", "wang", "the right password"); err != nil {
		t.Errorf("the right password after the second lockout: %v", err)
	}
	// The right password starts afresh.
	for i := range tries - 1 {
		if err := g.signIn("203.0.113.1", "wang", "a wrong password"); !errors.Is(err, ledger.ErrBadSignIn) {
			t.Fatalf("wrong password %d after a right one: %v, want it checked", i, err)
		}
	}
}

// Fifty wrong passwords at once from one address, each for another name:
// the address's limit holds; the right password from it is refused, from
// elsewhere allowed.
func TestParallelGuessesPerSource(t *testing.T) {
	g := newGuessing(t, ledger.TryLimits{Source: ledger.GuardLimits{Tries: 5, Lock: time.Minute, MaxLock: time.Hour, Forget: 24 * time.Hour}})
	wrong, refused := g.answers(t, 50, func(i int) error {
		return g.signIn("198.51.100.7", "name-"+strconv.Itoa(i), "a wrong password")
	})
	if wrong != 5 || refused != 45 {
		t.Errorf("50 names from one address: %d checked, %d refused; want 5 and 45", wrong, refused)
	}
	if err := g.signIn("198.51.100.7", "wang", "the right password"); !errors.Is(err, ledger.ErrTooManyTries) {
		t.Errorf("the right password from the locked address: %v, want refused", err)
	}
	if err := g.signIn("203.0.113.1", "wang", "the right password"); err != nil {
		t.Errorf("the right password from another address: %v", err)
	}
	// A right password from an address does not wipe out its wrong ones.
	g.add(time.Minute)
	if err := g.signIn("198.51.100.7", "wang", "the right password"); err != nil {
		t.Fatalf("the right password after the lockout: %v", err)
	}
	if err := g.signIn("198.51.100.7", "nobody", "a wrong password"); !errors.Is(err, ledger.ErrBadSignIn) {
		t.Fatalf("a wrong password after the lockout: %v", err)
	}
	if err := g.signIn("198.51.100.7", "wang", "the right password"); !errors.Is(err, ledger.ErrTooManyTries) {
		t.Errorf("after a right and a wrong password: %v, want locked again (the right one kept the count)", err)
	}
}

// Fifty wrong kiosk codes at once for one ID number, from fifty machines:
// five are checked; the right code is refused until the lockout ends.
func TestParallelKioskCodeGuesses(t *testing.T) {
	// A lockout shorter than a code's life, so that the code outlives it.
	g := newGuessing(t, ledger.TryLimits{KioskID: ledger.GuardLimits{Tries: 5, Lock: 10 * time.Minute, MaxLock: time.Hour, Forget: 24 * time.Hour}})
	g.f.publishExample("village.yaml")
	g.f.person("jiakuang-majia", zhang, "张伟")
	code, _, err := g.svc.IssueKioskCode(g.f.ctx, zhang)
	if err != nil {
		t.Fatal(err)
	}
	wrong, refused := g.answers(t, 50, func(i int) error {
		_, err := g.svc.RedeemKioskCode(ledger.WithSource(context.Background(), "198.51.100."+strconv.Itoa(i)), zhang, "00000000")
		return err
	})
	if wrong != 5 || refused != 45 {
		t.Errorf("50 wrong codes at once: %d checked, %d refused; want 5 and 45", wrong, refused)
	}
	if _, err := g.svc.RedeemKioskCode(context.Background(), " "+zhang+" ", code); !errors.Is(err, ledger.ErrTooManyTries) {
		t.Errorf("the right code while locked: %v, want refused", err)
	}
	g.add(10 * time.Minute)
	if _, err := g.svc.RedeemKioskCode(context.Background(), zhang, code); err != nil {
		t.Errorf("the right code after the lockout: %v", err)
	}
}

// A guess that could not be checked is not counted; streaks are forgotten
// after a quiet day; a full Guard refuses new keys rather than forget a
// lockout.
func TestGuard(t *testing.T) {
	clock := now
	g := ledger.NewGuard(func() time.Time { return clock }, 3)
	lim := ledger.GuardLimits{Tries: 2, Lock: time.Minute, MaxLock: 4 * time.Minute, Forget: time.Hour}
	key := func(k string) ledger.GuardKey { return ledger.GuardKey{Key: k, Limits: lim} }
	try := func(k string) *ledger.GuardTry {
		t.Helper()
		tr, err := g.Reserve(key(k))
		if err != nil {
			t.Fatalf("reserve %s: %v", k, err)
		}
		return tr
	}
	for range 5 {
		try("a").Cancel()
	}
	a1, a2 := try("a"), try("a")
	if _, err := g.Reserve(key("a")); !errors.Is(err, ledger.ErrTooManyTries) {
		t.Errorf("a third try while two are under way: %v, want refused", err)
	}
	a1.Fail()
	a2.Fail()
	a2.Fail() // a second end changes nothing
	var limited *ledger.LimitedError
	if _, err := g.Reserve(key("a")); !errors.As(err, &limited) || !limited.Until.Equal(now.Add(time.Minute)) {
		t.Errorf("after two wrong: %v, want locked for a minute", err)
	}
	// Backoff: 1, 2, 4, then at most 4 minutes.
	for _, lock := range []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 4 * time.Minute} {
		clock = clock.Add(lock)
		try("a").Fail()
		if _, err := g.Reserve(key("a")); !errors.As(err, &limited) || !limited.Until.Equal(clock.Add(min(2*lock, 4*time.Minute))) {
			t.Errorf("after a wrong try past a %v lockout: %v, want locked for %v", lock, err, min(2*lock, 4*time.Minute))
		}
	}
	// Forgotten an hour after the lockout ends.
	clock = clock.Add(4*time.Minute + time.Hour)
	try("a").Fail()
	try("a").Succeed()
	// Full: three keys with wrong tries; a fourth is refused until one is quiet.
	try("b").Fail()
	try("c").Fail()
	try("d").Succeed() // a right one leaves nothing behind
	try("a").Fail()
	if _, err := g.Reserve(key("e")); !errors.Is(err, ledger.ErrTooManyTries) {
		t.Errorf("a new key in a full guard: %v, want refused", err)
	}
	clock = clock.Add(2 * time.Hour)
	try("e").Cancel()
}
