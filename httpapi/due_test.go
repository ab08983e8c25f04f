package httpapi_test

import (
	"context"
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/client"
	"github.com/tallycredit/tally/httpapi"
	"github.com/tallycredit/tally/ledger"
)

// Due process through the API: a held deduction is approved by a second
// person, not its recorder; an objection is filed by the subject, decided
// in their favour by another reviewer, which restores the score; an
// overdue objection shows in the queue; a repair is applied for and
// decided.
func TestDueProcessThroughTheAPI(t *testing.T) {
	s := startServer(t, httpapi.Config{})
	s.publish("city.yaml")
	ctx := context.Background()
	const scheme = "rongcheng-city"
	recorder := s.client(ledger.TokenSpec{Name: "recorder-7", Role: tally.Recorder, Schemes: []string{scheme}})
	reviewer := s.client(ledger.TokenSpec{Name: "reviewer-2", Role: tally.Reviewer, Schemes: []string{scheme}})
	second := s.client(ledger.TokenSpec{Name: "reviewer-3", Role: tally.Reviewer, Schemes: []string{scheme}})
	_, err := recorder.AddSubject(ctx, tally.Person, zhang, "张三", nil)
	ok(t, "add", err)
	_, err = recorder.Enrol(ctx, scheme, zhang, "", true, "signed", nil)
	ok(t, "enrol", err)
	me := s.client(ledger.TokenSpec{Name: "zhang", Role: tally.SubjectR, Subject: zhang})

	theft, err := recorder.Record(ctx, scheme, client.Conduct{Subject: zhang, Rule: "utilities.theft", At: "2026-10-01", Ref: "t/1", Evidence: "court"}, nil)
	if err != nil || theft.Pending == "" {
		t.Fatalf("record: %+v %v, want it pending", theft, err)
	}
	queue, err := reviewer.PendingReviews(ctx, scheme, "", 10)
	if err != nil || len(queue.Items) != 1 || queue.Items[0].Record.ID != theft.Record.ID {
		t.Fatalf("queue: %+v %v", queue, err)
	}
	_, err = reviewer.Review(ctx, theft.Record.ID, true, "checked", nil)
	ok(t, "approve", err)
	damage, err := recorder.Record(ctx, scheme, client.Conduct{Subject: zhang, Rule: "utilities.equipment-damage", At: "2026-10-02", Ref: "d/1", Evidence: "photo"}, nil)
	ok(t, "record damage", err)
	_, err = reviewer.Review(ctx, damage.Record.ID, false, "", nil)
	wantStatus(t, "reject without reasons", err, 400, "invalid")
	rej, err := reviewer.Review(ctx, damage.Record.ID, false, "wrong house", nil)
	if err != nil || rej.Decision == nil || rej.Decision.Reversal == 0 {
		t.Errorf("reject: %+v %v", rej, err)
	}

	loan, err := recorder.Record(ctx, scheme, client.Conduct{Subject: zhang, Rule: "finance.loan-default", At: "2026-11-01", Ref: "l/1", Evidence: "bank"}, nil)
	ok(t, "record loan default", err)
	before, err := me.Score(ctx, scheme, zhang, nil)
	ok(t, "score", err)
	o, err := me.Object(ctx, client.ObjectionRequest{Scheme: scheme, Subject: zhang, Record: loan.Record.ID, Grounds: "repaid", Evidence: "letter"}, nil)
	if err != nil || o.Target != tally.TargetRecord || o.Overdue {
		t.Fatalf("object: %+v %v", o, err)
	}
	_, err = reviewer.Acknowledge(ctx, o.ID, nil)
	ok(t, "acknowledge", err)
	d, err := second.Decide(ctx, o.ID, client.DecisionRequest{Outcome: tally.Voided, Reasons: "bank confirms"}, nil)
	if err != nil || d.Decision == nil || d.Decision.Reversal == 0 {
		t.Fatalf("decide: %+v %v", d, err)
	}
	after, err := me.Score(ctx, scheme, zhang, nil)
	ok(t, "score after", err)
	if *after.Score != *before.Score+20 {
		t.Errorf("got score %d after the void, want %d", *after.Score, *before.Score+20)
	}

	// An objection filed 20 days ago and never acknowledged is overdue.
	late := &tally.Objection{Scheme: scheme, Target: tally.TargetScore, Grounds: "my score is wrong", FiledAt: now.AddDate(0, 0, -20),
		FiledBy: "zhang", AcknowledgeBy: now.AddDate(0, 0, -17), DecideBy: now.AddDate(0, 0, -5)}
	if err := s.db.Update(ctx, func(tx ledger.Tx) error {
		subj, err := tx.SubjectByID(ctx, 1)
		if err != nil {
			return err
		}
		late.SubjectID = subj.ID
		return tx.InsertObjection(ctx, late)
	}); err != nil {
		t.Fatal(err)
	}
	overdue, err := reviewer.Objections(ctx, client.ObjectionQuery{Overdue: true})
	if err != nil || len(overdue.Items) != 1 || overdue.Items[0].ID != late.ID || !overdue.Items[0].Overdue {
		t.Errorf("overdue: %+v %v, want the late objection", overdue, err)
	}
	mine, err := me.Objections(ctx, client.ObjectionQuery{})
	if err != nil || len(mine.Items) != 2 {
		t.Errorf("the subject's own: %+v %v, want 2", mine, err)
	}
	up, err := second.Decide(ctx, late.ID, client.DecisionRequest{Outcome: tally.Upheld, Reasons: "the records are right"}, nil)
	ok(t, "uphold", err)
	ap, err := me.Appeal(ctx, up.ID, "please look again", "", nil)
	if err != nil || ap.AppealOf != late.ID {
		t.Errorf("appeal: %+v %v", ap, err)
	}
	_, err = second.Decide(ctx, ap.ID, client.DecisionRequest{Outcome: tally.Upheld, Reasons: "same"}, nil)
	wantStatus(t, "the first decider decides the appeal", err, 403, "forbidden")

	fee, err := recorder.Record(ctx, scheme, client.Conduct{Subject: zhang, Rule: "utilities.late-fees", At: "2026-11-20", Ref: "f/1", Evidence: "bill"}, nil)
	ok(t, "record late fee", err)
	rp, err := me.ApplyRepair(ctx, scheme, zhang, fee.Record.ID, "paid on 2026-11-22", nil)
	ok(t, "apply for repair", err)
	open, err := reviewer.Repairs(ctx, scheme, true, "", 10)
	if err != nil || len(open.Items) != 1 {
		t.Errorf("open repairs: %+v %v", open, err)
	}
	done, err := reviewer.DecideRepair(ctx, rp.ID, true, "receipt seen", nil)
	if err != nil || done.Decision == nil || !done.Decision.Approved {
		t.Errorf("decide repair: %+v %v", done, err)
	}
}
