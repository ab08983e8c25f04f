package ledger_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/postgres"
	"github.com/tallycredit/tally/postgres/pgtest"
	"github.com/tallycredit/tally/sqlite"
	"github.com/tallycredit/tally/translog"
)

// twoHandles opens the same database twice, as two processes would (the
// CLI while the server runs, or two PostgreSQL nodes); both are closed
// when the test ends.
var twoHandles = map[string]func(t *testing.T) [2]ledger.Store{
	"sqlite": func(t *testing.T) (s [2]ledger.Store) {
		path := filepath.Join(t.TempDir(), "tally.db")
		for i := range s {
			db, err := sqlite.Open(t.Context(), path)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			s[i] = db
		}
		return s
	},
	"postgres": func(t *testing.T) (s [2]ledger.Store) {
		addr := pgtest.Fresh(t)
		for i := range s {
			db, err := postgres.Open(t.Context(), addr)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			s[i] = db
		}
		return s
	},
}

// TestLogTwoWriters: two Services on one database append in turns, each
// sometimes twice in a row, one entry or a batch at a time; the tree
// stays whole: the self-check finds nothing, and the stored hashes give
// the root the leaves alone give. A Service that appended from the tree's
// border as it last left it, without noticing the other's leaves, would
// fail here.
func TestLogTwoWriters(t *testing.T) {
	for engine, open := range twoHandles {
		t.Run(engine, func(t *testing.T) {
			stores := open(t)
			ctx := ledger.WithPurpose(ledger.WithActor(context.Background(), &tally.Actor{Name: "test", Role: tally.Admin}), "test")
			key, _ := ledger.ParseKey(ledger.GenerateKey())
			vault, err := ledger.NewVault(key)
			if err != nil {
				t.Fatal(err)
			}
			signer, _ := logKey(t, "rongcheng.example/log")
			var svcs [2]*ledger.Service
			for i, s := range stores {
				svcs[i] = ledger.New(s, vault, ledger.Options{Now: func() time.Time { return now }, Log: ledger.LogSettings{Signer: signer}})
				if err := svcs[i].Check(ctx); err != nil {
					t.Fatal(err)
				}
			}
			f := &fixture{t: t, ctx: ctx, svc: svcs[0], vault: vault}
			f.publishExample("city.yaml")
			ids := make([]string, 3)
			for i := range ids {
				body := fmt.Sprintf("37108219800101%03d", i)
				ids[i] = body + string(tally.ResidentCheck(body))
				f.person("rongcheng-city", ids[i], fmt.Sprintf("居民%d", i))
			}

			n := 0
			for turn, who := range "AABABBAABAB" {
				svc := svcs[who-'A']
				if turn%3 == 2 {
					batch := []ledger.Conduct{benchConduct(ids, n), benchConduct(ids, n+1), benchConduct(ids, n+2)}
					n += len(batch)
					if rep, err := svc.RecordAll(ctx, batch, ledger.ImportOptions{}); err != nil || len(rep.Bad) > 0 {
						t.Fatalf("turn %d (%c): import: %v %v", turn, who, err, rep)
					}
					continue
				}
				if _, err := svc.Record(ctx, benchConduct(ids, n)); err != nil {
					t.Fatalf("turn %d (%c): record: %v", turn, who, err)
				}
				n++
			}

			c, err := svcs[1].SignLogCheckpoint(ctx)
			if err != nil {
				t.Fatal(err)
			}
			rep, err := svcs[0].VerifyLog(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Findings) > 0 {
				t.Errorf("VerifyLog found %+v, want nothing", rep.Findings)
			}
			err = stores[0].View(ctx, func(tx ledger.Tx) error {
				stored, err := translog.RootAt(ctx, tx, c.Size)
				if err != nil {
					return err
				}
				rebuilt, err := translog.Recompute(ctx, tx, c.Size)
				if err != nil {
					return err
				}
				if stored != rebuilt || stored != c.Root {
					t.Errorf("root from the stored hashes %x, from the leaves %x, checkpoint %x: want all equal", stored, rebuilt, c.Root)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}
