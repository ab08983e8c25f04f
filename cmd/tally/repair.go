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
	fs.StringVar(&in.Scheme, "scheme", "", "the scheme")
	fs.StringVar(&in.Identifier, "subject", "", "the subject's identity number")
	fs.Int64Var(&in.Record, "record", 0, "the deduction to end")
	fs.StringVar(&in.Obligations, "obligations", "", "how the obligations were met (fine paid, training done)")
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
	return e.print(p, func(w io.Writer) { printRepair(w, p, zoneOf(e, svc, p.Scheme)) })
}

func repairList(e *env, args []string) error {
	fs := e.flags("repair list", "[--scheme S] [--open]")
	var q ledger.RepairQuery
	fs.StringVar(&q.Scheme, "scheme", "", "only this scheme's")
	fs.BoolVar(&q.Open, "open", false, "only those not decided")
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
			fmt.Fprintln(w, "no repairs")
		}
		zone := zones(e, svc)
		for i := range ps {
			printRepair(w, &ps[i], zone(ps[i].Scheme))
		}
	})
}

func repairDecide(e *env, args []string) error {
	fs := e.flags("repair decide", "ID --approve|--refuse --reasons TEXT")
	approve := fs.Bool("approve", false, "approve: the record stops counting from now")
	refuse := fs.Bool("refuse", false, "refuse")
	reasons := fs.String("reasons", "", "the written reasons")
	pos, err := e.parse(fs, args, "ID")
	if err != nil {
		return err
	}
	if *approve == *refuse {
		return tally.FieldErrorf("approve", "say --approve or --refuse")
	}
	id, err := strconv.ParseInt(pos[0], 10, 64)
	if err != nil || id <= 0 {
		return tally.FieldErrorf("ID", "%q is not a repair number", pos[0])
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
	return e.print(p, func(w io.Writer) { printRepair(w, p, zoneOf(e, svc, p.Scheme)) })
}

// printRepair writes a repair with its days in its scheme's zone loc.
func printRepair(w io.Writer, p *tally.Repair, loc *time.Location) {
	fmt.Fprintf(w, "repair #%d of record #%d in %s, applied %s by %s: %s\n", p.ID, p.RecordID, p.Scheme, localtime.Date(p.AppliedAt, loc), p.AppliedBy, p.Obligations)
	if d := p.Decision; d != nil {
		fmt.Fprintf(w, "  %s by %s on %s: %s\n", approvedText(d.Approved), d.By, localtime.Date(d.At, loc), d.Reasons)
	}
}

func approvedText(ok bool) string {
	if ok {
		return "approved"
	}
	return "refused"
}
