package ledger

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// ErrTooManyTries is what a guess is refused with, without being checked,
// while the account, ID number or source address it counts against is
// locked out; errors.Is finds it in a *LimitedError.
var ErrTooManyTries = errors.New("too many wrong tries")

// LimitedError refuses a guess while a lockout lasts. Until is when a try
// may be allowed again (now, when only tries already under way fill the
// allowance).
type LimitedError struct{ Until time.Time }

func (e *LimitedError) Error() string {
	return fmt.Sprintf("too many wrong tries: try again after %s", e.Until.Format(time.RFC3339))
}

// Is makes errors.Is(err, ErrTooManyTries) true.
func (e *LimitedError) Is(target error) bool { return target == ErrTooManyTries }

// GuardLimits says how many guesses something may have. Tries wrong
// guesses in a row are allowed; the one that reaches Tries locks it for
// Lock, and each further wrong guess after a lockout locks it again for
// twice as long as the last, up to MaxLock. A right guess, or Forget
// without a wrong one once a lockout has ended, starts afresh.
type GuardLimits struct {
	Tries   int
	Lock    time.Duration
	MaxLock time.Duration
	Forget  time.Duration
}

// The default limits. An account gets 10 wrong passwords, then waits 15
// minutes, 30, an hour, ... up to a day for each further one: from then
// on about one guess a day. A source address gets 100, so that an office
// behind one address is not locked out by a few people's typing. The
// kiosk gets 5 per ID number and per machine: its codes are short.
var (
	DefaultAccountLimits     = GuardLimits{Tries: 10, Lock: 15 * time.Minute, MaxLock: 24 * time.Hour, Forget: 24 * time.Hour}
	DefaultSourceLimits      = GuardLimits{Tries: 100, Lock: 15 * time.Minute, MaxLock: 24 * time.Hour, Forget: 24 * time.Hour}
	DefaultKioskLimits       = GuardLimits{Tries: 5, Lock: 15 * time.Minute, MaxLock: 24 * time.Hour, Forget: 24 * time.Hour}
	DefaultKioskSourceLimits = DefaultKioskLimits
)

// TryLimits are the limits a Service applies; a zero field takes its
// default.
type TryLimits struct {
	Account     GuardLimits // web sign-in, per account name typed
	Source      GuardLimits // web sign-in, per source address
	KioskID     GuardLimits // kiosk codes, per ID number typed
	KioskSource GuardLimits // kiosk codes, per source address (machine)
}

// withDefaults fills the zero fields of l.
func (l TryLimits) withDefaults() TryLimits {
	fill := func(g *GuardLimits, def GuardLimits) {
		if g.Tries <= 0 {
			*g = def
		}
	}
	fill(&l.Account, DefaultAccountLimits)
	fill(&l.Source, DefaultSourceLimits)
	fill(&l.KioskID, DefaultKioskLimits)
	fill(&l.KioskSource, DefaultKioskSourceLimits)
	return l
}

// DefaultGuardKeys is how many things a Guard counts at once before it
// forgets the quiet ones; when all are still active, new ones are refused
// until some are forgotten (an attacker cannot make it forget a lockout by
// filling it).
const DefaultGuardKeys = 100_000

// Guard counts guesses (passwords, one-time codes) against the things
// they try: an account, an ID number, a source address. Reserve checks
// and counts in one step under one lock, so that guesses sent in parallel
// cannot all pass the check before any is counted: at most Tries guesses
// are ever being checked or wrong in a row.
//
// The counts live in memory: a restart forgets them, and several servers
// over one database count apart. It is safe for concurrent use; build one
// with NewGuard.
type Guard struct {
	now     func() time.Time
	maxKeys int

	mu        sync.Mutex
	streaks   map[string]*streak
	nextPrune time.Time
}

// streak is the wrong guesses in a row against one key.
type streak struct {
	failures int       // wrong guesses in a row
	pending  int       // guesses reserved and still being checked
	last     time.Time // the last wrong guess
	until    time.Time // locked before this instant
	forgetIn time.Duration
}

// NewGuard returns a Guard on the clock now that counts up to maxKeys
// things at once (DefaultGuardKeys when maxKeys <= 0).
func NewGuard(now func() time.Time, maxKeys int) *Guard {
	if maxKeys <= 0 {
		maxKeys = DefaultGuardKeys
	}
	return &Guard{now: now, maxKeys: maxKeys, streaks: map[string]*streak{}}
}

// GuardKey is one thing a guess counts against.
type GuardKey struct {
	Key    string
	Limits GuardLimits
	// KeepOnSuccess keeps the wrong guesses after a right one: for a
	// source address, where one person's right password must not wipe
	// out the wrong guesses of another.
	KeepOnSuccess bool
}

// GuardTry is a reserved guess. Exactly one of Fail, Succeed or Cancel
// ends it; later calls do nothing.
type GuardTry struct {
	g    *Guard
	keys []GuardKey
	done bool
}

// Reserve allows a guess against every key, and counts it as under way
// against each, or refuses it with a *LimitedError without counting
// anything when any key is locked out or has its allowance taken by
// guesses under way.
func (g *Guard) Reserve(keys ...GuardKey) (*GuardTry, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	now := g.now()
	var refuse *LimitedError
	for _, k := range keys {
		s := g.streaks[k.Key]
		if s == nil {
			continue
		}
		s.forget(now, k.Limits)
		if now.Before(s.until) {
			refuse = later(refuse, s.until)
		} else if s.pending >= max(k.Limits.Tries-s.failures, 1) {
			refuse = later(refuse, now)
		}
	}
	if refuse != nil {
		return nil, refuse
	}
	if err := g.room(now, keys); err != nil {
		return nil, err
	}
	for _, k := range keys {
		s := g.streaks[k.Key]
		if s == nil {
			s = &streak{}
			g.streaks[k.Key] = s
		}
		s.pending++
		s.forgetIn = k.Limits.Forget
	}
	return &GuardTry{g: g, keys: keys}, nil
}

// later returns the refusal with the later Until.
func later(e *LimitedError, until time.Time) *LimitedError {
	if e == nil || until.After(e.Until) {
		return &LimitedError{Until: until}
	}
	return e
}

// room makes sure the new keys among keys fit, forgetting quiet streaks
// (at most once a minute) when the Guard is full; it refuses the guess
// when they still do not fit.
func (g *Guard) room(now time.Time, keys []GuardKey) error {
	fresh := 0
	for _, k := range keys {
		if g.streaks[k.Key] == nil {
			fresh++
		}
	}
	if len(g.streaks)+fresh <= g.maxKeys {
		return nil
	}
	if !now.Before(g.nextPrune) {
		g.nextPrune = now.Add(time.Minute)
		for key, s := range g.streaks {
			if s.pending == 0 && (s.failures == 0 || now.Sub(s.quietSince()) >= s.forgetIn) {
				delete(g.streaks, key)
			}
		}
	}
	if len(g.streaks)+fresh <= g.maxKeys {
		return nil
	}
	return &LimitedError{Until: g.nextPrune}
}

// forget starts the streak afresh when it has been quiet for l.Forget
// since its last wrong guess and the end of its lockout.
func (s *streak) forget(now time.Time, l GuardLimits) {
	if s.failures > 0 && s.pending == 0 && now.Sub(s.quietSince()) >= l.Forget {
		*s = streak{forgetIn: l.Forget}
	}
}

// quietSince is the later of the last wrong guess and the lockout's end.
func (s *streak) quietSince() time.Time {
	if s.until.After(s.last) {
		return s.until
	}
	return s.last
}

// Fail counts the guess as wrong against every key, locking out those
// that reach their Tries.
func (t *GuardTry) Fail() {
	t.end(func(s *streak, k GuardKey, now time.Time) {
		s.failures++
		s.last = now
		if over := s.failures - k.Limits.Tries; over >= 0 {
			lock := k.Limits.MaxLock
			if over < 30 && k.Limits.Lock<<over < lock {
				lock = k.Limits.Lock << over
			}
			s.until = now.Add(lock)
		}
	})
}

// Succeed ends the guess as right: the keys start afresh, but those that
// KeepOnSuccess.
func (t *GuardTry) Succeed() {
	t.end(func(s *streak, k GuardKey, _ time.Time) {
		if !k.KeepOnSuccess {
			*s = streak{pending: s.pending, forgetIn: s.forgetIn}
		}
	})
}

// Cancel ends a guess that could not be checked (a store fault) without
// counting it.
func (t *GuardTry) Cancel() { t.end(func(*streak, GuardKey, time.Time) {}) }

// Settle ends the try by the outcome of the guess it allowed: success,
// a wrong guess (an error that is wrong), or anything else (cancelled).
func (t *GuardTry) Settle(err, wrong error) {
	switch {
	case err == nil:
		t.Succeed()
	case errors.Is(err, wrong):
		t.Fail()
	default:
		t.Cancel()
	}
}

// end releases the guess's reservation on every key after applying fn,
// and drops streaks with nothing left to remember.
func (t *GuardTry) end(fn func(s *streak, k GuardKey, now time.Time)) {
	if t == nil || t.done {
		return
	}
	t.done = true
	g := t.g
	g.mu.Lock()
	defer g.mu.Unlock()
	now := g.now()
	for _, k := range t.keys {
		s := g.streaks[k.Key]
		if s == nil {
			continue
		}
		s.pending--
		fn(s, k, now)
		if s.pending <= 0 && s.failures == 0 {
			delete(g.streaks, k.Key)
		}
	}
}

type sourceKey struct{}

// WithSource returns a context whose guesses also count against source,
// the address they come from (the web's client address). Without one,
// guesses count against the account or ID number only.
func WithSource(ctx context.Context, source string) context.Context {
	return context.WithValue(ctx, sourceKey{}, source)
}

// sourceOf returns the source address of ctx, or "".
func sourceOf(ctx context.Context) string {
	s, _ := ctx.Value(sourceKey{}).(string)
	return s
}

// guardKey bounds a key made from typed text, so that long input cannot
// make the Guard hold long keys.
func guardKey(kind, text string) string {
	const maxText = 128
	if len(text) > maxText {
		text = text[:maxText]
	}
	return kind + "\x00" + text
}
