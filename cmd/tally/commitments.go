package main

import (
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/tallycredit/tally"
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
	fs.StringVar(&in.Scheme, "scheme", "", "the scheme")
	fs.StringVar(&in.Identifier, "subject", "", "the subject's identity number")
	fs.StringVar(&in.What.Zh, "what", "", "what is promised, in Chinese")
	fs.StringVar(&in.What.En, "what-en", "", "what is promised, in English")
	fs.StringVar(&in.Due, "due", "", "the day it is promised by, in the scheme's zone (2026-03-02)")
	fs.StringVar(&in.Rule, "rule", "", "the deduction a breach is recorded under")
	fs.StringVar(&in.Permit, "permit", "", "the permit or measure granted at once")
	if _, err := parse(fs, args); err != nil {
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
	return e.print(c, func(w io.Writer) { printCommitment(w, c, zoneOf(e, svc, c.Scheme)) })
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
		fs.StringVar(&in.Note, "note", "", "what was found")
		if outcome == tally.Breached {
			fs.Func("fact", "a fact of the rule NAME=VALUE (repeat)", func(v string) error { in.Facts = append(in.Facts, v); return nil })
		}
		pos, err := parse(fs, args, "ID")
		if err != nil {
			return err
		}
		if in.ID, err = strconv.ParseInt(pos[0], 10, 64); err != nil || in.ID <= 0 {
			return tally.FieldErrorf("ID", "%q is not a commitment number", pos[0])
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
		return e.print(c, func(w io.Writer) { printCommitment(w, c, zoneOf(e, svc, c.Scheme)) })
	}
}

func commitmentsList(e *env, args []string) error {
	fs := e.flags("commitments list", "[--scheme S] [--subject ID] [--open] [--overdue] [--after N] [--limit N]")
	var q ledger.CommitmentQuery
	fs.StringVar(&q.Scheme, "scheme", "", "only this scheme's")
	fs.StringVar(&q.Identifier, "subject", "", "only this subject's")
	fs.BoolVar(&q.Open, "open", false, "only those neither fulfilled nor breached")
	fs.BoolVar(&q.Overdue, "overdue", false, "only open ones past their day (an official decides: nothing breaches by itself)")
	fs.Int64Var(&q.After, "after", 0, "list after this commitment number")
	fs.IntVar(&q.Limit, "limit", 100, "at most this many")
	if _, err := parse(fs, args); err != nil {
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
			fmt.Fprintln(w, "no commitments")
		}
		zone := zones(e, svc)
		for i := range cs {
			printCommitment(w, &cs[i], zone(cs[i].Scheme))
		}
	})
}

// printCommitment writes a commitment with its days in its scheme's zone
// loc.
func printCommitment(w io.Writer, c *ledger.CommitmentView, loc *time.Location) {
	fmt.Fprintf(w, "commitment #%d in %s, %s: %s %s, %s by %s (signed %s before %s); permit %s; a breach is %s\n",
		c.ID, c.Scheme, c.State, c.Subject.Subject, c.Subject.Name, c.What, c.Due, localtime.Date(c.SignedAt, loc), c.RecordedBy, c.Permit, c.Rule)
	if s := c.Settlement; s != nil {
		fmt.Fprintf(w, "  %s on %s by %s: %s", s.Outcome, localtime.Date(s.At, loc), s.By, s.Note)
		if s.Record != 0 {
			fmt.Fprintf(w, " (record #%d)", s.Record)
		}
		fmt.Fprintln(w)
	}
	if c.Pending != "" {
		fmt.Fprintf(w, "  the record waits for a second person: %s\n", c.Pending)
	}
}
