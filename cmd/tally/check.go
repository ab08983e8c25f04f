package main

import (
	"fmt"
	"io"
	"time"

	"github.com/tallycredit/tally"
)

// cmdCheck answers whether a subject may have a measure, with every
// reason and how to get it lifted.
func cmdCheck(e *env, args []string) error {
	fs := e.flags("check", "ID --measure M [--at TIME]")
	measure := fs.String("measure", "", "the measure, such as air-travel (see tally lists show)")
	at := fs.String("at", "", "the instant (default: now)")
	pos, err := parse(fs, args, "ID")
	if err != nil {
		return err
	}
	if *measure == "" {
		return tally.FieldErrorf("measure", "name the measure, such as air-travel")
	}
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	when, err := catalogueTime(e, svc, "at", *at)
	if err != nil {
		return err
	}
	el, err := svc.Eligibility(e.ctx, pos[0], *measure, when)
	if err != nil {
		return err
	}
	return e.print(el, func(w io.Writer) {
		answer := "allowed"
		if !el.Allowed {
			answer = "DENIED"
		}
		fmt.Fprintf(w, "%s: %s %s (%s) at %s\n", el.Subject, answer, el.Measure, el.MeasureName, el.AsOf.Format(time.RFC3339))
		for _, r := range el.Reasons {
			fmt.Fprintf(w, "  - %s\n    basis: %s\n    to lift: %s\n", r.Message, r.Basis, r.HowToLift)
		}
	})
}
