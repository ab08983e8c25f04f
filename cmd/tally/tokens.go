package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

func cmdTokens(e *env, args []string) error {
	return dispatch(e, "tokens", args,
		subcommand{"create", tokensCreate},
		subcommand{"list", tokensList},
		subcommand{"revoke", tokensRevoke})
}

// list splits a comma-separated flag value.
func list(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

func tokensCreate(e *env, args []string) error {
	fs := e.flags("tokens create", "--name NAME --role ROLE [--schemes S,..] [--rules R,..] [--categories C,..] [--subject ID] [--expires DATE]")
	name := fs.String("name", "", e.text("cli.flag.token_name"))
	role := fs.String("role", "", e.text("cli.flag.role"))
	schemes := fs.String("schemes", "", e.text("cli.flag.schemes"))
	rules := fs.String("rules", "", e.text("cli.flag.rules"))
	categories := fs.String("categories", "", e.text("cli.flag.categories"))
	subject := fs.String("subject", "", e.text("cli.flag.token_subject"))
	expires := fs.String("expires", "", e.text("cli.flag.expires"))
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	spec := ledger.TokenSpec{Name: *name, Role: tally.Role(*role), Schemes: list(*schemes), Rules: list(*rules),
		Categories: list(*categories), Subject: *subject}
	if *expires != "" {
		t, err := ledger.ParseTime(*expires, time.Local, false)
		if err != nil {
			return tally.FieldErrorf("expires", "%v", err)
		}
		spec.Expires = t
	}
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	secret, t, err := svc.CreateToken(e.ctx, spec)
	if err != nil {
		return err
	}
	return e.print(map[string]any{"id": t.ID, "name": t.Name, "role": t.Role, "token": secret}, func(w io.Writer) {
		fmt.Fprintln(w, e.text("cli.tokens.created", t.ID, t.Name, t.Role, secret))
	})
}

func tokensList(e *env, args []string) error {
	fs := e.flags("tokens list", "")
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	var all []tally.Token
	for after := int64(0); ; {
		page, err := svc.Tokens(e.ctx, after, ledger.MaxPage)
		if err != nil {
			return err
		}
		all = append(all, page...)
		if len(page) < ledger.MaxPage {
			break
		}
		after = page[len(page)-1].ID
	}
	out := make([]ledger.TokenInfo, len(all))
	for i := range all {
		out[i] = ledger.InfoOf(&all[i])
	}
	return e.print(out, func(w io.Writer) {
		tw := newTable(w)
		fmt.Fprintln(tw, e.text("cli.tokens.table_head"))
		for _, t := range out {
			scope := strings.Join(append(append(append([]string{}, t.Schemes...), t.Rules...), t.Categories...), ",")
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Name, t.Role, dash(scope), day(t.Created), dateOr(t.Expires), dateOr(t.Revoked))
		}
		tw.Flush()
	})
}

func dateOr(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return day(t)
}

func tokensRevoke(e *env, args []string) error {
	pos, err := e.parse(e.flags("tokens revoke", "ID"), args, "ID")
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(pos[0], 10, 64)
	if err != nil {
		return e.fieldErrorf("ID", "cli.tokens.bad_id")
	}
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	if err := svc.RevokeToken(e.ctx, id); err != nil {
		return err
	}
	return e.print(map[string]any{"id": id, "revoked": true}, func(w io.Writer) { fmt.Fprintln(w, e.text("cli.tokens.revoked", id)) })
}
