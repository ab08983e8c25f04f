package ledger_test

import (
	"context"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// as returns a context acting for an actor.
func as(role tally.Role, name string, scope func(a *tally.Actor)) context.Context {
	a := &tally.Actor{Name: name, Role: role}
	if scope != nil {
		scope(a)
	}
	return ledger.WithPurpose(ledger.WithActor(context.Background(), a), "test of "+name)
}

// Each role does what it may and is refused, with EForbidden, what it may
// not; nothing is written by a refused call.
func TestRolesAreHeldToTheirScope(t *testing.T) {
	f := newFixture(t)
	f.publishExample("village.yaml")
	f.publishExample("city.yaml")
	f.person("jiakuang-majia", zhang, "张三")
	f.enrol("rongcheng-city", zhang, true)
	volunteer := f.conduct("jiakuang-majia", zhang, "labour.volunteer", "2026-03-02", "r/1", "hours=8")
	volunteer.By = ""
	litter := f.conduct("jiakuang-majia", zhang, "conduct.littering", "2026-03-02", "r/2")
	litter.By = ""
	cityFee := f.conduct("rongcheng-city", zhang, "utilities.late-fees", "2026-03-02", "c/1")
	cityFee.By = ""

	recorder := as(tally.Recorder, "recorder-7", func(a *tally.Actor) {
		a.Schemes, a.Rules = []string{"jiakuang-majia"}, []string{"labour.volunteer"}
	})
	agency := as(tally.Agency, "water-company", func(a *tally.Actor) {
		a.Schemes, a.Categories = []string{"rongcheng-city"}, []string{"utilities"}
	})
	reviewer := as(tally.Reviewer, "reviewer-2", func(a *tally.Actor) { a.Schemes = []string{"jiakuang-majia"} })
	public := context.Background()

	allowed := func(name string, err error) {
		t.Helper()
		if err != nil {
			t.Errorf("%s: %v, want it allowed", name, err)
		}
	}
	refused := func(name string, err error) {
		t.Helper()
		if tally.ErrorCodeOf(err) != tally.EForbidden {
			t.Errorf("%s: %v, want forbidden", name, err)
		}
	}

	_, err := f.svc.Record(recorder, volunteer)
	allowed("recorder records its rule", err)
	_, err = f.svc.Record(recorder, litter)
	refused("recorder records another rule", err)
	_, err = f.svc.Record(recorder, cityFee)
	refused("recorder records in another scheme", err)
	other := volunteer
	other.Ref, other.By = "r/3", "recorder-8"
	_, err = f.svc.Record(recorder, other)
	refused("recorder records on behalf of another", err)
	_, err = f.svc.Record(agency, cityFee)
	allowed("agency records its category", err)
	_, err = f.svc.Record(agency, volunteer)
	refused("agency records outside its scheme", err)
	_, err = f.svc.Record(public, volunteer)
	refused("the public records", err)
	_, err = f.svc.Record(reviewer, volunteer)
	refused("a reviewer records", err)

	at := now
	_, err = f.svc.Explain(reviewer, "jiakuang-majia", zhang, at)
	allowed("reviewer reads in its scheme", err)
	_, err = f.svc.Explain(reviewer, "rongcheng-city", zhang, at)
	refused("reviewer reads outside its scheme", err)
	for name, ctx := range map[string]context.Context{"recorder": recorder, "agency": agency, "public": public} {
		_, err = f.svc.Explain(ctx, "jiakuang-majia", zhang, at)
		refused(name+" reads a score", err)
		_, err = f.svc.History(ctx, "jiakuang-majia", zhang, 0, 10)
		refused(name+" reads a history", err)
	}
	// A refusal does not say whether the subject exists.
	_, err = f.svc.Explain(recorder, "jiakuang-majia", "11010519491231002X", at)
	refused("recorder reads an unknown subject", err)

	_, err = f.svc.Publish(recorder, "capped.yaml", []byte(capped))
	refused("recorder publishes", err)
	_, err = f.svc.Publish(as(tally.RuleMaker, "office", func(a *tally.Actor) { a.Schemes = []string{"capped"} }), "capped.yaml", []byte(capped))
	allowed("rule-maker publishes its scheme", err)

	_, err = f.svc.AddSubject(public, ledger.NewSubject{Kind: tally.Person, Identifier: li, Name: "李四"})
	refused("the public adds a subject", err)
	_, err = f.svc.AddSubject(recorder, ledger.NewSubject{Kind: tally.Person, Identifier: li, Name: "李四"})
	allowed("recorder adds a subject", err)
	_, err = f.svc.Enrol(recorder, ledger.Enrolment{Scheme: "rongcheng-city", Identifier: li, Consent: true})
	refused("recorder enrols in another scheme", err)

	if _, records := f.counts("jiakuang-majia"); records != 1 {
		t.Errorf("village records = %d, want only the recorder's allowed one", records)
	}
	if _, records := f.counts("rongcheng-city"); records != 1 {
		t.Errorf("city records = %d, want only the agency's allowed one", records)
	}
}

// A recorder may undo its own record on the day it made it, and nothing else.
func TestRecorderUndoesOnlyItsOwnSameDayRecord(t *testing.T) {
	f := newFixture(t)
	f.publishExample("village.yaml")
	f.person("jiakuang-majia", zhang, "张三")
	recorder := as(tally.Recorder, "recorder-7", nil)
	c := f.conduct("jiakuang-majia", zhang, "labour.volunteer", "2026-03-02", "own/1", "hours=8")
	c.By = ""
	mine, err := f.svc.Record(recorder, c)
	if err != nil {
		t.Fatal(err)
	}
	c2 := f.conduct("jiakuang-majia", zhang, "labour.volunteer", "2026-03-03", "theirs/1", "hours=8")
	c2.By = "recorder-9"
	theirs, err := f.svc.Record(f.ctx, c2)
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.Reverse(recorder, ledger.Reversal{Scheme: "jiakuang-majia", Record: theirs.Record.ID, Reason: "typo", Ref: "undo/1"})
	if tally.ErrorCodeOf(err) != tally.EForbidden {
		t.Errorf("undoing another's record: %v, want forbidden", err)
	}
	if _, err := f.svc.Reverse(recorder, ledger.Reversal{Scheme: "jiakuang-majia", Record: mine.Record.ID, Reason: "typo", Ref: "undo/2"}); err != nil {
		t.Errorf("undoing its own record today: %v", err)
	}
}

// The same-day rule counts days in the scheme's time zone.
func TestRecorderUndoesNothingTheNextDay(t *testing.T) {
	f := newFixture(t)
	f.publishExample("village.yaml")
	f.person("jiakuang-majia", zhang, "张三")
	recorder := as(tally.Recorder, "recorder-7", nil)
	c := f.conduct("jiakuang-majia", zhang, "labour.volunteer", "2026-03-02", "own/1", "hours=8")
	c.By = ""
	at := func(d time.Duration) *ledger.Service {
		return ledger.New(f.db, f.vault, ledger.Options{Now: func() time.Time { return now.Add(d) }})
	}
	// Recorded at 07:00 in Shanghai, which is still the day before in UTC.
	mine, err := at(-5*time.Hour).Record(recorder, c)
	if err != nil {
		t.Fatal(err)
	}
	_, err = at(12*time.Hour).Reverse(recorder, ledger.Reversal{Scheme: "jiakuang-majia", Record: mine.Record.ID, Reason: "typo", Ref: "undo/late"})
	if tally.ErrorCodeOf(err) != tally.EForbidden {
		t.Errorf("undoing at midnight, the next day: %v, want forbidden", err)
	}
	if _, err := at(11*time.Hour).Reverse(recorder, ledger.Reversal{Scheme: "jiakuang-majia", Record: mine.Record.ID, Reason: "typo", Ref: "undo/same-day"}); err != nil {
		t.Errorf("undoing at 23:00 the same day: %v", err)
	}
}
