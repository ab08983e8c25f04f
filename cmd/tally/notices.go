package main

import (
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/smtp"
	"os"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/localtime"
	"github.com/tallycredit/tally/notify"
)

// cmdNotices delivers the outbox, lists it, and sets subjects' addresses.
func cmdNotices(e *env, args []string) error {
	return dispatch(e, "notices", args,
		subcommand{"send", noticesSend},
		subcommand{"list", noticesList},
		subcommand{"contact", noticesContact})
}

// noticesSend runs one delivery pass: through SMTP with --smtp, else to
// the log on stderr. Failed notices are tried again on the next pass.
func noticesSend(e *env, args []string) error {
	fs := e.flags("notices send", "[--smtp HOST:PORT --from ADDR] [--limit N]")
	addr := fs.String("smtp", "", "the mail server, host:port (user and password in env TALLY_SMTP_USER, TALLY_SMTP_PASSWORD); without it notices go to the log")
	from := fs.String("from", "", "the sender address of the mails")
	limit := fs.Int("limit", ledger.MaxPage, "at most this many notices")
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	var sender ledger.Sender = notify.Log{Logger: slog.New(slog.NewTextHandler(e.stderr, nil))}
	if *addr != "" {
		host, _, err := net.SplitHostPort(*addr)
		if err != nil {
			return tally.FieldErrorf("smtp", "want host:port, got %q", *addr)
		}
		if *from == "" {
			return tally.FieldErrorf("from", "give the sender address of the mails")
		}
		s := &notify.SMTP{Addr: *addr, From: *from}
		if user := os.Getenv("TALLY_SMTP_USER"); user != "" {
			s.Auth = smtp.PlainAuth("", user, os.Getenv("TALLY_SMTP_PASSWORD"), host)
		}
		sender = s
	}
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	d, err := svc.DeliverNotices(e.ctx, sender, *limit)
	if err != nil {
		return err
	}
	return e.print(d, func(w io.Writer) {
		fmt.Fprintf(w, "%d delivered, %d failed (tried again next time), %d given up after %d attempts\n", d.Delivered, d.Failed, d.GaveUp, ledger.MaxAttempts)
	})
}

func noticesList(e *env, args []string) error {
	fs := e.flags("notices list", "[--subject ID] [--open] [--after N] [--limit N]")
	var q ledger.OutboxQuery
	fs.StringVar(&q.Identifier, "subject", "", "only this subject's")
	fs.BoolVar(&q.Open, "open", false, "only those not delivered")
	fs.Int64Var(&q.After, "after", 0, "list after this notice number")
	fs.IntVar(&q.Limit, "limit", 100, "at most this many")
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	ns, err := svc.Outbox(e.ctx, q)
	if err != nil {
		return err
	}
	return e.print(ns, func(w io.Writer) {
		if len(ns) == 0 {
			fmt.Fprintln(w, "no notices")
		}
		zone := zones(e, svc)
		for _, n := range ns {
			state := "undelivered"
			if n.Delivered() {
				state = "delivered"
			}
			fmt.Fprintf(w, "#%d %s %s: %s (%s, %d attempts)\n", n.ID, localtime.Date(n.CreatedAt, zone(n.Scheme)), n.Kind, n.Title, state, len(n.Attempts))
		}
	})
}

func noticesContact(e *env, args []string) error {
	fs := e.flags("notices contact", "--subject ID --email ADDR (empty removes it)")
	id := fs.String("subject", "", "the subject's identity number")
	email := fs.String("email", "", "the address notices go to; kept sealed with the identity key")
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	if *id == "" {
		return tally.FieldErrorf("subject", "name the subject")
	}
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	if err := svc.SetContact(e.ctx, *id, *email); err != nil {
		return err
	}
	return e.print(map[string]bool{"ok": true}, func(w io.Writer) { fmt.Fprintln(w, "contact address saved") })
}
