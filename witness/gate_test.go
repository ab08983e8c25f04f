package witness_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/catalog"
	"github.com/tallycredit/tally/internal/logtest"
	"github.com/tallycredit/tally/witness"
)

// A gate lets a reader (a verifier's checks) answer only while the log it
// depends on has been audited recently and found sound: not before the
// first audit, not once an audit is older than the bound, and never again
// after a rollback or a fork, whatever the next audits say.
func TestGateAnswersOnlyWhileTheLogIsWitnessed(t *testing.T) {
	logKey, logVerifier := mustKey(t, "court/log")
	earlier := logtest.Grown(t, logKey, "r", 20)
	url, srv := serve(t, logtest.Grown(t, logKey, "r", 20, 40))
	var clock atomic.Int64
	clock.Store(time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC).UnixNano())
	now := func() time.Time { return time.Unix(0, clock.Load()) }
	g := &witness.Gate{Witness: &witness.Witness{From: url, Log: logVerifier, Dir: t.TempDir()}, MaxLag: time.Minute, Now: now}
	ctx := context.Background()

	unavailable := func(when, says string) {
		t.Helper()
		err := g.Heard()
		if tally.ErrorCodeOf(err) != tally.EUnavailable || !strings.Contains(err.Error(), says) {
			t.Fatalf("%s: %v, want unavailable saying %q", when, err, says)
		}
		zh := catalog.ErrorText("zh", err)
		if !strings.Contains(zh, "无法答复") {
			t.Errorf("%s: in Chinese %q", when, zh)
		}
	}
	// What the gate's reader is told, a reader of its state directory
	// (tally check) is told too.
	answered := func(when string, ok bool) {
		t.Helper()
		err := witness.Answered(g.Witness.Dir, g.MaxLag, now())
		if ok != (err == nil) || (err != nil && tally.ErrorCodeOf(err) != tally.EUnavailable) {
			t.Errorf("%s: Answered = %v, want answering %v", when, err, ok)
		}
	}
	unavailable("before the first audit", "not audited yet")
	answered("before the first audit", false)
	g.CheckOnce(ctx)
	if err := g.Heard(); err != nil {
		t.Fatalf("after a sound audit: %v", err)
	}
	answered("after a sound audit", true)
	clock.Add(int64(61 * time.Second))
	unavailable("an audit older than the bound", "not audited for 1m1s")
	answered("an audit older than the bound", false)
	g.CheckOnce(ctx)
	if err := g.Heard(); err != nil {
		t.Fatalf("after the next sound audit: %v", err)
	}

	answered("after the next sound audit", true)

	srv.swap(earlier) // the court serves an earlier copy of its log
	g.CheckOnce(ctx)
	unavailable("after a rollback", "rolled back")
	answered("after a rollback", false)
	srv.swap(logtest.Grown(t, logKey, "r", 20, 40, 60))
	g.CheckOnce(ctx)
	unavailable("a sound audit after the rollback", "rolled back")
	answered("a sound audit after the rollback", false)
}
