package witness

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/translog"
)

// DefaultGateEvery is how often a Gate audits the log it guards.
const DefaultGateEvery = 15 * time.Second

// Gate keeps a reader's answers to what a witnessed log allows: a
// verifier that requires its issuer's log to be witnessed answers checks
// only while Heard is nil. It audits the log with its Witness every Every;
// Heard says "cannot answer" before the first sound audit, when the last
// sound audit is older than MaxLag, and for good once an audit found the
// log rolled back, forked or under another key: that is for people to
// look at (the evidence is in the witness's directory), not for the next
// audit to clear.
type Gate struct {
	Witness *Witness
	Every   time.Duration    // DefaultGateEvery when zero
	MaxLag  time.Duration    // how old the last sound audit may be
	Now     func() time.Time // time.Now when nil

	mu    sync.Mutex
	sound time.Time // when an audit last found the log sound
	alert *Alert    // the first misbehaviour found, if any
	err   error     // why the last audit could not be made, if it could not
}

// Run audits the log now and every Every until ctx ends.
func (g *Gate) Run(ctx context.Context) {
	every := g.Every
	if every <= 0 {
		every = DefaultGateEvery
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		g.CheckOnce(ctx)
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// CheckOnce audits the log once and keeps what the audit found.
func (g *Gate) CheckOnce(ctx context.Context) {
	_, err := g.Witness.Check(ctx)
	g.mu.Lock()
	defer g.mu.Unlock()
	var a *Alert
	switch {
	case errors.As(err, &a):
		if g.alert == nil {
			g.alert = a
		}
	case err != nil:
		g.err = err
	default:
		g.sound, g.err = g.now(), nil
	}
}

// Heard returns nil while the reader may answer, and otherwise why not.
func (g *Gate) Heard() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	origin := g.Witness.Log.Name()
	switch {
	case g.alert != nil:
		return failedAudit(origin, g.alert)
	case g.sound.IsZero() && g.err != nil:
		return tally.Errorf(tally.EUnavailable, "cannot answer: the log %s is not audited yet: %v", origin, g.err)
	case g.sound.IsZero():
		return tally.Errorf(tally.EUnavailable, "cannot answer: the log %s is not audited yet", origin)
	}
	if lag := g.now().Sub(g.sound); lag > g.MaxLag {
		return tally.Errorf(tally.EUnavailable, "cannot answer: the log %s was not audited for %s (the bound is %s)", origin, lag.Round(time.Second), g.MaxLag)
	}
	return nil
}

// failedAudit is Heard's answer once an audit found the log misbehaving.
func failedAudit(origin string, a *Alert) error {
	switch a.Finding {
	case translog.Rollback:
		return tally.Errorf(tally.EUnavailable, "cannot answer: the log %s was rolled back to fewer entries than it had (evidence in %s)", origin, a.Evidence)
	case translog.Fork:
		return tally.Errorf(tally.EUnavailable, "cannot answer: the log %s forked: it shows a history other than the one audited (evidence in %s)", origin, a.Evidence)
	case translog.KeyChanged:
		return tally.Errorf(tally.EUnavailable, "cannot answer: the log %s is signed with another key than before (evidence in %s)", origin, a.Evidence)
	}
	return tally.Errorf(tally.EUnavailable, "cannot answer: the log %s failed its audit: its checkpoint is not validly signed as that log (evidence in %s)", origin, a.Evidence)
}

func (g *Gate) now() time.Time {
	if g.Now != nil {
		return g.Now()
	}
	return time.Now()
}
