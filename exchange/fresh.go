package exchange

import (
	"sort"
	"sync"
	"time"

	"github.com/tallycredit/tally"
)

// DefaultMaxLag is how long a receiver may go without hearing from an
// issuer before it stops answering.
const DefaultMaxLag = 60 * time.Second

// Freshness knows, for each issuer a receiver takes changes from, the
// latest time the issuer vouched for with a heartbeat, and so whether the
// receiver can answer now: a verifier fails closed, never saying "allowed"
// when it may be missing a listing. The zero value uses DefaultMaxLag and
// the system clock; it is safe for concurrent use.
type Freshness struct {
	MaxLag time.Duration    // how old the latest heartbeat may be; DefaultMaxLag when zero
	Now    func() time.Time // the clock of Check; time.Now when nil

	mu     sync.Mutex
	heard  map[string]time.Time
	expect []string
}

// Heard records a heartbeat of issuer signed at at; an older one than the
// latest changes nothing.
func (f *Freshness) Heard(issuer string, at time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.heard == nil {
		f.heard = map[string]time.Time{}
	}
	if at.After(f.heard[issuer]) {
		f.heard[issuer] = at
	}
}

// Expect sets the issuers the receiver must hear from (those of the
// agreements in force).
func (f *Freshness) Expect(issuers []string) {
	sorted := append([]string(nil), issuers...)
	sort.Strings(sorted)
	f.mu.Lock()
	f.expect = sorted
	f.mu.Unlock()
}

// Check is Err at the time of f's clock.
func (f *Freshness) Check() error {
	now := time.Now
	if f.Now != nil {
		now = f.Now
	}
	return f.Err(now())
}

// Err returns nil when every expected issuer's latest heartbeat is within
// MaxLag of now, before or after it; otherwise an EUnavailable error naming
// the first issuer that is not, for how long, and the bound.
func (f *Freshness) Err(now time.Time) error {
	bound := f.MaxLag
	if bound <= 0 {
		bound = DefaultMaxLag
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, issuer := range f.expect {
		at, ok := f.heard[issuer]
		lag := now.Sub(at)
		shown := lag.Round(time.Second)
		switch {
		case !ok:
			return tally.Errorf(tally.EUnavailable, "cannot answer: nothing heard from %s yet (the bound is %s)", issuer, bound)
		case lag > bound:
			return tally.Errorf(tally.EUnavailable, "cannot answer: nothing heard from %s for %s (the bound is %s)", issuer, shown, bound)
		case -lag > bound:
			return tally.Errorf(tally.EUnavailable, "cannot answer: the clock of %s is %s ahead of this one (the bound is %s)", issuer, -shown, bound)
		}
	}
	return nil
}
