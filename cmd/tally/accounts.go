package main

import (
	"bufio"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"strings"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

func cmdAccounts(e *env, args []string) error {
	return dispatch(e, "accounts", args,
		subcommand{"create", accountsCreate},
		subcommand{"list", accountsList},
		subcommand{"disable", accountsDisable},
		subcommand{"password", accountsPassword})
}

func accountsCreate(e *env, args []string) error {
	fs := e.flags("accounts create", "--name NAME --role ROLE [--schemes S,..] [--rules R,..] [--categories C,..] [--subject ID] [--password-stdin]")
	name := fs.String("name", "", e.text("cli.flag.account_name"))
	role := fs.String("role", "", e.text("cli.flag.role"))
	schemes := fs.String("schemes", "", e.text("cli.flag.schemes"))
	rules := fs.String("rules", "", e.text("cli.flag.rules"))
	categories := fs.String("categories", "", e.text("cli.flag.categories"))
	subject := fs.String("subject", "", e.text("cli.flag.account_subject"))
	fromStdin := fs.Bool("password-stdin", false, e.text("cli.flag.password_stdin"))
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	password, made, err := readPassword(e, *fromStdin)
	if err != nil {
		return err
	}
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	a, err := svc.CreateAccount(e.ctx, ledger.AccountSpec{Name: *name, Password: password, Role: tally.Role(*role),
		Schemes: list(*schemes), Rules: list(*rules), Categories: list(*categories), Subject: *subject})
	if err != nil {
		return err
	}
	out := map[string]any{"id": a.ID, "name": a.Name, "role": a.Role}
	if made {
		out["password"] = password
	}
	return e.print(out, func(w io.Writer) {
		fmt.Fprintln(w, e.text("cli.accounts.created", a.Name, a.Role))
		if made {
			fmt.Fprintln(w, e.text("cli.accounts.password_once", password))
		}
	})
}

func accountsList(e *env, args []string) error {
	fs := e.flags("accounts list", "")
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	type row struct {
		Name     string     `json:"name"`
		Role     tally.Role `json:"role"`
		Schemes  []string   `json:"schemes"`
		Created  string     `json:"created"`
		Disabled bool       `json:"disabled"`
	}
	var rows []row
	for after := int64(0); ; {
		page, err := svc.Accounts(e.ctx, after, ledger.MaxPage)
		if err != nil {
			return err
		}
		for _, a := range page {
			rows = append(rows, row{a.Name, a.Role, a.Schemes, a.Created.Format("2006-01-02"), !a.Disabled.IsZero()})
		}
		if len(page) < ledger.MaxPage {
			break
		}
		after = page[len(page)-1].ID
	}
	return e.print(rows, func(w io.Writer) {
		tw := newTable(w)
		fmt.Fprintln(tw, e.text("cli.accounts.table_head"))
		for _, r := range rows {
			status := e.text("cli.accounts.active")
			if r.Disabled {
				status = e.text("cli.accounts.disabled")
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.Name, r.Role, strings.Join(r.Schemes, ","), r.Created, status)
		}
		tw.Flush()
	})
}

func accountsDisable(e *env, args []string) error {
	fs := e.flags("accounts disable", "NAME")
	rest, err := e.parse(fs, args, "NAME")
	if err != nil {
		return err
	}
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	if err := svc.DisableAccount(e.ctx, rest[0]); err != nil {
		return err
	}
	return e.print(map[string]any{"name": rest[0], "disabled": true}, func(w io.Writer) {
		fmt.Fprintln(w, e.text("cli.accounts.disabled_done", rest[0]))
	})
}

func accountsPassword(e *env, args []string) error {
	fs := e.flags("accounts password", "NAME [--password-stdin]")
	fromStdin := fs.Bool("password-stdin", false, e.text("cli.flag.password_stdin"))
	rest, err := e.parse(fs, args, "NAME")
	if err != nil {
		return err
	}
	password, made, err := readPassword(e, *fromStdin)
	if err != nil {
		return err
	}
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	if err := svc.SetPassword(e.ctx, rest[0], password); err != nil {
		return err
	}
	out := map[string]any{"name": rest[0]}
	if made {
		out["password"] = password
	}
	return e.print(out, func(w io.Writer) {
		fmt.Fprintln(w, e.text("cli.accounts.password_set", rest[0]))
		if made {
			fmt.Fprintln(w, e.text("cli.accounts.password_once", password))
		}
	})
}

// readPassword reads a password from standard input, or makes a random
// one (made is then true, and the caller shows it once).
func readPassword(e *env, fromStdin bool) (password string, made bool, err error) {
	if fromStdin {
		line, err := bufio.NewReader(e.stdin).ReadString('\n')
		if err != nil && err != io.EOF {
			return "", false, err
		}
		return strings.TrimRight(line, "\r\n"), false, nil
	}
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		return "", false, err
	}
	return base64.RawURLEncoding.EncodeToString(b), true, nil
}
