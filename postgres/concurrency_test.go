package postgres_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/postgres"
	"github.com/tallycredit/tally/postgres/pgtest"
)

// street is a rulebook with one capped deduction and one capped award.
// The cap of each is smaller than what a subject's conduct in a month asks
// for, so that the awarded sums must come out exactly at the caps.
const street = `
scheme: busy-street
name: {zh: 繁忙街道, en: Busy street}
subjects: [person]
base: 100
effective: 2026-01-01
categories:
  street: {zh: 街道事务, en: Street affairs}
rules:
  - code: late-fee
    title: {zh: 逾期缴费, en: Fee paid late}
    category: street
    points: -3
    cap: {points: 10, per: month}
    lasts: 3m
    severity: minor
    basis: "Street covenant, article 2 (fees)"
  - code: help
    title: {zh: 邻里互助, en: Helping a neighbour}
    category: street
    facts: {hours: number}
    points: hours / 2
    effect: award
    cap: {points: 20, per: month}
    lasts: 1y
`

// streetCaps are the caps of street's rules, signed as their points.
var streetCaps = map[string]int64{"late-fee": -10, "help": 20}

var (
	shanghai = mustLocation("Asia/Shanghai")
	now      = time.Date(2026, 11, 26, 12, 0, 0, 0, shanghai)
	admin    = &tally.Actor{Name: "test", Role: tally.Admin}
	testKey  = []byte("0123456789abcdef0123456789abcdef")
)

func mustLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// newService returns a ledger over db with the test key and clock.
func newService(tb testing.TB, db *postgres.DB) *ledger.Service {
	tb.Helper()
	vault, err := ledger.NewVault(testKey)
	if err != nil {
		tb.Fatal(err)
	}
	svc := ledger.New(db, vault, ledger.Options{Now: func() time.Time { return now }})
	if err := svc.Check(adminCtx(tb)); err != nil {
		tb.Fatal(err)
	}
	return svc
}

// adminCtx is the test's context, acting as an admin.
func adminCtx(tb testing.TB) context.Context {
	return ledger.WithActor(tb.Context(), admin)
}

// residents adds and enrols n consenting residents through svc and returns
// their identifiers, valid resident ID numbers.
func residents(tb testing.TB, svc *ledger.Service, scheme string, first, n int) []string {
	tb.Helper()
	ctx := adminCtx(tb)
	ids := make([]string, n)
	for i := range ids {
		body := fmt.Sprintf("11010519850101%03d", first+i)
		ids[i] = body + string(tally.ResidentCheck(body))
		if _, err := svc.AddSubject(ctx, ledger.NewSubject{Kind: tally.Person, Identifier: ids[i], Name: fmt.Sprintf("居民 %d", first+i)}); err != nil {
			tb.Fatal(err)
		}
		if _, err := svc.Enrol(ctx, ledger.Enrolment{Scheme: scheme, Identifier: ids[i], Consent: true, How: "signed form"}); err != nil {
			tb.Fatal(err)
		}
	}
	return ids
}

// streetConducts returns, for each resident, perMonth conducts of each of
// street's rules in each of the first months of 2026, on distinct days at
// noon (so no cap window is in doubt), refs prefixed by prefix.
func streetConducts(ids []string, months, perMonth int, prefix string) []ledger.Conduct {
	var cs []ledger.Conduct
	for s, id := range ids {
		for m := range months {
			for i := range perMonth {
				for _, rule := range []string{"help", "late-fee"} {
					c := ledger.Conduct{Scheme: "busy-street", Identifier: id, Rule: rule,
						At:       time.Date(2026, time.Month(m+1), 2+i, 12, 0, 0, 0, shanghai),
						Ref:      fmt.Sprintf("%s/%d/%d/%s/%d", prefix, s, m, rule, i),
						Evidence: "street office log"}
					if rule == "help" {
						c.Facts = map[string]any{"hours": 6.0} // 3 points
					} else {
						c.Facts = map[string]any{}
					}
					cs = append(cs, c)
				}
			}
		}
	}
	return cs
}

// twoServers opens two stores on one new database, as two server processes
// would, each with its own ledger, and publishes street.
func twoServers(t *testing.T) (addr string, svcs [2]*ledger.Service) {
	t.Helper()
	addr = pgtest.Fresh(t)
	for i := range svcs {
		svcs[i] = newService(t, mustOpen(t, addr))
	}
	if _, err := svcs[0].Publish(adminCtx(t), "street.yaml", []byte(street)); err != nil {
		t.Fatal(err)
	}
	return addr, svcs
}

// checkLedger checks, from a third store on the database, that it holds
// exactly one record per ref of conducts and that every (subject, rule,
// month) awarded exactly its cap, as all the conduct asks for more.
func checkLedger(t *testing.T, addr string, conducts []ledger.Conduct) {
	t.Helper()
	db := mustOpen(t, addr)
	refs := map[string]bool{}
	for _, c := range conducts {
		refs[c.Ref] = true
	}
	type key struct {
		subject int64
		rule    string
		month   time.Month
	}
	sums := map[key]int64{}
	err := db.View(t.Context(), func(tx ledger.Tx) error {
		_, n, err := tx.Counts(t.Context(), "busy-street")
		if err != nil {
			return err
		}
		if n != int64(len(refs)) {
			t.Errorf("records: got %d, want %d, one per distinct ref", n, len(refs))
		}
		es, err := tx.Enrolments(t.Context(), "busy-street", 0, 1000)
		if err != nil {
			return err
		}
		seen := map[string]bool{}
		for _, e := range es {
			h, err := tx.History(t.Context(), "busy-street", e.SubjectID, 0, 10000)
			if err != nil {
				return err
			}
			for _, r := range h {
				if seen[r.Ref] || !refs[r.Ref] {
					t.Errorf("record %d: ref %q is a duplicate or unknown", r.ID, r.Ref)
				}
				seen[r.Ref] = true
				sums[key{r.SubjectID, r.Rule, r.HappenedAt.In(shanghai).Month()}] += r.Awarded
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(sums) == 0 {
		t.Fatal("no records")
	}
	for k, sum := range sums {
		if sum != streetCaps[k.rule] {
			t.Errorf("subject %d, rule %s, month %s: awarded %d, want the cap %d", k.subject, k.rule, k.month, sum, streetCaps[k.rule])
		}
	}
}

// TestTwoServersRecord has many goroutines on two stores of one database
// record the same subjects at once, with refs sent to both servers and
// sent twice: nothing may be lost or duplicated, every repeat must come
// back as a replay of the one record, and caps must hold exactly.
func TestTwoServersRecord(t *testing.T) {
	addr, svcs := twoServers(t)
	ids := residents(t, svcs[0], "busy-street", 0, 4)
	conducts := streetConducts(ids, 2, 8, "rec")

	// Each conduct goes to one server; some also to the other server, some
	// twice to the same one, in a shuffled order.
	rng := rand.New(rand.NewPCG(1, 2))
	type send struct{ conduct, server int }
	var sends []send
	for i := range conducts {
		first := rng.IntN(2)
		sends = append(sends, send{i, first})
		if rng.IntN(2) == 0 {
			sends = append(sends, send{i, 1 - first})
		}
		if rng.IntN(5) == 0 {
			sends = append(sends, send{i, first})
		}
	}
	rng.Shuffle(len(sends), func(i, j int) { sends[i], sends[j] = sends[j], sends[i] })

	const workers = 8 // per server
	type result struct {
		ref      string
		id       int64
		replayed bool
		err      error
	}
	results := make(chan result, len(sends))
	queues := make([]chan send, 2)
	for i := range queues {
		queues[i] = make(chan send, len(sends))
	}
	for _, s := range sends {
		queues[s.server] <- s
	}
	var wg sync.WaitGroup
	for server := range 2 {
		close(queues[server])
		for range workers {
			wg.Go(func() {
				for s := range queues[server] {
					c := conducts[s.conduct]
					out, err := svcs[server].Record(adminCtx(t), c)
					r := result{ref: c.Ref, err: err}
					if err == nil {
						r.id, r.replayed = out.Record.ID, out.Replayed
					}
					results <- r
				}
			})
		}
	}
	wg.Wait()
	close(results)

	byRef := map[string][]result{}
	for r := range results {
		if r.err != nil {
			t.Errorf("Record %s: %v", r.ref, r.err)
			continue
		}
		byRef[r.ref] = append(byRef[r.ref], r)
	}
	for ref, rs := range byRef {
		written := 0
		for _, r := range rs {
			if !r.replayed {
				written++
			}
			if r.id != rs[0].id {
				t.Errorf("ref %s: came back as records %d and %d", ref, rs[0].id, r.id)
			}
		}
		if written != 1 {
			t.Errorf("ref %s: sent %d times, written %d times, want once and the rest replays", ref, len(rs), written)
		}
	}
	if len(byRef) != len(conducts) {
		t.Errorf("refs recorded: got %d, want %d", len(byRef), len(conducts))
	}
	checkLedger(t, addr, conducts)
}

// TestTwoServersImport has both servers import one file at once, one
// front to back and one back to front, in batches: every row is recorded
// once, the rest are replays, and the caps hold.
func TestTwoServersImport(t *testing.T) {
	addr, svcs := twoServers(t)
	ids := residents(t, svcs[0], "busy-street", 100, 12)
	conducts := streetConducts(ids, 3, 8, "imp")
	backwards := make([]ledger.Conduct, len(conducts))
	for i, c := range conducts {
		backwards[len(conducts)-1-i] = c
	}

	var wg sync.WaitGroup
	reps := make([]*ledger.ImportReport, 2)
	errs := make([]error, 2)
	for i, cs := range [][]ledger.Conduct{conducts, backwards} {
		wg.Go(func() {
			reps[i], errs[i] = svcs[i].RecordAll(adminCtx(t), cs, ledger.ImportOptions{Batch: 50})
		})
	}
	wg.Wait()
	recorded := 0
	for i, rep := range reps {
		if errs[i] != nil {
			t.Fatalf("import on server %d: %v", i, errs[i])
		}
		if len(rep.Bad) > 0 || rep.Rows != len(conducts) || rep.Recorded+rep.Replayed != len(conducts) {
			t.Errorf("import on server %d: %d rows, %d recorded, %d replayed, bad %v; want %d rows, recorded or replayed",
				i, rep.Rows, rep.Recorded, rep.Replayed, rep.Bad, len(conducts))
		}
		recorded += rep.Recorded
	}
	if recorded != len(conducts) {
		t.Errorf("rows recorded by both servers: got %d, want %d", recorded, len(conducts))
	}
	checkLedger(t, addr, conducts)
}
