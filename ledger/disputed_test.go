package ledger_test

import (
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// recordDisputed returns how each read path shows record id of zhang in
// rongcheng-city now: history, explanation, recent work, credit report.
func (f *fixture) recordDisputed(id int64) map[string]bool {
	f.t.Helper()
	out := map[string]bool{}
	for _, e := range f.history("rongcheng-city", zhang) {
		if e.ID == id {
			out["history"] = e.Disputed
		}
	}
	ex, err := f.svc.Explain(f.ctx, "rongcheng-city", zhang, now)
	if err != nil {
		f.t.Fatal(err)
	}
	for _, e := range ex.InEffect {
		if e.ID == id {
			out["explain"] = e.Disputed
		}
	}
	recent, err := f.svc.Recent(f.ctx, "rongcheng-city", now.AddDate(0, -1, 0), now.Add(time.Hour), 100)
	if err != nil {
		f.t.Fatal(err)
	}
	for _, e := range recent {
		if e.ID == id {
			out["recent"] = e.Disputed
		}
	}
	rep := f.report()
	for _, e := range rep.Schemes[0].InEffect {
		if e.ID == id {
			out["report"] = e.Disputed
		}
	}
	return out
}

// report issues zhang's credit report and returns what it printed.
func (f *fixture) report() *ledger.Report {
	f.t.Helper()
	var got *ledger.Report
	_, _, err := f.svc.IssueReport(f.ctx, zhang, "a loan", "zh", func(r *ledger.Report) ([]byte, string, error) {
		got = r
		return []byte("pdf"), ledger.Digest([]byte("pdf")), nil
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return got
}

// wantEvery fails unless every read path of got says want.
func wantEvery(t *testing.T, when string, got map[string]bool, want bool) {
	t.Helper()
	for _, path := range []string{"history", "explain", "recent", "report"} {
		if v, ok := got[path]; !ok || v != want {
			t.Errorf("%s: %s shows disputed %v (present %v), want %v", when, path, v, ok, want)
		}
	}
}

// A record is disputed from the instant an objection to it is filed until
// the objection is decided, on every read path; an appeal disputes it
// again until the appeal is decided.
func TestRecordDisputedAtOnce(t *testing.T) {
	f := newFixture(t)
	f.publishExample("city.yaml")
	f.person("rongcheng-city", zhang, "张三")
	r := f.record("rongcheng-city", zhang, "finance.loan-default", "2026-11-01", "loan/1")
	wantEvery(t, "before any objection", f.recordDisputed(r.ID), false)
	o, err := f.svc.Object(f.subjectCtx(zhang), ledger.ObjectionInput{Scheme: "rongcheng-city", Identifier: zhang, Record: r.ID, Grounds: "the loan was repaid"})
	if err != nil {
		t.Fatal(err)
	}
	wantEvery(t, "once the objection is filed", f.recordDisputed(r.ID), true)
	if _, err := f.svc.Decide(reviewerCtx("rev-1"), ledger.Decision{Objection: o.ID, Outcome: tally.Upheld, Reasons: "the bank shows the default"}); err != nil {
		t.Fatal(err)
	}
	wantEvery(t, "once the objection is decided", f.recordDisputed(r.ID), false)
	ap, err := f.svc.Appeal(f.subjectCtx(zhang), o.ID, "the bank letter says repaid", "")
	if err != nil {
		t.Fatal(err)
	}
	wantEvery(t, "once appealed", f.recordDisputed(r.ID), true)
	if _, err := f.svc.Decide(reviewerCtx("rev-2"), ledger.Decision{Objection: ap.ID, Outcome: tally.Upheld, Reasons: "the default stands"}); err != nil {
		t.Fatal(err)
	}
	wantEvery(t, "once the appeal is decided", f.recordDisputed(r.ID), false)
}

// A list entry under objection is disputed in the eligibility answer and
// the credit report; the denial stands while the objection is open.
func TestListEntryDisputedAtOnce(t *testing.T) {
	f := newListFixture(t)
	entry, err := f.svc.List(f.ctx, defaulter())
	if err != nil {
		t.Fatal(err)
	}
	shows := func(when string, want bool) {
		t.Helper()
		el, err := f.svc.Eligibility(f.ctx, zhang, "air-travel", time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if el.Allowed || len(el.Reasons) != 1 || el.Reasons[0].Disputed != want {
			t.Errorf("%s: eligibility %+v, want denied with one reason, disputed %v", when, el, want)
		}
		rep := f.report()
		if len(rep.Lists) != 1 || rep.Lists[0].Disputed != want {
			t.Errorf("%s: report lists %+v, want one, disputed %v", when, rep.Lists, want)
		}
	}
	shows("before any objection", false)
	o, err := f.svc.Object(f.subjectCtx(zhang), ledger.ObjectionInput{Identifier: zhang, List: entry.List, Case: entry.CaseNumber, Grounds: "I performed the judgment"})
	if err != nil {
		t.Fatal(err)
	}
	shows("once the objection is filed", true)
	f.clock.Add(int64(time.Hour))
	if _, err := f.svc.Decide(reviewerCtx("judge"), ledger.Decision{Objection: o.ID, Outcome: tally.Upheld, Reasons: "not performed"}); err != nil {
		t.Fatal(err)
	}
	shows("once the objection is decided", false)
}
