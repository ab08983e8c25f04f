package demo

import (
	"fmt"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/localtime"
)

// The city whose example resident signs credit commitments.
const city = "rongcheng-city"

// What the resident's commitments promise: one due next month, one overdue.
var (
	OpenCommitment    = tally.Text{Zh: "按期缴纳本季度水费", En: "pay this quarter's water bill on time"}
	OverdueCommitment = tally.Text{Zh: "三十日内补交完税证明", En: "supply the tax clearance certificate within 30 days"}
)

// promise is a commitment the showcase signs, its days counted from now.
type promise struct {
	signed, due int
	what        tally.Text
	permit      string
}

// commitments has the city's example resident sign credit commitments
// (信用承诺) for permits: one due next month and, when the showcase may
// turn the ledger's clock back, one signed 40 days ago that was due ten
// days ago and is overdue (a commitment is signed for a day to come). It
// returns the stop that shows them.
func (sc *showcase) commitments(who Example) (Stop, error) {
	loc, err := sc.svc.Location(sc.admin, city)
	if err != nil {
		return Stop{}, err
	}
	signs := []promise{{0, 30, OpenCommitment, "用水开户 2026-0107 / water account 2026-0107"}}
	show := Stop{What: textOf("demo.tour.commitments"), Command: "commitments list --scheme " + city, Look: OpenCommitment}
	if sc.clock != nil {
		if err := sc.clockIsTheLedgers(); err != nil {
			return Stop{}, err
		}
		signs = append(signs, promise{-40, -10, OverdueCommitment, "营业执照 2026-0042 / business licence 2026-0042"})
		show.Command, show.Look = "commitments list --overdue", OverdueCommitment
	}
	for _, c := range signs {
		sign := func() error {
			_, err := sc.svc.Sign(sc.admin, ledger.CommitmentInput{Scheme: city, Identifier: who.Identifier, What: c.what,
				Due: localtime.Date(sc.now.AddDate(0, 0, c.due), loc), Rule: "tax.arrears", Permit: c.permit})
			return err
		}
		if c.signed != 0 {
			err = sc.clock.at(sc.now.AddDate(0, 0, c.signed), sign)
		} else {
			err = sign()
		}
		if err != nil {
			return Stop{}, fmt.Errorf("demo commitment: %w", err)
		}
	}
	return show, nil
}

// clockIsTheLedgers checks that turning the showcase's clock back turns
// the ledger's.
func (sc *showcase) clockIsTheLedgers() error {
	then := sc.now.AddDate(0, 0, -1).Truncate(time.Second)
	var got time.Time
	_ = sc.clock.at(then, func() error { got = sc.svc.Now(); return nil })
	if !got.Equal(then) {
		return fmt.Errorf("demo: Options.Clock is not the clock of the ledger service (it read %s, want %s)", got, then)
	}
	return nil
}
