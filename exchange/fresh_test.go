package exchange_test

import (
	"strings"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/exchange"
)

func TestFreshnessFailsClosed(t *testing.T) {
	start := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	f := &exchange.Freshness{MaxLag: time.Minute}
	f.Expect([]string{"court"})
	stale := func(now time.Time, want string) {
		t.Helper()
		err := f.Err(now)
		if tally.ErrorCodeOf(err) != tally.EUnavailable || !strings.Contains(err.Error(), want) {
			t.Errorf("at %s: got %v, want unavailable saying %q", now.Sub(start), err, want)
		}
	}
	stale(start, "nothing heard from court yet")
	f.Heard("court", start)
	if err := f.Err(start.Add(30 * time.Second)); err != nil {
		t.Errorf("30 s after a heartbeat: %v", err)
	}
	if err := f.Err(start.Add(time.Minute)); err != nil {
		t.Errorf("at the bound: %v", err)
	}
	stale(start.Add(72*time.Second), "cannot answer: nothing heard from court for 1m12s (the bound is 1m0s)")
	f.Heard("court", start.Add(-time.Hour)) // an old heartbeat replayed changes nothing
	stale(start.Add(72*time.Second), "for 1m12s")
	f.Heard("court", start.Add(10*time.Minute))
	stale(start.Add(72*time.Second), "the clock of court is 8m48s ahead")
}

func TestFreshnessNamesTheIssuerThatIsStale(t *testing.T) {
	now := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	f := &exchange.Freshness{Now: func() time.Time { return now }}
	f.Expect([]string{"court", "bank"})
	f.Heard("court", now)
	if err := f.Check(); err == nil || !strings.Contains(err.Error(), "bank") || !strings.Contains(err.Error(), "1m0s") {
		t.Errorf("got %v, want bank named and the default bound", err)
	}
	f.Heard("bank", now.Add(-time.Second))
	if err := f.Check(); err != nil {
		t.Errorf("both heard: %v", err)
	}
	f.Expect(nil)
	if err := f.Err(now.Add(time.Hour)); err != nil {
		t.Errorf("no issuer expected: %v", err)
	}
}
