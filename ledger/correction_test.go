package ledger_test

import (
	"errors"
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// state is what a refused decision must leave as it was.
type state struct {
	records int64
	notices int
	score   int64
}

func (f *fixture) state(scheme, id string) state {
	f.t.Helper()
	_, records := f.counts(scheme)
	var ns []tally.Notice
	if err := f.db.View(f.ctx, func(tx ledger.Tx) error {
		var err error
		ns, err = tx.Notices(f.ctx, ledger.DueFilter{Limit: ledger.MaxPage})
		return err
	}); err != nil {
		f.t.Fatal(err)
	}
	s, _ := f.score(scheme, id, "2026-11-26")
	return state{records: records, notices: len(ns), score: s}
}

// A decision on an objection may only keep or improve the subject's
// position: a correction to a larger deduction (or a smaller gain) is
// refused, naming the field, and changes nothing; a correction to a
// smaller deduction is made.
func TestCorrectionMayNotWorsen(t *testing.T) {
	f := newDueCase(t)
	card := f.record(city, zhang, "finance.card-arrears", "2026-11-03", "card/1", "cycles=2") // -20
	o := f.object(f.subjectCtx(zhang), card.ID)
	before := f.state(city, zhang)
	_, err := f.svc.Decide(reviewerCtx("rev-1"), ledger.Decision{Objection: o.ID, Outcome: tally.Corrected, Reasons: "three cycles in fact", Facts: []string{"cycles=3"}})
	wantCode(t, err, tally.EInvalid, "may only keep or improve")
	if e := (*tally.Error)(nil); !errors.As(err, &e) || e.Field != "facts" {
		t.Errorf("got %#v, want the error to name the field facts", err)
	}
	if got := f.state(city, zhang); got != before {
		t.Errorf("after the refused correction: got %+v, want %+v unchanged", got, before)
	}
	if o := f.objection(o.ID); o.Decision != nil {
		t.Fatalf("objection decided by a refused call: %+v", o.Decision)
	}

	d, err := f.svc.Decide(reviewerCtx("rev-1"), ledger.Decision{Objection: o.ID, Outcome: tally.Corrected, Reasons: "one cycle only", Facts: []string{"cycles=1"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := f.state(city, zhang).score; got != before.score+10 {
		t.Errorf("after the correction to -10: got score %d, want %d", got, before.score+10)
	}

	// The appeal of the correction is held to the corrected record: it
	// may not go back to -20.
	ap, err := f.svc.Appeal(f.subjectCtx(zhang), o.ID, "no cycle at all", "")
	if err != nil {
		t.Fatal(err)
	}
	if ap.TargetID != d.Decision.Correction {
		t.Fatalf("appeal about #%d, want the correction #%d", ap.TargetID, d.Decision.Correction)
	}
	before = f.state(city, zhang)
	_, err = f.svc.Decide(reviewerCtx("rev-2"), ledger.Decision{Objection: ap.ID, Outcome: tally.Corrected, Reasons: "two after all", Facts: []string{"cycles=2"}})
	wantCode(t, err, tally.EInvalid, "harsher entry is a new record")
	if got := f.state(city, zhang); got != before {
		t.Errorf("after the refused appeal decision: got %+v, want %+v unchanged", got, before)
	}
}

// A correction of a gain may not make it smaller.
func TestCorrectionMayNotShrinkAGain(t *testing.T) {
	f := newFixture(t)
	f.publishExample("village.yaml")
	f.person("jiakuang-majia", zhang, "张三")
	r := f.record("jiakuang-majia", zhang, "labour.volunteer", "2026-11-02", "vol/1", "hours=8") // +2
	o, err := f.svc.Object(f.subjectCtx(zhang), ledger.ObjectionInput{Scheme: "jiakuang-majia", Identifier: zhang, Grounds: "I worked 12 hours"})
	if err != nil {
		t.Fatal(err)
	}
	before := f.state("jiakuang-majia", zhang)
	_, err = f.svc.Decide(reviewerCtx("rev-1"), ledger.Decision{Objection: o.ID, Outcome: tally.Corrected, Record: r.ID, Reasons: "4 hours only", Facts: []string{"hours=4"}})
	wantCode(t, err, tally.EInvalid, "may only keep or improve")
	if got := f.state("jiakuang-majia", zhang); got != before {
		t.Errorf("got %+v, want %+v unchanged", got, before)
	}
	if _, err := f.svc.Decide(reviewerCtx("rev-1"), ledger.Decision{Objection: o.ID, Outcome: tally.Corrected, Record: r.ID, Reasons: "12 hours shown", Facts: []string{"hours=12"}}); err != nil {
		t.Fatal(err)
	}
	if got := f.state("jiakuang-majia", zhang).score; got != before.score+1 {
		t.Errorf("got score %d, want %d", got, before.score+1)
	}
}
