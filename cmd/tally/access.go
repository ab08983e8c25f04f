package main

import (
	"fmt"
	"io"

	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/localtime"
)

// cmdAccess prints who read or changed a subject's data: the access log
// every person may see of their own record.
func cmdAccess(e *env, args []string) error {
	fs := e.flags("access", "ID [--after N] [--limit N]")
	after := fs.Int64("after", 0, "start after this entry number (the cursor of the previous page)")
	limit := fs.Int("limit", 100, fmt.Sprintf("entries per page (at most %d)", ledger.MaxPage))
	pos, err := e.parse(fs, args, "ID")
	if err != nil {
		return err
	}
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	log, err := svc.AccessLog(e.ctx, pos[0], *after, *limit)
	if err != nil {
		return err
	}
	out := map[string]any{"items": log}
	if len(log) == *limit {
		out["next"] = log[len(log)-1].ID
	}
	return e.print(out, func(w io.Writer) {
		tw := newTable(w)
		fmt.Fprintln(tw, "#\tWHEN\tWHO\tROLE\tWHAT\tSCHEME\tPURPOSE\tDETAIL")
		zone := zones(e, svc)
		for _, a := range log {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", a.ID, localtime.DateTime(a.At, zone(a.Scheme)), a.Actor, a.Role, a.Action, dash(a.Scheme), dash(a.Purpose), a.Detail)
		}
		tw.Flush()
		if next, ok := out["next"]; ok {
			fmt.Fprintf(w, "more: --after %d\n", next)
		}
	})
}
