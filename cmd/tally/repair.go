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

// cmdRepair applies for, lists and decides credit repairs.
func cmdRepair(e *env, args []string) error {
	return dispatch(e, "repair", args,
		subcommand{"apply", repairApply},
		subcommand{"list", repairList},
		subcommand{"decide", repairDecide})
}

func repairApply(e *env, args []string) error {
	fs := e.flags("repair apply", "--scheme S --subject ID --record N --obligations TEXT")
	var in ledger.RepairInput
	fs.StringVar(&in.Scheme, "scheme", "", e.text("cli.flag.scheme"))
	fs.StringVar(&in.Identifier, "subject", "", e.text("cli.flag.subject"))
	fs.Int64Var(&in.Record, "record", 0, e.text("cli.flag.repair_record"))
	fs.StringVar(&in.Obligations, "obligations", "", e.text("cli.flag.obligations"))
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	p, err := svc.ApplyRepair(e.ctx, in)
	if err != nil {
		return err
	}
	return e.print(p, func(w io.Writer) { printRepair(w, e.msgs(), p, zoneOf(e, svc, p.Scheme)) })
}

func repairList(e *env, args []string) error {
	fs := e.flags("repair list", "[--scheme S] [--open]")
	var q ledger.RepairQuery
	fs.StringVar(&q.Scheme, "scheme", "", e.text("cli.flag.only_scheme"))
	fs.BoolVar(&q.Open, "open", false, e.text("cli.flag.only_undecided"))
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	ps, err := svc.Repairs(e.ctx, q)
	if err != nil {
		return err
	}
	return e.print(ps, func(w io.Writer) {
		if len(ps) == 0 {
			fmt.Fprintln(w, e.text("cli.repair.none"))
		}
		zone := zones(e, svc)
		for i := range ps {
			printRepair(w, e.msgs(), &ps[i], zone(ps[i].Scheme))
		}
	})
}

func repairDecide(e *env, args []string) error {
	fs := e.flags("repair decide", "ID --approve|--refuse --reasons TEXT")
	approve := fs.Bool("approve", false, e.text("cli.flag.repair_approve"))
	refuse := fs.Bool("refuse", false, e.text("cli.flag.repair_refuse"))
	reasons := fs.String("reasons", "", e.text("cli.flag.reasons"))
	pos, err := e.parse(fs, args, "ID")
	if err != nil {
		return err
	}
	if *approve == *refuse {
		return e.fieldErrorf("approve", "cli.repair.say_decision")
	}
	id, err := strconv.ParseInt(pos[0], 10, 64)
	if err != nil || id <= 0 {
		return e.fieldErrorf("ID", "cli.repair.bad_id", pos[0])
	}
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	p, err := svc.DecideRepair(e.ctx, id, *approve, *reasons)
	if err != nil {
		return err
	}
	return e.print(p, func(w io.Writer) { printRepair(w, e.msgs(), p, zoneOf(e, svc, p.Scheme)) })
}

// printRepair writes a repair in m's language with its days in its
// scheme's zone loc.
func printRepair(w io.Writer, m catalog.Catalogue, p *tally.Repair, loc *time.Location) {
	fmt.Fprintln(w, m.Text("cli.repair.line", p.ID, p.RecordID, p.Scheme, localtime.Date(p.AppliedAt, loc), p.AppliedBy, p.Obligations))
	if d := p.Decision; d != nil {
		said := m.Text("cli.repair.refused")
		if d.Approved {
			said = m.Text("cli.repair.approved")
		}
		fmt.Fprintln(w, m.Text("cli.repair.decision", said, d.By, localtime.Date(d.At, loc), d.Reasons))
	}
}
