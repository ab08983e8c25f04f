package ledger_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/examples"
	"github.com/tallycredit/tally/ledger"
)

// sourceCountingStore counts the reads of rulebook sources.
type sourceCountingStore struct {
	ledger.Store
	sources *atomic.Int64
}

type sourceCountingTx struct {
	ledger.Tx
	sources *atomic.Int64
}

func (t sourceCountingTx) Rulebooks(ctx context.Context, scheme string) ([]tally.RulebookVersion, error) {
	t.sources.Add(1)
	return t.Tx.Rulebooks(ctx, scheme)
}

func (s sourceCountingStore) View(ctx context.Context, fn func(ledger.Tx) error) error {
	return s.Store.View(ctx, func(tx ledger.Tx) error { return fn(sourceCountingTx{tx, s.sources}) })
}

func (s sourceCountingStore) Update(ctx context.Context, fn func(ledger.Tx) error) error {
	return s.Store.Update(ctx, func(tx ledger.Tx) error { return fn(sourceCountingTx{tx, s.sources}) })
}

// Scores read a scheme's rulebook sources once, not on every read; a
// version published by another Service on the same database is seen at
// the next read.
func TestScoresReadRulebookSourcesOnce(t *testing.T) {
	f := newFixture(t)
	f.publishExample("city.yaml")
	f.person("rongcheng-city", zhang, "张三")
	sources := &atomic.Int64{}
	svc := ledger.New(sourceCountingStore{f.db, sources}, f.vault, ledger.Options{Now: func() time.Time { return now }})
	for range 3 {
		if _, err := svc.Score(f.ctx, "rongcheng-city", zhang, now); err != nil {
			t.Fatal(err)
		}
	}
	if got := sources.Load(); got != 1 {
		t.Errorf("three scores read the rulebook sources %d times, want 1", got)
	}
	src, err := examples.Rulebooks.ReadFile("city.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Publish(f.ctx, "city.yaml", []byte(strings.Replace(string(src), "effective: 2025-01-01", "effective: 2026-12-01", 1))); err != nil {
		t.Fatal(err)
	}
	vs, err := svc.Versions(f.ctx, "rongcheng-city")
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 2 {
		t.Errorf("after another Service published version 2: %d versions, want 2", len(vs))
	}
}
