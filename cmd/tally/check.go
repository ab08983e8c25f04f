package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/exchange"
)

// The exit codes of tally check, so that a script can rely on the answer:
// 0 only when the measure is allowed.
const (
	checkDenied = 1
	checkFailed = 2 // usage, bad input, an unknown measure, the store
)

// cmdCheck answers whether a subject may have a measure, with every
// reason and how to get it lifted. It exits 0 when allowed, 1 when
// denied and 2 on any error.
func cmdCheck(e *env, args []string) error {
	allowed, err := check(e, args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return err
	case err != nil:
		return &exitStatus{code: checkFailed, err: err}
	case !allowed:
		return &exitStatus{code: checkDenied}
	}
	return nil
}

// check prints the answer and reports whether the measure is allowed.
func check(e *env, args []string) (bool, error) {
	fs := e.flags("check", "ID --measure M [--at TIME]")
	measure := fs.String("measure", "", e.text("cli.flag.measure"))
	at := fs.String("at", "", e.text("cli.flag.at_instant"))
	maxLag := fs.Duration("max-lag", exchange.DefaultMaxLag, e.text("cli.flag.max_lag"))
	auditState := fs.String("audit-state", "", e.text("cli.flag.check_audit_state"))
	pos, err := e.parse(fs, args, "ID")
	if err != nil {
		return false, err
	}
	if *measure == "" {
		return false, &tally.Error{Code: tally.EInvalid, Field: "measure", Message: e.text("cli.check_name_measure")}
	}
	svc, done, err := e.open(false)
	if err != nil {
		return false, err
	}
	defer done()
	// A verifier's database answers only while its stream is current.
	if err := streamQuiet(e, svc, *maxLag); err != nil {
		return false, err
	}
	if err := auditQuiet(e, *auditState, *maxLag); err != nil {
		return false, err
	}
	when, err := catalogueTime(e, svc, "at", *at)
	if err != nil {
		return false, err
	}
	el, err := svc.Eligibility(e.ctx, pos[0], *measure, when)
	if err != nil {
		return false, err
	}
	err = e.print(el, func(w io.Writer) {
		answer := "cli.check_allowed"
		if !el.Allowed {
			answer = "cli.check_denied"
		}
		m, loc := e.msgs(), zoneOf(e, svc, "")
		fmt.Fprintln(w, m.Text(answer, el.Subject, el.Measure, el.MeasureName.In(lang(m)), moment(el.AsOf, loc)))
		for i := range el.Reasons {
			r := &el.Reasons[i]
			text := r.MessageText.In(lang(m))
			if r.Disputed {
				text += m.Text("cli.check.disputed")
			}
			fmt.Fprintln(w, m.Text("cli.check_reason", text, r.Basis.In(lang(m)), r.HowToLift.In(lang(m))))
		}
	})
	return el.Allowed, err
}
