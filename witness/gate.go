package witness

import (
	"context"
	"errors"
	"log/slog"
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
//
// With Witnesses, each round also asks those third parties for the
// checkpoint they cosigned last, and Heard says "cannot answer" while
// fewer than Quorum of them cosigned, within MaxLag, a checkpoint
// consistent with the one audited; a witness shown another history than
// the gate (a split view) stops the answers for good, as a fork does.
type Gate struct {
	Witness   *Witness
	Every     time.Duration    // DefaultGateEvery when zero
	MaxLag    time.Duration    // how old the last sound audit, and a counted cosignature, may be
	Now       func() time.Time // time.Now when nil
	Witnesses []Required       // third-party witnesses to ask
	Quorum    int              // how many of them must count
	Log       *slog.Logger     // told which witness does not count and why (nil: nobody)

	mu         sync.Mutex
	sound      time.Time           // when an audit last found the log sound
	trusted    translog.Checkpoint // what the last sound audit trusted
	alert      *Alert              // the first misbehaviour found, if any
	split      *SplitView          // the first witness shown another history, if any
	err        error               // why the last audit could not be made, if it could not
	cosignedAt []time.Time         // per witness, when it last cosigned a consistent checkpoint
	why        []string            // per witness, why it did not count at the last round ("": it did)
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

// CheckOnce audits the log once, then asks the witnesses, and keeps what
// it found; when it leaves the gate answering, it notes the time in the
// state directory (Answered).
func (g *Gate) CheckOnce(ctx context.Context) {
	seen, err := g.Witness.Check(ctx)
	g.mu.Lock()
	var a *Alert
	switch {
	case errors.As(err, &a):
		if g.alert == nil {
			g.alert = a
		}
	case err != nil:
		g.err = err
	default:
		g.sound, g.err, g.trusted = g.now(), nil, seen.Checkpoint
	}
	trusted, ask := g.trusted, len(g.Witnesses) > 0 && !g.sound.IsZero() && g.alert == nil && g.split == nil
	g.mu.Unlock()
	if ask {
		g.askWitnesses(ctx, trusted)
	}
	if g.Heard() == nil {
		g.noteAnswered(g.now())
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
	case g.split != nil:
		return tally.Errorf(tally.EUnavailable, "cannot answer: the log %s showed the witness %s a history other than the one audited (evidence in %s)", origin, g.split.Witness, g.split.Evidence)
	case g.sound.IsZero() && g.err != nil:
		return tally.Errorf(tally.EUnavailable, "cannot answer: the log %s is not audited yet: %v", origin, g.err)
	case g.sound.IsZero():
		return tally.Errorf(tally.EUnavailable, "cannot answer: the log %s is not audited yet", origin)
	}
	if lag := g.now().Sub(g.sound); lag > g.MaxLag {
		return tally.Errorf(tally.EUnavailable, "cannot answer: the log %s was not audited for %s (the bound is %s)", origin, lag.Round(time.Second), g.MaxLag)
	}
	if n := g.counted(g.now()); n < g.Quorum {
		return tally.Errorf(tally.EUnavailable, "cannot answer: %d witnesses of the log %s cosigned a checkpoint consistent with the one audited within %s; %d required", n, origin, g.MaxLag, g.Quorum)
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
