package ledger_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/examples"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/sqlite"
)

// now is the fixed clock of these tests: noon in Beijing on 26 Nov 2026.
var (
	shanghai = mustLocation("Asia/Shanghai")
	now      = time.Date(2026, 11, 26, 12, 0, 0, 0, shanghai)
)

// Identifiers from the project's public examples.
const (
	zhang = "360426199101010071"
	li    = "34052419800101001X"
	shop  = "91110000600037341L"
)

func mustLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// fixture is a ledger over a fresh SQLite file with a fixed clock.
type fixture struct {
	t     testing.TB
	ctx   context.Context
	svc   *ledger.Service
	db    *sqlite.DB
	path  string // the SQLite file, for tests that tamper with it
	vault *ledger.Vault
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	path := filepath.Join(t.TempDir(), "tally.db")
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f := fixtureOn(t, db, ledger.Options{})
	f.db, f.path = db, path
	return f
}

// fixtureOn is a fixture whose Service runs over store with opts and the
// fixed clock; its db and path are unset.
func fixtureOn(t testing.TB, store ledger.Store, opts ledger.Options) *fixture {
	t.Helper()
	ctx := ledger.WithPurpose(ledger.WithActor(context.Background(), &tally.Actor{Name: "test", Role: tally.Admin}), "test")
	key, _ := ledger.ParseKey(ledger.GenerateKey())
	vault, err := ledger.NewVault(key)
	if err != nil {
		t.Fatal(err)
	}
	opts.Now = func() time.Time { return now }
	svc := ledger.New(store, vault, opts)
	if err := svc.Check(ctx); err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, ctx: ctx, svc: svc, vault: vault}
}

// publishExample publishes one of the example rulebooks.
func (f *fixture) publishExample(name string) {
	f.t.Helper()
	src, err := examples.Rulebooks.ReadFile(name)
	if err != nil {
		f.t.Fatal(err)
	}
	f.publish(name, string(src))
}

func (f *fixture) publish(name, src string) *ledger.Published {
	f.t.Helper()
	pub, err := f.svc.Publish(f.ctx, name, []byte(src))
	if err != nil {
		f.t.Fatalf("publish %s: %v", name, err)
	}
	return pub
}

// person adds and enrols a consenting person.
func (f *fixture) person(scheme, id, name string) {
	f.t.Helper()
	if _, err := f.svc.AddSubject(f.ctx, ledger.NewSubject{Kind: tally.Person, Identifier: id, Name: name}); err != nil {
		f.t.Fatal(err)
	}
	f.enrol(scheme, id, true)
}

func (f *fixture) enrol(scheme, id string, consent bool) {
	f.t.Helper()
	if _, err := f.svc.Enrol(f.ctx, ledger.Enrolment{Scheme: scheme, Identifier: id, Consent: consent}); err != nil {
		f.t.Fatal(err)
	}
}

// record records conduct on a date and returns the record.
func (f *fixture) record(scheme, id, rule, date, ref string, facts ...string) tally.Record {
	f.t.Helper()
	r, err := f.svc.Record(f.ctx, f.conduct(scheme, id, rule, date, ref, facts...))
	if err != nil {
		f.t.Fatalf("record %s %s: %v", rule, ref, err)
	}
	return r.Record
}

func (f *fixture) conduct(scheme, id, rule, date, ref string, facts ...string) ledger.Conduct {
	f.t.Helper()
	at, err := ledger.ParseTime(date, shanghai, false)
	if err != nil {
		f.t.Fatal(err)
	}
	return ledger.Conduct{Scheme: scheme, Identifier: id, Rule: rule, At: at, Ref: ref, FactArgs: facts, By: "recorder-7", Evidence: "test evidence"}
}

// score returns the score at the end of a date; it fails the test if the
// subject is not scored.
func (f *fixture) score(scheme, id, date string) (int64, string) {
	f.t.Helper()
	s := f.scoreOf(scheme, id, date)
	if !s.Scored {
		f.t.Fatalf("score %s at %s: not scored: %s", id, date, s.Unscored)
	}
	grade := ""
	if s.Grade != nil {
		grade = *s.Grade
	}
	return *s.Score, grade
}

func (f *fixture) scoreOf(scheme, id, date string) *tally.Score {
	f.t.Helper()
	at, err := ledger.ParseTime(date, shanghai, true)
	if err != nil {
		f.t.Fatal(err)
	}
	s, err := f.svc.Score(f.ctx, scheme, id, at)
	if err != nil {
		f.t.Fatalf("score %s at %s: %v", id, date, err)
	}
	return s
}

// counts returns how many subjects and records a scheme holds.
func (f *fixture) counts(scheme string) (int64, int64) {
	f.t.Helper()
	var subjects, records int64
	err := f.db.View(f.ctx, func(tx ledger.Tx) error {
		var err error
		subjects, records, err = tx.Counts(f.ctx, scheme)
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return subjects, records
}

func wantCode(t *testing.T, err error, code tally.ErrorCode, contains string) {
	t.Helper()
	if got := tally.ErrorCodeOf(err); got != code {
		t.Fatalf("error = %v (code %q), want code %q", err, got, code)
	}
	if contains != "" && !containsFold(err.Error(), contains) {
		t.Fatalf("error = %q, want it to mention %q", err, contains)
	}
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}

// approve approves a held record as a second person, a reviewer.
func (f *fixture) approve(recordID int64) {
	f.t.Helper()
	if _, err := f.svc.Approve(as(tally.Reviewer, "second-reviewer", nil), recordID, "checked the decision"); err != nil {
		f.t.Fatalf("approve #%d: %v", recordID, err)
	}
}
