package ledger_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/examples"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/parse"
)

// reviewerCtx acts as a reviewer named name.
func reviewerCtx(name string) context.Context { return as(tally.Reviewer, name, nil) }

// subjectCtx acts as the subject with identifier id.
func (f *fixture) subjectCtx(id string) context.Context {
	return ledger.WithActor(context.Background(), &tally.Actor{Name: "subject " + id[len(id)-4:], Role: tally.SubjectR, Lookup: f.vault.Lookup(id)})
}

// history returns the subject's whole history in a scheme.
func (f *fixture) history(scheme, id string) []ledger.Entry {
	f.t.Helper()
	h, err := f.svc.History(f.ctx, scheme, id, 0, 100)
	if err != nil {
		f.t.Fatal(err)
	}
	return h
}

// A rulebook that scores "repeated online petition" is refused by publish
// with the reason; the same rulebook without the rule publishes.
func TestPublishRefusesPetitionRule(t *testing.T) {
	f := newFixture(t)
	src, err := examples.Rulebooks.ReadFile("village.yaml")
	if err != nil {
		t.Fatal(err)
	}
	petition := `  - code: conduct.repeat-petition
    title: {zh: 重复网上信访, en: Repeated online petition}
    category: environment
    points: -10
    severity: minor
    lasts: 3m
    cap: {points: 20, per: month}
    basis: "Village covenant"
    evidence: required
`
	bad := strings.Replace(string(src), "rules:\n", "rules:\n"+petition, 1)
	_, err = f.svc.Publish(f.ctx, "village.yaml", []byte(bad))
	wantCode(t, err, tally.EInvalid, "petition")
	for _, want := range []string{"rule conduct.repeat-petition", "targets a protected activity (petitions or complaints to the authorities)"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("got error %v, want it to say %q", err, want)
		}
	}
	if pub := f.publish("village.yaml", string(src)); pub.Version.Version != 1 {
		t.Errorf("got version %d, want 1: the refused rulebook must not have been stored", pub.Version.Version)
	}
}

// A serious deduction stays pending, counting nowhere, until a second
// person approves it; the recorder may not approve their own; a rejection
// appends a reversal.
func TestSeriousDeductionWaitsForSecondPerson(t *testing.T) {
	f := newFixture(t)
	f.publishExample("city.yaml")
	f.person("rongcheng-city", zhang, "张三")
	recorder := as(tally.Recorder, "recorder-7", nil)
	c := f.conduct("rongcheng-city", zhang, "utilities.theft", "2026-03-01", "theft/1") // -60, serious
	rec, err := f.svc.Record(recorder, c)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Pending == "" || !strings.Contains(rec.Pending, "serious") {
		t.Errorf("got Pending %q, want the serious reason", rec.Pending)
	}
	if s, _ := f.score("rongcheng-city", zhang, "2026-11-01"); s != 1000 {
		t.Errorf("pending: got score %d, want 1000", s)
	}
	if h := f.history("rongcheng-city", zhang); len(h) != 1 || !h[0].Pending {
		t.Errorf("got history %+v, want the record shown pending", h)
	}
	queue, err := f.svc.PendingReviews(reviewerCtx("second"), "", 0, 10)
	if err != nil || len(queue) != 1 || queue[0].RecordID != rec.Record.ID {
		t.Fatalf("got queue %+v, %v; want the held record", queue, err)
	}
	_, err = f.svc.Approve(as(tally.Reviewer, "recorder-7", nil), rec.Record.ID, "fine by me")
	wantCode(t, err, tally.EForbidden, "second person")
	_, err = f.svc.Approve(recorder, rec.Record.ID, "")
	wantCode(t, err, tally.EForbidden, "")
	if _, err := f.svc.Approve(reviewerCtx("second"), rec.Record.ID, "court decision checked"); err != nil {
		t.Fatal(err)
	}
	if s, _ := f.score("rongcheng-city", zhang, "2026-11-01"); s != 940 {
		t.Errorf("approved: got score %d, want 940", s)
	}
	_, err = f.svc.Approve(reviewerCtx("third"), rec.Record.ID, "again")
	wantCode(t, err, tally.EConflict, "already approved")

	// A -20 deduction is below the threshold and counts at once; a -100
	// one waits, and a rejection reverses it.
	if r := f.record("rongcheng-city", zhang, "utilities.late-fees", "2026-11-01", "late/1"); r.Awarded != -20 {
		t.Fatalf("got %d", r.Awarded)
	}
	big, err := f.svc.Record(recorder, f.conduct("rongcheng-city", zhang, "utilities.equipment-damage", "2026-11-02", "dmg/1"))
	if err != nil || big.Pending == "" {
		t.Fatalf("got %+v, %v; want a pending record", big, err)
	}
	_, err = f.svc.Reject(reviewerCtx("second"), big.Record.ID, " ")
	wantCode(t, err, tally.EInvalid, "reasons")
	h, err := f.svc.Reject(reviewerCtx("second"), big.Record.ID, "no evidence of damage")
	if err != nil || h.Decision.Reversal == 0 {
		t.Fatalf("got %+v, %v; want a rejection with a reversal", h, err)
	}
	if s, _ := f.score("rongcheng-city", zhang, "2026-11-20"); s != 920 {
		t.Errorf("after rejection: got score %d, want 920", s)
	}
	hist := f.history("rongcheng-city", zhang)
	if last := hist[len(hist)-1]; last.Reverses != big.Record.ID || !strings.Contains(last.Reason, "rejected at second review") {
		t.Errorf("got last history entry %+v, want the rejection's reversal", last)
	}
	if q, _ := f.svc.PendingReviews(reviewerCtx("second"), "rongcheng-city", 0, 10); len(q) != 0 {
		t.Errorf("got %d pending, want 0", len(q))
	}
}

// An import holds what a recorder's form would hold.
func TestImportHoldsHeavyDeductions(t *testing.T) {
	f := newFixture(t)
	f.publishExample("city.yaml")
	f.person("rongcheng-city", zhang, "张三")
	csv := "scheme,subject,rule,at,ref,evidence\nrongcheng-city," + zhang + ",utilities.theft,2026-03-01,imp/1,court\n" +
		"rongcheng-city," + zhang + ",utilities.late-fees,2026-03-02,imp/2,bill\n"
	rep, err := f.svc.Import(f.ctx, strings.NewReader(csv), ledger.ImportOptions{Format: parse.CSV})
	if err != nil || rep.Recorded != 2 {
		t.Fatalf("got %+v, %v", rep, err)
	}
	if s, _ := f.score("rongcheng-city", zhang, "2026-03-03"); s != 980 {
		t.Errorf("got score %d, want 980: the theft waits", s)
	}
	if q, _ := f.svc.PendingReviews(reviewerCtx("second"), "", 0, 10); len(q) != 1 || q[0].Record.Rule != "utilities.theft" {
		t.Errorf("got queue %+v, want the theft", q)
	}
}

// A minor deduction stops counting at most 3 months after it happened,
// with nobody acting.
func TestMinorDeductionEndsByItself(t *testing.T) {
	f := newFixture(t)
	f.publishExample("city.yaml")
	f.person("rongcheng-city", zhang, "张三")
	r := f.record("rongcheng-city", zhang, "utilities.late-fees", "2026-05-31", "late/1") // minor
	limit := r.HappenedAt.In(shanghai).AddDate(0, 3, 0)
	if !r.ExpiresAt.After(r.HappenedAt) || r.ExpiresAt.After(limit) {
		t.Fatalf("expires %v, want after %v and at most %v", r.ExpiresAt, r.HappenedAt, limit)
	}
	at := func(t0 time.Time) int64 {
		s, err := f.svc.Score(f.ctx, "rongcheng-city", zhang, t0)
		if err != nil {
			t.Fatal(err)
		}
		return *s.Score
	}
	if got := at(r.HappenedAt); got != 980 {
		t.Errorf("when it happened: got %d, want 980", got)
	}
	if got := at(limit); got != 1000 {
		t.Errorf("3 months later (%v): got %d, want 1000", limit, got)
	}
}

// An objection decided in the subject's favour restores the score exactly
// as of the decision; the history shows the original and the reversal;
// every step is in the subject's access log.
func TestObjectionVoidRestoresScore(t *testing.T) {
	f := newFixture(t)
	f.publishExample("city.yaml")
	f.person("rongcheng-city", zhang, "张三")
	f.record("rongcheng-city", zhang, "health.blood-donation", "2026-10-01", "blood/1")
	before, _ := f.score("rongcheng-city", zhang, "2026-11-26")
	r := f.record("rongcheng-city", zhang, "finance.loan-default", "2026-11-01", "loan/1")
	if s, _ := f.score("rongcheng-city", zhang, "2026-11-26"); s != before-20 {
		t.Fatalf("got %d, want %d", s, before-20)
	}
	me := f.subjectCtx(zhang)
	o, err := f.svc.Object(me, ledger.ObjectionInput{Scheme: "rongcheng-city", Identifier: zhang, Record: r.ID, Grounds: "the loan was repaid", Evidence: "bank letter"})
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 12, 1, 23, 59, 59, 999999000, shanghai); !o.AcknowledgeBy.Equal(want) {
		t.Errorf("acknowledge by %v, want %v (3 working days from a Thursday)", o.AcknowledgeBy, want)
	}
	if want := time.Date(2026, 12, 11, 23, 59, 59, 999999000, shanghai); !o.DecideBy.Equal(want) {
		t.Errorf("decide by %v, want %v", o.DecideBy, want)
	}
	_, err = f.svc.Object(me, ledger.ObjectionInput{Scheme: "rongcheng-city", Identifier: zhang, Record: r.ID, Grounds: "again"})
	wantCode(t, err, tally.EConflict, "still open")
	_, err = f.svc.Object(f.subjectCtx(li), ledger.ObjectionInput{Scheme: "rongcheng-city", Identifier: zhang, Record: r.ID, Grounds: "x"})
	wantCode(t, err, tally.EForbidden, "")
	_, err = f.svc.Decide(as(tally.Reviewer, "recorder-7", nil), ledger.Decision{Objection: o.ID, Outcome: tally.Voided, Reasons: "x"})
	wantCode(t, err, tally.EForbidden, "may not decide")
	_, err = f.svc.Decide(reviewerCtx("rev"), ledger.Decision{Objection: o.ID, Outcome: tally.Voided})
	wantCode(t, err, tally.EInvalid, "reasons")
	d, err := f.svc.Decide(reviewerCtx("rev"), ledger.Decision{Objection: o.ID, Outcome: tally.Voided, Reasons: "the bank confirms repayment"})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := f.score("rongcheng-city", zhang, "2026-11-26"); got != before {
		t.Errorf("after the decision: got %d, want %d as before the record", got, before)
	}
	h := f.history("rongcheng-city", zhang)
	if len(h) != 3 || h[1].ID != r.ID || !h[1].Reversed || h[2].Reverses != r.ID || h[2].ID != d.Decision.Reversal {
		t.Errorf("got history %+v, want the original, reversed, then its reversal", h)
	}
	mine, err := f.svc.Objections(me, ledger.ObjectionQuery{})
	if err != nil || len(mine) != 1 || mine[0].Decision == nil || mine[0].Decision.Outcome != tally.Voided {
		t.Errorf("got %+v, %v; want the subject to see the decided objection", mine, err)
	}
	_, err = f.svc.Appeal(me, o.ID, "more", "")
	wantCode(t, err, tally.EInvalid, "in the subject's favour")
	log, err := f.svc.AccessLog(me, zhang, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range log {
		seen[e.Action] = true
	}
	for _, a := range []string{"object", "decide"} {
		if !seen[a] {
			t.Errorf("access log lacks %q: %+v", a, log)
		}
	}
}

// A correction reverses the record and records it again with corrected
// facts; an appeal is decided by a different reviewer.
func TestObjectionCorrectionAndAppeal(t *testing.T) {
	f := newFixture(t)
	f.publishExample("city.yaml")
	f.person("rongcheng-city", zhang, "张三")
	r := f.record("rongcheng-city", zhang, "finance.card-arrears", "2026-11-01", "card/1", "cycles=3") // -30
	o, err := f.svc.Object(f.ctx, ledger.ObjectionInput{Scheme: "rongcheng-city", Identifier: zhang, Record: r.ID, Grounds: "one cycle only"})
	if err != nil {
		t.Fatal(err)
	}
	d, err := f.svc.Decide(reviewerCtx("rev-1"), ledger.Decision{Objection: o.ID, Outcome: tally.Corrected, Reasons: "the bank shows 2 cycles", Facts: []string{"cycles=2"}})
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := f.score("rongcheng-city", zhang, "2026-11-26"); s != 980 {
		t.Errorf("after correction: got %d, want 980", s)
	}
	ap, err := f.svc.Appeal(f.ctx, o.ID, "one cycle only, see statement", "statement")
	if err != nil {
		t.Fatal(err)
	}
	if ap.AppealOf != o.ID || ap.TargetID != d.Decision.Correction {
		t.Errorf("got appeal %+v, want one of #%d about the correction #%d", ap, o.ID, d.Decision.Correction)
	}
	_, err = f.svc.Decide(reviewerCtx("rev-1"), ledger.Decision{Objection: ap.ID, Outcome: tally.Upheld, Reasons: "x"})
	wantCode(t, err, tally.EForbidden, "different reviewer")
	if _, err := f.svc.Decide(reviewerCtx("rev-2"), ledger.Decision{Objection: ap.ID, Outcome: tally.Upheld, Reasons: "two cycles are shown"}); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.Appeal(f.ctx, o.ID, "again", "")
	wantCode(t, err, tally.EConflict, "")
}

// Objections past a deadline are flagged overdue to reviewers.
func TestOverdueObjections(t *testing.T) {
	f := newFixture(t)
	f.publishExample("city.yaml")
	f.person("rongcheng-city", zhang, "张三")
	r := f.record("rongcheng-city", zhang, "finance.loan-default", "2026-11-01", "loan/1")
	o, err := f.svc.Object(f.ctx, ledger.ObjectionInput{Scheme: "rongcheng-city", Identifier: zhang, Record: r.ID, Grounds: "repaid"})
	if err != nil {
		t.Fatal(err)
	}
	clock := now
	later := ledger.New(f.db, f.vault, ledger.Options{Now: func() time.Time { return clock }})
	overdue := func(when time.Time) []ledger.ObjectionView {
		clock = when
		got, err := later.Objections(reviewerCtx("rev"), ledger.ObjectionQuery{Overdue: true})
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	if got := overdue(o.AcknowledgeBy); len(got) != 0 {
		t.Errorf("on the last day: got %d overdue, want 0", len(got))
	}
	if got := overdue(o.AcknowledgeBy.Add(time.Second)); len(got) != 1 || !got[0].Overdue {
		t.Errorf("after the acknowledgement deadline: got %+v, want it overdue", got)
	}
	if _, err := later.Acknowledge(reviewerCtx("rev"), o.ID); err != nil {
		t.Fatal(err)
	}
	if got := overdue(o.DecideBy); len(got) != 0 {
		t.Errorf("acknowledged, on the decision's last day: got %d overdue, want 0", len(got))
	}
	if got := overdue(o.DecideBy.Add(time.Second)); len(got) != 1 {
		t.Errorf("after the decision deadline: got %d overdue, want 1", len(got))
	}
}

// A repair ends a deduction's effect from its approval, not before; it
// waits for the severity's minimum.
func TestRepair(t *testing.T) {
	f := newFixture(t)
	f.publishExample("city.yaml")
	f.person("rongcheng-city", zhang, "张三")
	recent := f.record("rongcheng-city", zhang, "finance.loan-default", "2026-10-01", "loan/1") // general, min 3m
	_, err := f.svc.ApplyRepair(f.ctx, ledger.RepairInput{Scheme: "rongcheng-city", Identifier: zhang, Record: recent.ID, Obligations: "repaid"})
	wantCode(t, err, tally.EInvalid, "may be repaired after 3m")
	old := f.record("rongcheng-city", zhang, "tax.arrears", "2026-06-01", "tax/1") // general, min 3m
	_, err = f.svc.ApplyRepair(f.ctx, ledger.RepairInput{Scheme: "rongcheng-city", Identifier: zhang, Record: old.ID})
	wantCode(t, err, tally.EInvalid, "obligations")
	p, err := f.svc.ApplyRepair(f.ctx, ledger.RepairInput{Scheme: "rongcheng-city", Identifier: zhang, Record: old.ID, Obligations: "tax paid 2026-09-01, receipt 44"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.DecideRepair(as(tally.Reviewer, "recorder-7", nil), p.ID, true, "ok"); tally.ErrorCodeOf(err) != tally.EForbidden {
		t.Errorf("the recorder deciding: got %v, want forbidden", err)
	}
	if _, err := f.svc.DecideRepair(reviewerCtx("rev"), p.ID, true, "receipt checked"); err != nil {
		t.Fatal(err)
	}
	if s, _ := f.score("rongcheng-city", zhang, "2026-11-25"); s != 960 {
		t.Errorf("before the approval: got %d, want 960", s)
	}
	if s, _ := f.score("rongcheng-city", zhang, "2026-11-26"); s != 980 {
		t.Errorf("after the approval: got %d, want 980", s)
	}
	h := f.history("rongcheng-city", zhang)
	if h[1].ID != old.ID || h[1].RepairedAt.IsZero() {
		t.Errorf("got %+v, want the repaired record marked", h[1])
	}
}

// An objection to a list entry: the entry stays in force until a
// reviewer who did not make it voids it, which ends it with a removal
// "overturned"; the listing, the record and the decision each queue a
// notice for the subject.
func TestObjectionToListEntry(t *testing.T) {
	f := newListFixture(t)
	entry, err := f.svc.List(f.ctx, defaulter())
	if err != nil {
		t.Fatal(err)
	}
	o, err := f.svc.Object(f.subjectCtx(zhang), ledger.ObjectionInput{Identifier: zhang, List: entry.List, Case: entry.CaseNumber, Grounds: "I performed the judgment"})
	if err != nil {
		t.Fatal(err)
	}
	if o.Scheme != "" || o.Target != tally.TargetEntry || o.TargetID != entry.ID {
		t.Errorf("got %+v, want an objection to entry #%d", o, entry.ID)
	}
	still, err := f.svc.Eligibility(f.ctx, zhang, "air-travel", time.Time{})
	if err != nil || still.Allowed {
		t.Fatalf("got %+v, %v; want the listing in force while the objection is open", still, err)
	}
	_, err = f.svc.Decide(as(tally.Reviewer, "court-clerk", nil), ledger.Decision{Objection: o.ID, Outcome: tally.Voided, Reasons: "x"})
	wantCode(t, err, tally.EForbidden, "made list entry")
	_, err = f.svc.Decide(reviewerCtx("judge"), ledger.Decision{Objection: o.ID, Outcome: tally.Corrected, Reasons: "x"})
	wantCode(t, err, tally.EInvalid, "not corrected here")
	d, err := f.svc.Decide(reviewerCtx("judge"), ledger.Decision{Objection: o.ID, Outcome: tally.Voided, Reasons: "the creditor confirms performance"})
	if err != nil {
		t.Fatal(err)
	}
	if d.Decision.Removal == 0 {
		t.Errorf("got %+v, want a removal", d.Decision)
	}
	after, err := f.svc.Eligibility(f.ctx, zhang, "air-travel", time.Time{})
	if err != nil || !after.Allowed {
		t.Errorf("got %+v, %v; want allowed after the entry was overturned", after, err)
	}
	var ns []tally.Notice
	if err := f.db.View(f.ctx, func(tx ledger.Tx) error {
		ns, err = tx.Notices(f.ctx, ledger.DueFilter{Limit: 10})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if len(ns) != 2 || ns[0].Kind != tally.NoticeEntry || ns[1].Kind != tally.NoticeObjection ||
		!strings.Contains(ns[0].Body, "Object") || !strings.Contains(ns[1].Body, "voided") {
		t.Errorf("got notices %+v, want the entry's and the decision's", ns)
	}
}
