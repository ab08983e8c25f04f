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
	after := fs.Int64("after", 0, e.text("cli.flag.after_entry"))
	limit := fs.Int("limit", 100, e.text("cli.flag.limit_entries", ledger.MaxPage))
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
		m, zone := e.msgs(), zones(e, svc)
		fmt.Fprintln(tw, m.Text("cli.access.table_head"))
		for _, a := range log {
			// In English the action reads as its code, which scripts look for.
			role, action := m.TextOr("role."+string(a.Role), string(a.Role)), a.Action
			if lang(m) != "en" {
				action = m.TextOr("action."+a.Action, a.Action)
			}
			detail := ledger.AccessDetailText(a.Detail).In(lang(m))
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", a.ID, localtime.DateTime(a.At, zone(a.Scheme)), a.Actor, role, action, dash(a.Scheme), dash(a.Purpose), detail)
		}
		tw.Flush()
		if next, ok := out["next"]; ok {
			fmt.Fprintln(w, m.Text("cli.more", next))
		}
	})
}
