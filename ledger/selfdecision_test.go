package ledger_test

import (
	"context"
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// dueCase is a city scheme with Zhang San enrolled and one deduction by
// recorder-7 (-20, finance.loan-default) to object to.
type dueCase struct {
	*fixture
	loan tally.Record
}

const city = "rongcheng-city"

func newDueCase(t *testing.T) *dueCase {
	t.Helper()
	f := newFixture(t)
	f.publishExample("city.yaml")
	f.person(city, zhang, "张三")
	return &dueCase{fixture: f, loan: f.record(city, zhang, "finance.loan-default", "2026-11-01", "loan/1")}
}

// object files an objection to record id as ctx's actor.
func (f *fixture) object(ctx context.Context, id int64) *ledger.ObjectionView {
	f.t.Helper()
	o, err := f.svc.Object(ctx, ledger.ObjectionInput{Scheme: city, Identifier: zhang, Record: id, Grounds: "the loan was repaid"})
	if err != nil {
		f.t.Fatalf("object to #%d: %v", id, err)
	}
	return o
}

// objection reads an objection straight from the store.
func (f *fixture) objection(id int64) *tally.Objection {
	f.t.Helper()
	var o *tally.Objection
	if err := f.db.View(f.ctx, func(tx ledger.Tx) error {
		var err error
		o, err = tx.Objection(f.ctx, id)
		return err
	}); err != nil {
		f.t.Fatal(err)
	}
	return o
}

// void decides an objection in the subject's favour as ctx's actor.
func (f *fixture) void(ctx context.Context, id int64) error {
	_, err := f.svc.Decide(ctx, ledger.Decision{Objection: id, Outcome: tally.Voided, Reasons: "the bank confirms repayment"})
	return err
}

// wantSelfRefused checks that a decision was refused as a conflict of
// interest and that the objection is still undecided.
func (f *fixture) wantSelfRefused(t *testing.T, err error, objection int64, mention string) {
	t.Helper()
	wantCode(t, err, tally.EForbidden, mention)
	if o := f.objection(objection); o.Decision != nil {
		t.Fatalf("objection #%d was decided (%+v) by a refused call", objection, o.Decision)
	}
}

// Whoever filed an objection, recorded or approved its entry, or is its
// subject never decides it; another reviewer may.
func TestNobodyDecidesTheirOwnObjection(t *testing.T) {
	t.Run("the reviewer who filed it for the resident", func(t *testing.T) {
		f := newDueCase(t)
		o := f.object(reviewerCtx("rev-1"), f.loan.ID)
		f.wantSelfRefused(t, f.void(reviewerCtx("rev-1"), o.ID), o.ID, "filed objection")
		if err := f.void(reviewerCtx("rev-2"), o.ID); err != nil {
			t.Fatalf("another reviewer deciding: %v", err)
		}
	})
	t.Run("an admin who filed it", func(t *testing.T) {
		f := newDueCase(t)
		admin := as(tally.Admin, "admin-wu", nil)
		o := f.object(admin, f.loan.ID)
		f.wantSelfRefused(t, f.void(admin, o.ID), o.ID, "filed objection")
	})
	t.Run("the reviewer who recorded the entry", func(t *testing.T) {
		f := newDueCase(t)
		o := f.object(f.subjectCtx(zhang), f.loan.ID)
		f.wantSelfRefused(t, f.void(as(tally.Reviewer, "recorder-7", nil), o.ID), o.ID, "recorded")
	})
	t.Run("an admin who recorded the entry", func(t *testing.T) {
		f := newDueCase(t)
		admin := as(tally.Admin, "admin-wu", nil)
		c := f.conduct(city, zhang, "tax.arrears", "2026-11-02", "tax/1")
		c.By = ""
		r, err := f.svc.Record(admin, c)
		if err != nil {
			t.Fatal(err)
		}
		o := f.object(f.subjectCtx(zhang), r.Record.ID)
		f.wantSelfRefused(t, f.void(admin, o.ID), o.ID, "recorded")
	})
	t.Run("the reviewer who approved the entry at second review", func(t *testing.T) {
		f := newDueCase(t)
		theft := f.record(city, zhang, "utilities.theft", "2026-10-01", "theft/1") // held
		if _, err := f.svc.Approve(reviewerCtx("rev-1"), theft.ID, "court decision checked"); err != nil {
			t.Fatal(err)
		}
		o := f.object(f.subjectCtx(zhang), theft.ID)
		f.wantSelfRefused(t, f.void(reviewerCtx("rev-1"), o.ID), o.ID, "approved")
		if err := f.void(reviewerCtx("rev-2"), o.ID); err != nil {
			t.Fatalf("another reviewer deciding: %v", err)
		}
	})
	t.Run("a reviewer who is the subject", func(t *testing.T) {
		f := newDueCase(t)
		o := f.object(f.subjectCtx(zhang), f.loan.ID)
		self := as(tally.Reviewer, "rev-zhang", func(a *tally.Actor) { a.Lookup = f.vault.Lookup(zhang) })
		f.wantSelfRefused(t, f.void(self, o.ID), o.ID, "subject")
	})
	t.Run("a reviewer named as the subject's web account", func(t *testing.T) {
		f := newDueCase(t)
		if _, err := f.svc.CreateAccount(f.ctx, ledger.AccountSpec{Name: "zhangsan", Password: "a long password 1", Role: tally.SubjectR, Subject: zhang}); err != nil {
			t.Fatal(err)
		}
		o := f.object(f.subjectCtx(zhang), f.loan.ID)
		f.wantSelfRefused(t, f.void(as(tally.Reviewer, "zhangsan", nil), o.ID), o.ID, "subject")
		if err := f.void(as(tally.Reviewer, "lisi", nil), o.ID); err != nil {
			t.Fatalf("an unrelated reviewer deciding: %v", err)
		}
	})
	t.Run("a score objection decided through a record the decider approved", func(t *testing.T) {
		f := newDueCase(t)
		theft := f.record(city, zhang, "utilities.theft", "2026-10-01", "theft/1")
		f.approve(theft.ID) // by second-reviewer
		o, err := f.svc.Object(f.subjectCtx(zhang), ledger.ObjectionInput{Scheme: city, Identifier: zhang, Grounds: "my score is wrong"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.Decide(reviewerCtx("second-reviewer"), ledger.Decision{Objection: o.ID, Outcome: tally.Voided, Record: theft.ID, Reasons: "x"})
		f.wantSelfRefused(t, err, o.ID, "approved")
	})
}

// An appeal goes to someone who took no part in the first round: not its
// decider, not who acknowledged it, not who filed either, and not who
// recorded the original entry.
func TestAppealGoesToSomeoneNew(t *testing.T) {
	setup := func(t *testing.T) (*dueCase, *ledger.ObjectionView) {
		f := newDueCase(t)
		card := f.record(city, zhang, "finance.card-arrears", "2026-11-03", "card/1", "cycles=3") // -30
		o := f.object(reviewerCtx("rev-filer"), card.ID)
		if _, err := f.svc.Acknowledge(reviewerCtx("rev-ack"), o.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Decide(reviewerCtx("rev-1"), ledger.Decision{Objection: o.ID, Outcome: tally.Corrected, Reasons: "two cycles", Facts: []string{"cycles=2"}}); err != nil {
			t.Fatal(err)
		}
		ap, err := f.svc.Appeal(reviewerCtx("rev-appellant"), o.ID, "one cycle only", "statement")
		if err != nil {
			t.Fatal(err)
		}
		return f, ap
	}
	for _, tc := range []struct{ who, mention string }{
		{"rev-1", "decided objection"},
		{"rev-ack", "acknowledged objection"},
		{"rev-filer", "filed objection"},
		{"rev-appellant", "filed objection"},
		{"recorder-7", "recorded"},
	} {
		t.Run(tc.who, func(t *testing.T) {
			f, ap := setup(t)
			_, err := f.svc.Decide(reviewerCtx(tc.who), ledger.Decision{Objection: ap.ID, Outcome: tally.Upheld, Reasons: "the statement shows two"})
			f.wantSelfRefused(t, err, ap.ID, tc.mention)
		})
	}
	t.Run("a reviewer new to the case", func(t *testing.T) {
		f, ap := setup(t)
		if _, err := f.svc.Decide(reviewerCtx("rev-2"), ledger.Decision{Objection: ap.ID, Outcome: tally.Upheld, Reasons: "the statement shows two"}); err != nil {
			t.Fatal(err)
		}
	})
}

// Whoever filed an objection to a list entry for its subject does not
// decide it either.
func TestListObjectionFilerDoesNotDecide(t *testing.T) {
	f := newListFixture(t)
	entry, err := f.svc.List(f.ctx, defaulter())
	if err != nil {
		t.Fatal(err)
	}
	o, err := f.svc.Object(reviewerCtx("judge"), ledger.ObjectionInput{Identifier: zhang, List: entry.List, Case: entry.CaseNumber, Grounds: "performed"})
	if err != nil {
		t.Fatal(err)
	}
	f.wantSelfRefused(t, f.void(reviewerCtx("judge"), o.ID), o.ID, "filed objection")
	if err := f.void(reviewerCtx("judge-2"), o.ID); err != nil {
		t.Fatal(err)
	}
}

// The subject never approves or rejects their own held record.
func TestSubjectDoesNotReviewOwnHold(t *testing.T) {
	f := newDueCase(t)
	theft := f.record(city, zhang, "utilities.theft", "2026-10-01", "theft/1")
	self := as(tally.Reviewer, "rev-zhang", func(a *tally.Actor) { a.Lookup = f.vault.Lookup(zhang) })
	_, err := f.svc.Reject(self, theft.ID, "not me")
	wantCode(t, err, tally.EForbidden, "subject")
	var h *tally.Hold
	if err := f.db.View(f.ctx, func(tx ledger.Tx) error {
		h, err = tx.Hold(f.ctx, theft.ID)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if h.Decision != nil {
		t.Fatalf("the hold was decided (%+v) by a refused call", h.Decision)
	}
}

// A repair is not decided by its applicant, the deduction's recorder or
// approver, or the subject.
func TestRepairDecidedBySomeoneElse(t *testing.T) {
	setup := func(t *testing.T) (*fixture, *tally.Repair) {
		f := newFixture(t)
		f.publishExample("city.yaml")
		f.person(city, zhang, "张三")
		old := f.record(city, zhang, "utilities.theft", "2025-06-01", "theft/1") // serious, repairable after a year
		f.approve(old.ID)                                                        // by second-reviewer
		p, err := f.svc.ApplyRepair(reviewerCtx("rev-applicant"), ledger.RepairInput{Scheme: city, Identifier: zhang, Record: old.ID, Obligations: "damages paid, receipt 9"})
		if err != nil {
			t.Fatal(err)
		}
		return f, p
	}
	for _, tc := range []struct {
		name    string
		ctx     func(f *fixture) context.Context
		mention string
	}{
		{"the applicant", func(*fixture) context.Context { return reviewerCtx("rev-applicant") }, "applied"},
		{"the recorder", func(*fixture) context.Context { return reviewerCtx("recorder-7") }, "recorded"},
		{"the approver", func(*fixture) context.Context { return reviewerCtx("second-reviewer") }, "approved"},
		{"the subject", func(f *fixture) context.Context {
			return as(tally.Reviewer, "rev-zhang", func(a *tally.Actor) { a.Lookup = f.vault.Lookup(zhang) })
		}, "subject"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, p := setup(t)
			wantCode(t, f.svc.MayDecideRepair(tc.ctx(f), p.ID), tally.EForbidden, tc.mention)
			_, err := f.svc.DecideRepair(tc.ctx(f), p.ID, true, "receipt seen")
			wantCode(t, err, tally.EForbidden, tc.mention)
			got, err := f.svc.Repairs(f.ctx, ledger.RepairQuery{Open: true})
			if err != nil || len(got) != 1 {
				t.Fatalf("open repairs: %+v %v, want the repair still open", got, err)
			}
		})
	}
	t.Run("someone new", func(t *testing.T) {
		f, p := setup(t)
		if err := f.svc.MayDecideRepair(reviewerCtx("rev-2"), p.ID); err != nil {
			t.Errorf("may a reviewer new to the case decide: %v, want nil", err)
		}
		if _, err := f.svc.DecideRepair(reviewerCtx("rev-2"), p.ID, true, "receipt seen"); err != nil {
			t.Fatal(err)
		}
	})
}

// A fresh objection to an entry already judged is not a fresh case for
// whoever judged it: the earlier decider does not decide it again.
func TestRepeatObjectionGoesToSomeoneNew(t *testing.T) {
	f := newDueCase(t)
	rev := func(name string) context.Context {
		return as(tally.Reviewer, name, func(a *tally.Actor) { a.Schemes = []string{city} })
	}
	first := f.object(f.subjectCtx(zhang), f.loan.ID)
	if _, err := f.svc.Decide(rev("rev-1"), ledger.Decision{Objection: first.ID, Outcome: tally.Upheld, Reasons: "the bank's letter stands"}); err != nil {
		t.Fatal(err)
	}
	again := f.object(f.subjectCtx(zhang), f.loan.ID)
	_, err := f.svc.Decide(rev("rev-1"), ledger.Decision{Objection: again.ID, Outcome: tally.Upheld, Reasons: "as before"})
	f.wantSelfRefused(t, err, again.ID, "same entry")
	if _, err := f.svc.Decide(rev("rev-3"), ledger.Decision{Objection: again.ID, Outcome: tally.Upheld, Reasons: "looked again: the letter stands"}); err != nil {
		t.Errorf("a reviewer new to the entry decides: %v", err)
	}
}
