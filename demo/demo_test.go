package demo_test

import (
	"context"
	"net/url"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/demo"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/sqlite"
)

// built is a demo database, open for the test to read.
type built struct {
	sum   *demo.Summary
	svc   *ledger.Service
	admin context.Context
	at    time.Time
}

// at is the end of the demo's year of records.
var at = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// openLedger is a ledger over a new SQLite file, reading now.
func openLedger(t *testing.T, now func() time.Time) *ledger.Service {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	key, _ := ledger.ParseKey(ledger.GenerateKey())
	vault, _ := ledger.NewVault(key)
	return ledger.New(db, vault, ledger.Options{Now: now})
}

func build(t *testing.T, seed uint64) *built {
	t.Helper()
	ctx := context.Background()
	clock := demo.NewClock(func() time.Time { return at })
	svc := openLedger(t, clock.Now)
	sum, err := demo.Build(ctx, svc, demo.Options{Villagers: 40, Residents: 80, Shops: 10, Seed: seed, Now: at, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	admin := ledger.WithPurpose(ledger.WithActor(ctx, &tally.Actor{Name: "test", Role: tally.Admin}), "demo test")
	return &built{sum: sum, svc: svc, admin: admin, at: at}
}

// The same seed gives the same people, records and grades; another seed
// gives others.
func TestBuildIsDeterministic(t *testing.T) {
	a, b, c := build(t, 7).sum, build(t, 7).sum, build(t, 8).sum
	if !reflect.DeepEqual(a, b) {
		t.Errorf("two builds with seed 7 differ:\n%+v\n%+v", a, b)
	}
	if reflect.DeepEqual(a.Try, c.Try) {
		t.Errorf("seeds 7 and 8 gave the same example subjects %+v", a.Try)
	}
	for _, d := range a.Schemes {
		if d.Records == 0 || d.Scored == 0 {
			t.Errorf("scheme %s: %d records, %d scored; want some of each", d.Scheme, d.Records, d.Scored)
		}
	}
}

// A demo clock that is not the ledger's is refused, since the overdue
// commitment could not be signed in the past.
func TestBuildRefusesAForeignClock(t *testing.T) {
	svc := openLedger(t, func() time.Time { return at })
	_, err := demo.Build(context.Background(), svc, demo.Options{Villagers: 40, Residents: 20, Shops: 4, Now: at, Clock: demo.NewClock(func() time.Time { return at })})
	if err == nil || !strings.Contains(err.Error(), "Options.Clock") {
		t.Errorf("build with a clock the ledger does not read: %v, want refused", err)
	}
}

// The demo database holds one of each part the tour points at, read back
// through the ledger, and the tour names each in both languages.
func TestBuildMakesEveryPart(t *testing.T) {
	b := build(t, 7)
	village, city := b.sum.Try["jiakuang-majia"], b.sum.Try["rongcheng-city"]
	resident := b.as(t, "resident")

	t.Run("a villager the clerk added, enrolled, with both consents", func(t *testing.T) {
		stop := b.stop(t, "consents")
		id, err := strconv.ParseInt(stop.Path[strings.LastIndex(stop.Path, "/")+1:], 10, 64)
		if err != nil {
			t.Fatalf("the consents stop %q names no subject: %v", stop.Path, err)
		}
		f, err := b.svc.FoundByID(b.admin, "jiakuang-majia", id)
		if err != nil {
			t.Fatal(err)
		}
		full, err := b.svc.Find(b.admin, "jiakuang-majia", f.Identifier)
		if err != nil || len(full) != 1 {
			t.Fatalf("find %s: %v %v", f.Name, full, err)
		}
		published, err := b.svc.Publication(b.admin, "jiakuang-majia", full[0].Identifier)
		people, _ := url.Parse(b.stop(t, "people").Path)
		if err != nil || !f.Consent || !published || people.Query().Get("q") != f.Name {
			t.Errorf("the clerk's villager %+v: scoring consent %v, publication %v (%v); people stop %q", f, f.Consent, published, err, people)
		}
		if log := b.accessLog(t, f.Identifier); !strings.Contains(log, "recorder") {
			t.Errorf("the villager's access log names no recorder, who added them:\n%s", log)
		}
	})
	t.Run("a repair waiting and one decided", func(t *testing.T) {
		all, err := b.svc.Repairs(b.admin, ledger.RepairQuery{Scheme: "jiakuang-majia"})
		if err != nil {
			t.Fatal(err)
		}
		var open, approved int
		for _, p := range all {
			switch {
			case p.Decision == nil && p.Obligations == demo.WaitingRepair:
				open++
			case p.Decision != nil && p.Decision.Approved && p.Decision.Reasons == demo.RepairReasons:
				approved++
			}
		}
		if open != 1 || approved != 1 {
			t.Errorf("repairs %+v: %d waiting, %d approved; want one of each", all, open, approved)
		}
	})
	t.Run("a notice the resident can acknowledge", func(t *testing.T) {
		notices, err := b.svc.Outbox(resident, ledger.OutboxQuery{Identifier: village.Identifier})
		if err != nil {
			t.Fatal(err)
		}
		unread := 0
		for _, n := range notices {
			if n.Ack == nil {
				unread++
			}
		}
		if unread == 0 {
			t.Fatalf("the resident has %d notices, none to acknowledge", len(notices))
		}
		if _, err := b.svc.AcknowledgeNotice(resident, notices[0].ID); err != nil {
			t.Errorf("the resident acknowledges notice #%d: %v", notices[0].ID, err)
		}
	})
	t.Run("an entry under an open objection, and a second-level appeal", func(t *testing.T) {
		h, err := b.svc.History(resident, "jiakuang-majia", village.Identifier, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		disputed := 0
		for _, e := range h {
			if e.Disputed {
				disputed++
			}
		}
		open, err := b.svc.Objections(b.admin, ledger.ObjectionQuery{Open: true})
		if err != nil {
			t.Fatal(err)
		}
		appeals := 0
		for _, o := range open {
			if o.AppealOf != 0 && o.Grounds == demo.AppealGrounds {
				appeals++
			}
		}
		if disputed == 0 || appeals != 1 {
			t.Errorf("%d entries disputed, %d appeals open; want some and one", disputed, appeals)
		}
	})
	t.Run("credit commitments, one overdue", func(t *testing.T) {
		all, err := b.svc.Commitments(b.admin, ledger.CommitmentQuery{Scheme: "rongcheng-city", Identifier: city.Identifier})
		if err != nil {
			t.Fatal(err)
		}
		overdue, err := b.svc.Commitments(b.admin, ledger.CommitmentQuery{Scheme: "rongcheng-city", Overdue: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 2 || len(overdue) != 1 || overdue[0].What != demo.OverdueCommitment {
			t.Errorf("commitments %+v, overdue %+v; want two, one of them overdue", all, overdue)
		}
		if s := b.stop(t, "commitments"); s.Command != "commitments list --overdue" || s.Look != demo.OverdueCommitment {
			t.Errorf("the commitments stop %+v", s)
		}
	})
	t.Run("the working-day calendar", func(t *testing.T) {
		year, _ := strconv.Atoi(demo.CalendarYear)
		y, err := b.svc.Calendar(b.admin, year)
		if err != nil || len(y.Days()) == 0 {
			t.Errorf("calendar %s: %v, %v; want its days off", demo.CalendarYear, y, err)
		}
	})
	t.Run("a court listing and a denied check", func(t *testing.T) {
		if log := b.accessLog(t, village.Identifier); !strings.Contains(log, demo.CheckedMeasure+": denied") {
			t.Errorf("the resident's access log has no denied check:\n%s", log)
		}
	})
	t.Run("a shop rating scheme", func(t *testing.T) {
		d, err := b.svc.Distribution(b.admin, "market-stars", b.at)
		if err != nil || d.Scored == 0 {
			t.Errorf("market-stars: %+v %v, want shops rated", d, err)
		}
	})
	t.Run("the tour in both languages", func(t *testing.T) {
		for _, s := range b.sum.Tour {
			if s.In("zh") == "" || s.In("en") == "" || s.In("zh") == s.In("en") || s.Look.In("zh") == "" || s.Look.In("en") == "" {
				t.Errorf("stop %+v lacks a text in a language", s)
			}
			if (s.Path == "") == (s.Command == "") {
				t.Errorf("stop %q has path %q and command %q, want one", s.In("en"), s.Path, s.Command)
			}
		}
	})
}

// as is a demo account's signed-in context.
func (b *built) as(t *testing.T, name string) context.Context {
	t.Helper()
	secret, _, err := b.svc.SignIn(b.admin, name, name+"-demo-pass")
	if err != nil {
		t.Fatal(err)
	}
	a, _, err := b.svc.Session(b.admin, secret)
	if err != nil {
		t.Fatal(err)
	}
	return ledger.WithPurpose(ledger.WithActor(context.Background(), a), "demo test")
}

// stop is the tour's stop whose English text starts as that of key.
func (b *built) stop(t *testing.T, key string) demo.Stop {
	t.Helper()
	want := map[string]string{"consents": "that villager's consents", "people": "the clerk's people page", "commitments": "credit commitments"}[key]
	for _, s := range b.sum.Tour {
		if strings.HasPrefix(s.In("en"), want) {
			return s
		}
	}
	t.Fatalf("the tour has no stop %q", want)
	return demo.Stop{}
}

// accessLog is a subject's access log, a line an entry.
func (b *built) accessLog(t *testing.T, identifier string) string {
	t.Helper()
	log, err := b.svc.AccessLog(b.admin, identifier, 0, 500)
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	for _, e := range log {
		out.WriteString(e.Actor + " " + e.Action + " " + e.Detail + "\n")
	}
	return out.String()
}
