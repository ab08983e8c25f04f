package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/checkindex"
	"github.com/tallycredit/tally/demo"
	"github.com/tallycredit/tally/ledger"
)

// The demo's instance is the court: what it lists is in its outbox for
// the airline, whose database BuildAirline makes; taken in there, the
// airline's verifier token is refused the listed resident's air ticket.
// (The court and the airline on a real NATS server: cmd/tally's
// TestDemoAirline.)
func TestDemoCourtSharesWithTheAirline(t *testing.T) {
	b := build(t, 7)
	x := b.sum.Exchange
	if x.Listed != b.sum.Try["jiakuang-majia"] || x.Case != demo.CaseNumber || x.Measure != "air-travel" || x.List != "judgment-defaulters" {
		t.Fatalf("the demo's exchange story %+v, want the village's resident, listed under %s, checked for air travel", x, demo.CaseNumber)
	}
	if name, err := b.svc.InstanceName(b.admin); err != nil || name != demo.Court {
		t.Fatalf("the demo instance is named %q (%v), want %q", name, err, demo.Court)
	}
	shares, err := b.svc.PendingShares(b.admin, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(shares) == 0 || shares[0].Receiver != demo.Airline || shares[0].Change.Subject != x.Listed.Identifier {
		t.Fatalf("the court's outbox %+v, want the listing of %s for the airline", shares, x.Listed.Identifier)
	}

	airline := openLedger(t, func() time.Time { return at })
	a, err := demo.BuildAirline(context.Background(), airline)
	if err != nil {
		t.Fatal(err)
	}
	if name, err := airline.InstanceName(b.admin); err != nil || name != demo.Airline {
		t.Fatalf("the airline is named %q (%v), want %q", name, err, demo.Airline)
	}
	exchange := ledger.WithActor(context.Background(), &tally.Actor{Name: "exchange", Role: tally.Admin})
	for _, s := range shares {
		if applied, err := airline.Receive(exchange, s.Change); err != nil || !applied {
			t.Fatalf("the airline takes in change %d: applied %v, %v", s.Seq, applied, err)
		}
	}
	gate, err := airline.Authenticate(context.Background(), a.Token)
	if err != nil || gate.Role != tally.Verifier {
		t.Fatalf("the airline's token %q: %+v %v, want a verifier", a.Token, gate, err)
	}
	checker := checkindex.NewChecker(airline, checkindex.CheckerOptions{})
	if err := checker.Load(exchange); err != nil {
		t.Fatal(err)
	}
	defer checker.Close(exchange)
	ans, err := checker.Check(ledger.WithActor(context.Background(), gate), x.Query())
	if err != nil || ans.Answer != checkindex.AnswerDenied {
		t.Errorf("the airline checks %+v: %+v %v, want denied", x.Query(), ans, err)
	}
}
