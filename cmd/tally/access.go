package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/localtime"
)

// cmdAccess prints who read or changed a subject's data, on what
// authority and why: the access log every person may see of their own
// record. `tally access archive` moves entries past the retention period
// to the archive.
func cmdAccess(e *env, args []string) error {
	if e.describing() {
		ve := *e
		if err := accessLog(&ve, args); !errors.Is(err, flag.ErrHelp) {
			return err // describe says what went wrong
		}
		return describeVerbs(e, []subcommand{{"archive", accessArchive}})
	}
	if len(args) > 0 && args[0] == "archive" {
		return accessArchive(e, args[1:])
	}
	return accessLog(e, args)
}

// accessLog prints a page of a subject's access log, archived entries
// included.
func accessLog(e *env, args []string) error {
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
			// In English the action and the authority read as their codes,
			// which scripts look for.
			role, action := m.TextOr("role."+string(a.Role), string(a.Role)), a.Action
			authority := string(a.Op) + "/" + string(a.Scope)
			if a.Op == "" {
				authority = "-"
			}
			if lang(m) != "en" {
				action, authority = m.TextOr("action."+a.Action, a.Action), a.Authority.In(lang(m))
			}
			if a.TokenID != 0 {
				authority += " · " + m.Text("access.via_token", a.TokenID)
			}
			archived := "-"
			if a.Archived {
				archived = m.Text("cli.access.archived_yes")
			}
			detail := ledger.AccessDetailText(a.Detail).In(lang(m))
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", a.ID, localtime.DateTime(a.At, zone(a.Scheme)), a.Actor, role, action,
				dash(a.Scheme), dash(a.Purpose), detail, authority, archived)
		}
		tw.Flush()
		if next, ok := out["next"]; ok {
			fmt.Fprintln(w, m.Text("cli.more", next))
		}
	})
}

// accessArchive moves the access-log entries older than --before to the
// archive in one transaction, refusing a day less than the retention
// period (--keep, at least 5 years) ago. Nothing is deleted, and each
// subject still sees every entry; running it again moves nothing more.
func accessArchive(e *env, args []string) error {
	fs := e.flags("access archive", "--before DAY [--keep 5y]")
	before := fs.String("before", "", e.text("cli.flag.archive_before"))
	keep := fs.String("keep", ledger.MinAccessRetention.String(), e.text("cli.flag.archive_keep"))
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	if !flagSet(fs, "keep") {
		if v := os.Getenv("TALLY_ACCESS_KEEP"); v != "" {
			*keep = v
		}
	}
	if *before == "" {
		return e.fieldErrorf("before", "cli.access.want_before")
	}
	day, err := ledger.ParseTime(*before, localtime.Default(), false)
	if err != nil {
		return e.fieldErrorf("before", "cli.access.bad_before", *before)
	}
	span, err := tally.ParseSpan(*keep)
	if err != nil {
		return e.fieldErrorf("keep", "cli.access.bad_keep", *keep)
	}
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	bar := e.bar(e.text("cli.progress.archive"))
	got, err := svc.ArchiveAccess(e.ctx, day, span, func(n, total int64) {
		bar.count(n, total, "cli.progress.unit_entries", e.text("cli.progress.entries_of", n, total))
	})
	bar.done()
	if err != nil {
		return err
	}
	return e.print(got, func(w io.Writer) {
		fmt.Fprintln(w, e.text("cli.access.archived", got.Moved, localtime.Date(day, localtime.Default()), got.Keep))
	})
}

// flagSet reports whether the command line set the flag name.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
