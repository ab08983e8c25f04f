package transfer_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/demo"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/postgres"
	"github.com/tallycredit/tally/postgres/pgtest"
	"github.com/tallycredit/tally/sqlite"
	"github.com/tallycredit/tally/transfer"
)

// A small demo ledger moves from SQLite to PostgreSQL with every row and
// every score intact, and a second copy into the same database is refused.
func TestCopyMovesTheDemoAndScoresMatch(t *testing.T) {
	addr := pgtest.Fresh(t)
	ctx := ledger.WithPurpose(ledger.WithActor(context.Background(), &tally.Actor{Name: "test", Role: tally.Admin}), "copy test")
	at := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	key, _ := ledger.ParseKey(ledger.GenerateKey())
	vault, _ := ledger.NewVault(key)

	lite, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()
	from := ledger.New(lite, vault, ledger.Options{Now: func() time.Time { return at }})
	if err := from.Check(ctx); err != nil {
		t.Fatal(err)
	}
	sum, err := demo.Build(ctx, from, demo.Options{Villagers: 30, Residents: 60, Shops: 8, Now: at})
	if err != nil {
		t.Fatal(err)
	}

	pg, err := postgres.Open(ctx, addr)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	var stages []string
	rows, err := transfer.Copy(ctx, lite, pg, func(stage string, n int64) { stages = append(stages, stage) })
	if err != nil {
		t.Fatal(err)
	}
	if rows["records"] != sum.Schemes[0].Records+sum.Schemes[1].Records+sum.Schemes[2].Records {
		t.Errorf("copied %d records, the demo has %d+%d+%d", rows["records"], sum.Schemes[0].Records, sum.Schemes[1].Records, sum.Schemes[2].Records)
	}
	if rows["subjects"] != 99 || len(stages) == 0 { // the population, and the villager the clerk added
		t.Errorf("copied %d subjects with progress %v, want 99 and some progress", rows["subjects"], stages)
	}
	to := ledger.New(pg, vault, ledger.Options{Now: func() time.Time { return at }})
	if err := to.Check(ctx); err != nil {
		t.Fatalf("the copy does not accept the source's key: %v", err)
	}
	rep, err := transfer.Verify(ctx, from, to, at, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Schemes != 3 || rep.Subjects != 99 {
		t.Errorf("verified %d schemes, %d subjects; want 3 and 99", rep.Schemes, rep.Subjects)
	}
	// A score read on the copy is the source's, and the copy takes writes.
	id := sum.Try["rongcheng-city"].Identifier
	a, err := from.Score(ctx, "rongcheng-city", id, at)
	if err != nil {
		t.Fatal(err)
	}
	b, err := to.Score(ctx, "rongcheng-city", id, at)
	if err != nil {
		t.Fatal(err)
	}
	if *a.Score != *b.Score {
		t.Errorf("score of %s: source %d, copy %d", id, *a.Score, *b.Score)
	}
	if _, err := to.Record(ctx, ledger.Conduct{Scheme: "rongcheng-city", Identifier: id, Rule: "health.blood-donation",
		At: at.Add(-time.Hour), Ref: "after-copy/1", Evidence: "certificate"}); err != nil {
		t.Errorf("recording on the copy: %v", err)
	}

	if _, err := transfer.Copy(ctx, lite, pg, nil); tally.ErrorCodeOf(err) != tally.EConflict {
		t.Errorf("a second copy into the same database: %v, want a conflict", err)
	}
}
