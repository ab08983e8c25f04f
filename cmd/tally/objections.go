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

// cmdObjections files, lists, acknowledges, decides and appeals objections.
func cmdObjections(e *env, args []string) error {
	return dispatch(e, "objections", args,
		subcommand{"file", objectionsFile},
		subcommand{"list", objectionsList},
		subcommand{"ack", objectionsAck},
		subcommand{"decide", objectionsDecide},
		subcommand{"appeal", objectionsAppeal})
}

func objectionsFile(e *env, args []string) error {
	fs := e.flags("objections file", "--subject ID (--scheme S --record N | --list L --case C | --scheme S) --grounds TEXT [--evidence TEXT]")
	var in ledger.ObjectionInput
	fs.StringVar(&in.Scheme, "scheme", "", "the scheme of the record or score")
	fs.StringVar(&in.Identifier, "subject", "", "the subject's identity number")
	fs.Int64Var(&in.Record, "record", 0, "the record objected to")
	fs.StringVar(&in.List, "list", "", "the list of the entry objected to")
	fs.StringVar(&in.Case, "case", "", "the case number of the entry objected to")
	fs.StringVar(&in.Grounds, "grounds", "", "why the subject objects")
	fs.StringVar(&in.Evidence, "evidence", "", "what supports it")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	o, err := svc.Object(e.ctx, in)
	if err != nil {
		return err
	}
	return e.print(o, func(w io.Writer) { printObjection(w, o, zoneOf(e, svc, o.Scheme)) })
}

func objectionsList(e *env, args []string) error {
	fs := e.flags("objections list", "[--scheme S] [--subject ID] [--open] [--overdue] [--after N] [--limit N]")
	var q ledger.ObjectionQuery
	fs.StringVar(&q.Scheme, "scheme", "", "only this scheme's")
	fs.StringVar(&q.Identifier, "subject", "", "only this subject's")
	fs.BoolVar(&q.Open, "open", false, "only those not decided")
	fs.BoolVar(&q.Overdue, "overdue", false, "only those past a deadline")
	fs.Int64Var(&q.After, "after", 0, "list after this objection number")
	fs.IntVar(&q.Limit, "limit", 100, "at most this many")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	os, err := svc.Objections(e.ctx, q)
	if err != nil {
		return err
	}
	return e.print(os, func(w io.Writer) {
		if len(os) == 0 {
			fmt.Fprintln(w, "no objections")
		}
		zone := zones(e, svc)
		for i := range os {
			printObjection(w, &os[i], zone(os[i].Scheme))
		}
	})
}

// objectionID reads the one positional argument, an objection number.
func objectionID(pos []string) (int64, error) {
	id, err := strconv.ParseInt(pos[0], 10, 64)
	if err != nil || id <= 0 {
		return 0, tally.FieldErrorf("ID", "%q is not an objection number", pos[0])
	}
	return id, nil
}

func objectionsAck(e *env, args []string) error {
	pos, err := parse(e.flags("objections ack", "ID"), args, "ID")
	if err != nil {
		return err
	}
	id, err := objectionID(pos)
	if err != nil {
		return err
	}
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	o, err := svc.Acknowledge(e.ctx, id)
	if err != nil {
		return err
	}
	return e.print(o, func(w io.Writer) { printAck(w, o, zoneOf(e, svc, o.Scheme)) })
}

// printAck says who acknowledged an objection and when, in zone loc.
func printAck(w io.Writer, o *tally.Objection, loc *time.Location) {
	fmt.Fprintf(w, "objection #%d acknowledged by %s on %s\n", o.ID, o.AcknowledgedBy, moment(o.AcknowledgedAt, loc))
}

func objectionsDecide(e *env, args []string) error {
	fs := e.flags("objections decide", "ID --outcome upheld|corrected|voided --reasons TEXT [--record N] [--fact NAME=VALUE]...")
	var d ledger.Decision
	var outcome string
	fs.StringVar(&outcome, "outcome", "", "upheld, corrected or voided")
	fs.StringVar(&d.Reasons, "reasons", "", "the written reasons")
	fs.Int64Var(&d.Record, "record", 0, "for a score objection: the record to void or correct")
	fs.Func("fact", "a corrected fact NAME=VALUE (repeat)", func(v string) error { d.Facts = append(d.Facts, v); return nil })
	pos, err := parse(fs, args, "ID")
	if err != nil {
		return err
	}
	if d.Objection, err = objectionID(pos); err != nil {
		return err
	}
	d.Outcome = tally.Outcome(outcome)
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	o, err := svc.Decide(e.ctx, d)
	if err != nil {
		return err
	}
	return e.print(o, func(w io.Writer) { printObjection(w, o, zoneOf(e, svc, o.Scheme)) })
}

func objectionsAppeal(e *env, args []string) error {
	fs := e.flags("objections appeal", "ID --grounds TEXT [--evidence TEXT]")
	var grounds, evidence string
	fs.StringVar(&grounds, "grounds", "", "why the decision is wrong")
	fs.StringVar(&evidence, "evidence", "", "what supports it")
	pos, err := parse(fs, args, "ID")
	if err != nil {
		return err
	}
	id, err := objectionID(pos)
	if err != nil {
		return err
	}
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	o, err := svc.Appeal(e.ctx, id, grounds, evidence)
	if err != nil {
		return err
	}
	return e.print(o, func(w io.Writer) { printObjection(w, o, zoneOf(e, svc, o.Scheme)) })
}

// printObjection writes an objection with its days in zone loc, its
// scheme's (for a list entry, the catalogue's).
func printObjection(w io.Writer, o *ledger.ObjectionView, loc *time.Location) {
	kind := "objection"
	if o.AppealOf != 0 {
		kind = fmt.Sprintf("appeal of #%d", o.AppealOf)
	}
	fmt.Fprintf(w, "#%d %s by %s for %s (%s): %s\n  grounds: %s\n", o.ID, kind, o.FiledBy, o.Subject.Subject, o.Subject.Name, o.About, o.Grounds)
	switch {
	case o.Decision != nil:
		fmt.Fprintf(w, "  decided %s by %s on %s: %s\n", o.Decision.Outcome, o.Decision.By, localtime.Date(o.Decision.At, loc), o.Decision.Reasons)
		if !o.AppealBy.IsZero() {
			fmt.Fprintf(w, "  may be appealed until %s\n", localtime.Date(o.AppealBy, loc))
		}
	default:
		flag := ""
		if o.Overdue {
			flag = "  OVERDUE"
		}
		fmt.Fprintf(w, "  acknowledge by %s, decide by %s%s\n", localtime.Date(o.AcknowledgeBy, loc), localtime.Date(o.DecideBy, loc), flag)
	}
}
