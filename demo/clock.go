package demo

import (
	"sync/atomic"
	"time"
)

// Clock is the time a demo's ledger reads (ledger.Options.Now =
// Clock.Now): its base clock, except while the showcase turns it back to
// sign, weeks ago, a credit commitment that is overdue today. It is safe
// for concurrent use.
type Clock struct {
	base func() time.Time
	back atomic.Pointer[time.Time]
}

// NewClock returns a Clock reading base; nil reads time.Now.
func NewClock(base func() time.Time) *Clock {
	if base == nil {
		base = time.Now
	}
	return &Clock{base: base}
}

// Now returns the time the ledger is at.
func (c *Clock) Now() time.Time {
	if t := c.back.Load(); t != nil {
		return *t
	}
	return c.base()
}

// at runs fn with the clock at t, then puts it back.
func (c *Clock) at(t time.Time, fn func() error) error {
	c.back.Store(&t)
	defer c.back.Store(nil)
	return fn()
}
