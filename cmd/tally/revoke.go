package main

import (
	"fmt"
	"io"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/catalog"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/localtime"
)

// listsRevoke records a revoked or changed source decision; its cascade
// removes and reverses what the decision derived at once.
func listsRevoke(e *env, args []string) error {
	fs := e.flags("lists revoke", "--source N [--change revoked|changed] [--on DATE] [--note TEXT]")
	var in ledger.Revocation
	var change, on string
	fs.StringVar(&in.Source, "source", "", e.text("cli.flag.revoke_source"))
	fs.StringVar(&change, "change", "", e.text("cli.flag.revoke_change"))
	fs.StringVar(&on, "on", "", e.text("cli.flag.revoke_on"))
	fs.StringVar(&in.Note, "note", "", e.text("cli.flag.revoke_note"))
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	in.Change = tally.SourceChange(change)
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	if in.RevokedOn, err = catalogueTime(e, svc, "on", on); err != nil {
		return err
	}
	v, err := svc.Revoke(e.ctx, in)
	if err != nil {
		return err
	}
	return e.print(v, func(w io.Writer) { printCascade(w, e.msgs(), *v, zoneOf(e, svc, "")) })
}

// listsCascades lists the recorded revocations, or only the overdue ones.
func listsCascades(e *env, args []string) error {
	fs := e.flags("lists cascades", "[--overdue]")
	overdue := fs.Bool("overdue", false, e.text("cli.flag.cascades_overdue"))
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	cs, err := svc.Cascades(e.ctx, *overdue)
	if err != nil {
		return err
	}
	return e.print(cs, func(w io.Writer) {
		loc := zoneOf(e, svc, "")
		for _, c := range cs {
			printCascade(w, e.msgs(), c, loc)
		}
	})
}

func printCascade(w io.Writer, m catalog.Catalogue, c ledger.CascadeView, loc *time.Location) {
	state := m.Text("cli.cascade.on_time")
	if c.Overdue {
		state = m.Text("cli.cascade.overdue")
	}
	fmt.Fprintln(w, m.Text("cli.cascade.line", c.Source, m.TextOr("cli.cascade.change."+string(c.Change), string(c.Change)),
		localtime.Date(c.RevokedOn, loc), len(c.EntriesRemoved), len(c.RecordsReversed), localtime.Date(c.Due, loc), state))
}
