package main

import (
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/catalog"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/localtime"
)

// cmdCommitments records signed credit commitments and their fulfilment
// or breach, and lists them.
func cmdCommitments(e *env, args []string) error {
	return dispatch(e, "commitments", args,
		subcommand{"sign", commitmentsSign},
		subcommand{"fulfil", commitmentsSettle(tally.Fulfilled)},
		subcommand{"breach", commitmentsSettle(tally.Breached)},
		subcommand{"list", commitmentsList})
}

func commitmentsSign(e *env, args []string) error {
	fs := e.flags("commitments sign", "--scheme S --subject ID --what TEXT --what-en TEXT --due DATE --rule CODE --permit REF")
	var in ledger.CommitmentInput
	fs.StringVar(&in.Scheme, "scheme", "", e.text("cli.flag.scheme"))
	fs.StringVar(&in.Identifier, "subject", "", e.text("cli.flag.subject"))
	fs.StringVar(&in.What.Zh, "what", "", e.text("cli.flag.commitment_what"))
	fs.StringVar(&in.What.En, "what-en", "", e.text("cli.flag.commitment_what_en"))
	fs.StringVar(&in.Due, "due", "", e.text("cli.flag.commitment_due"))
	fs.StringVar(&in.Rule, "rule", "", e.text("cli.flag.commitment_rule"))
	fs.StringVar(&in.Permit, "permit", "", e.text("cli.flag.commitment_permit"))
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	c, err := svc.Sign(e.ctx, in)
	if err != nil {
		return err
	}
	return e.print(c, func(w io.Writer) { printCommitment(w, e.msgs(), c, zoneOf(e, svc, c.Scheme)) })
}

// commitmentsSettle records a commitment's fulfilment or breach.
func commitmentsSettle(outcome tally.CommitmentOutcome) func(e *env, args []string) error {
	verb := map[tally.CommitmentOutcome]string{tally.Fulfilled: "fulfil", tally.Breached: "breach"}[outcome]
	return func(e *env, args []string) error {
		usage := "ID --note TEXT"
		if outcome == tally.Breached {
			usage += " [--fact NAME=VALUE]..."
		}
		fs := e.flags("commitments "+verb, usage)
		var in ledger.Settle
		fs.StringVar(&in.Note, "note", "", e.text("cli.flag.commitment_note"))
		if outcome == tally.Breached {
			fs.Func("fact", e.text("cli.flag.commitment_fact"), func(v string) error { in.Facts = append(in.Facts, v); return nil })
		}
		pos, err := e.parse(fs, args, "ID")
		if err != nil {
			return err
		}
		if in.ID, err = strconv.ParseInt(pos[0], 10, 64); err != nil || in.ID <= 0 {
			return &tally.Error{Code: tally.EInvalid, Field: "ID", Message: e.text("cli.commitments.bad_id", pos[0])}
		}
		svc, done, err := e.open(false)
		if err != nil {
			return err
		}
		defer done()
		settle := svc.Fulfil
		if outcome == tally.Breached {
			settle = svc.Breach
		}
		c, err := settle(e.ctx, in)
		if err != nil {
			return err
		}
		return e.print(c, func(w io.Writer) { printCommitment(w, e.msgs(), c, zoneOf(e, svc, c.Scheme)) })
	}
}

func commitmentsList(e *env, args []string) error {
	fs := e.flags("commitments list", "[--scheme S] [--subject ID] [--open] [--overdue] [--after N] [--limit N]")
	var q ledger.CommitmentQuery
	fs.StringVar(&q.Scheme, "scheme", "", e.text("cli.flag.only_scheme"))
	fs.StringVar(&q.Identifier, "subject", "", e.text("cli.flag.only_subject"))
	fs.BoolVar(&q.Open, "open", false, e.text("cli.flag.commitment_open"))
	fs.BoolVar(&q.Overdue, "overdue", false, e.text("cli.flag.commitment_overdue"))
	fs.Int64Var(&q.After, "after", 0, e.text("cli.flag.after_commitment"))
	fs.IntVar(&q.Limit, "limit", 100, e.text("cli.flag.limit_commitments"))
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	cs, err := svc.Commitments(e.ctx, q)
	if err != nil {
		return err
	}
	return e.print(cs, func(w io.Writer) {
		if len(cs) == 0 {
			fmt.Fprintln(w, e.text("cli.commitments.none"))
		}
		zone := zones(e, svc)
		for i := range cs {
			printCommitment(w, e.msgs(), &cs[i], zone(cs[i].Scheme))
		}
	})
}

// printCommitment writes a commitment in the operator's language m, with
// its days in its scheme's zone loc.
func printCommitment(w io.Writer, m catalog.Catalogue, c *ledger.CommitmentView, loc *time.Location) {
	fmt.Fprintln(w, m.Text("cli.commitments.line", c.ID, c.Scheme, m.TextOr("commitment."+string(c.State), string(c.State)),
		c.Subject.Subject, c.Subject.Name, c.What.In(lang(m)), c.Due, localtime.Date(c.SignedAt, loc), c.RecordedBy, c.Permit, c.Rule))
	if s := c.Settlement; s != nil {
		fmt.Fprint(w, m.Text("cli.commitments.settled", m.TextOr("commitment."+string(s.Outcome), string(s.Outcome)), localtime.Date(s.At, loc), s.By, s.Note))
		if s.Record != 0 {
			fmt.Fprint(w, m.Text("cli.commitments.record", s.Record))
		}
		fmt.Fprintln(w)
	}
	if c.Pending != "" {
		fmt.Fprintln(w, m.Text("cli.commitments.pending", ledger.HoldReasonText(c.Pending).In(lang(m))))
	}
}
