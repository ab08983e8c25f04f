package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/tallycredit/tally/localtime"
)

// cmdAgreements publishes and lists the data-sharing agreements this
// instance sends or receives under (docs/EXCHANGE.md).
func cmdAgreements(e *env, args []string) error {
	return dispatch(e, "agreements", args,
		subcommand{"add", agreementsAdd},
		subcommand{"list", agreementsList})
}

// agreementsAdd checks an agreement file and publishes it as the next
// version of its ID.
func agreementsAdd(e *env, args []string) error {
	pos, err := e.parse(e.flags("agreements add", "FILE"), args, "FILE")
	if err != nil {
		return err
	}
	src, err := e.readFile(pos[0])
	if err != nil {
		return err
	}
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	out, err := svc.PublishAgreement(e.ctx, pos[0], src)
	if err != nil {
		return err
	}
	return e.print(out, func(w io.Writer) {
		key := "cli.agreements.published"
		if out.Unchanged {
			key = "cli.agreements.unchanged"
		}
		fmt.Fprintln(w, e.text(key, out.ID, out.Version, out.Agreement.Issuer, out.Agreement.Receiver))
		for _, warning := range out.Warnings {
			fmt.Fprintln(w, warning)
		}
	})
}

// agreementsList prints the agreements in force: who sends what to whom,
// for what purpose and on what basis.
func agreementsList(e *env, args []string) error {
	if _, err := e.parse(e.flags("agreements list", ""), args); err != nil {
		return err
	}
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	as, err := svc.Agreements(e.ctx)
	if err != nil {
		return err
	}
	return e.print(as, func(w io.Writer) {
		if len(as) == 0 {
			fmt.Fprintln(w, e.text("cli.agreements.none"))
		}
		for _, a := range as {
			what := append(append([]string{}, a.Lists...), a.Rules...)
			fmt.Fprintln(w, e.text("cli.agreements.line", a.ID, a.Version, a.Issuer, a.Receiver, strings.Join(what, ", "),
				localtime.Date(a.PublishedAt, zoneOf(e, svc, ""))))
			fmt.Fprintln(w, "  "+e.text("cli.agreements.purpose", a.Purpose.In(e.cfg.Lang)))
			fmt.Fprintln(w, "  "+e.text("cli.agreements.basis", a.Basis.In(e.cfg.Lang)))
		}
	})
}
