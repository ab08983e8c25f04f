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
	fs.StringVar(&in.Scheme, "scheme", "", e.text("cli.flag.objection_scheme"))
	fs.StringVar(&in.Identifier, "subject", "", e.text("cli.flag.subject"))
	fs.Int64Var(&in.Record, "record", 0, e.text("cli.flag.objection_record"))
	fs.StringVar(&in.List, "list", "", e.text("cli.flag.objection_list"))
	fs.StringVar(&in.Case, "case", "", e.text("cli.flag.objection_case"))
	fs.StringVar(&in.Grounds, "grounds", "", e.text("cli.flag.objection_grounds"))
	fs.StringVar(&in.Evidence, "evidence", "", e.text("cli.flag.supports"))
	if _, err := e.parse(fs, args); err != nil {
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
	return e.print(o, func(w io.Writer) { printObjection(w, e.msgs(), o, zoneOf(e, svc, o.Scheme)) })
}

func objectionsList(e *env, args []string) error {
	fs := e.flags("objections list", "[--scheme S] [--subject ID] [--open] [--overdue] [--after N] [--limit N]")
	var q ledger.ObjectionQuery
	fs.StringVar(&q.Scheme, "scheme", "", e.text("cli.flag.only_scheme"))
	fs.StringVar(&q.Identifier, "subject", "", e.text("cli.flag.only_subject"))
	fs.BoolVar(&q.Open, "open", false, e.text("cli.flag.only_undecided"))
	fs.BoolVar(&q.Overdue, "overdue", false, e.text("cli.flag.only_overdue"))
	fs.Int64Var(&q.After, "after", 0, e.text("cli.flag.after_objection"))
	fs.IntVar(&q.Limit, "limit", 100, e.text("cli.flag.at_most"))
	if _, err := e.parse(fs, args); err != nil {
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
			fmt.Fprintln(w, e.text("cli.objections.none"))
		}
		zone := zones(e, svc)
		for i := range os {
			printObjection(w, e.msgs(), &os[i], zone(os[i].Scheme))
		}
	})
}

// objectionID reads the one positional argument, an objection number.
func objectionID(e *env, pos []string) (int64, error) {
	id, err := strconv.ParseInt(pos[0], 10, 64)
	if err != nil || id <= 0 {
		return 0, e.fieldErrorf("ID", "cli.objections.bad_id", pos[0])
	}
	return id, nil
}

func objectionsAck(e *env, args []string) error {
	pos, err := e.parse(e.flags("objections ack", "ID"), args, "ID")
	if err != nil {
		return err
	}
	id, err := objectionID(e, pos)
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
	return e.print(o, func(w io.Writer) { printAck(w, e.msgs(), o, zoneOf(e, svc, o.Scheme)) })
}

// printAck says who acknowledged an objection and when, in zone loc.
func printAck(w io.Writer, m catalog.Catalogue, o *tally.Objection, loc *time.Location) {
	fmt.Fprintln(w, m.Text("cli.objections.acked", o.ID, o.AcknowledgedBy, moment(o.AcknowledgedAt, loc)))
}

func objectionsDecide(e *env, args []string) error {
	fs := e.flags("objections decide", "ID --outcome upheld|corrected|voided --reasons TEXT [--record N] [--fact NAME=VALUE]...")
	var d ledger.Decision
	var outcome string
	fs.StringVar(&outcome, "outcome", "", e.text("cli.flag.outcome"))
	fs.StringVar(&d.Reasons, "reasons", "", e.text("cli.flag.reasons"))
	fs.Int64Var(&d.Record, "record", 0, e.text("cli.flag.decide_record"))
	fs.Func("fact", e.text("cli.flag.corrected_fact"), func(v string) error { d.Facts = append(d.Facts, v); return nil })
	pos, err := e.parse(fs, args, "ID")
	if err != nil {
		return err
	}
	if d.Objection, err = objectionID(e, pos); err != nil {
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
	return e.print(o, func(w io.Writer) { printObjection(w, e.msgs(), o, zoneOf(e, svc, o.Scheme)) })
}

func objectionsAppeal(e *env, args []string) error {
	fs := e.flags("objections appeal", "ID --grounds TEXT [--evidence TEXT]")
	var grounds, evidence string
	fs.StringVar(&grounds, "grounds", "", e.text("cli.flag.appeal_grounds"))
	fs.StringVar(&evidence, "evidence", "", e.text("cli.flag.supports"))
	pos, err := e.parse(fs, args, "ID")
	if err != nil {
		return err
	}
	id, err := objectionID(e, pos)
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
	return e.print(o, func(w io.Writer) { printObjection(w, e.msgs(), o, zoneOf(e, svc, o.Scheme)) })
}

// printObjection writes an objection with its days in zone loc, its
// scheme's (for a list entry, the catalogue's).
func printObjection(w io.Writer, m catalog.Catalogue, o *ledger.ObjectionView, loc *time.Location) {
	kind := m.Text("cli.objections.objection")
	if o.AppealOf != 0 {
		kind = m.Text("cli.objections.appeal_of", o.AppealOf)
	}
	fmt.Fprintln(w, m.Text("cli.objections.head", o.ID, kind, o.FiledBy, o.Subject.Subject, o.Subject.Name, o.About, o.Grounds))
	switch {
	case o.Decision != nil:
		outcome := m.TextOr("cli.outcome."+string(o.Decision.Outcome), string(o.Decision.Outcome))
		fmt.Fprintln(w, m.Text("cli.objections.decided", outcome, o.Decision.By, localtime.Date(o.Decision.At, loc), o.Decision.Reasons))
		if !o.AppealBy.IsZero() {
			fmt.Fprintln(w, m.Text("cli.objections.appeal_until", localtime.Date(o.AppealBy, loc)))
		}
	default:
		flag := ""
		if o.Overdue {
			flag = m.Text("cli.objections.overdue")
		}
		fmt.Fprintln(w, m.Text("cli.objections.due", localtime.Date(o.AcknowledgeBy, loc), localtime.Date(o.DecideBy, loc), flag))
	}
}
