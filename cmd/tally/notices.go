package main

import (
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/smtp"
	"os"
	"strings"
	"unicode"

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
	addr := fs.String("smtp", "", e.text("cli.flag.smtp"))
	from := fs.String("from", "", e.text("cli.flag.smtp_from"))
	limit := fs.Int("limit", ledger.MaxPage, e.text("cli.flag.at_most"))
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	var sender ledger.Sender = notify.Log{Logger: slog.New(slog.NewTextHandler(e.stderr, nil))}
	if *addr != "" {
		host, _, err := net.SplitHostPort(*addr)
		if err != nil {
			return e.fieldErrorf("smtp", "cli.notices.bad_smtp", *addr)
		}
		if *from == "" {
			return e.fieldErrorf("from", "cli.notices.name_from")
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
		fmt.Fprintln(w, e.text("cli.notices.sent", d.Delivered, d.Failed, d.GaveUp, ledger.MaxAttempts))
	})
}

func noticesList(e *env, args []string) error {
	fs := e.flags("notices list", "[--subject ID] [--open] [--after N] [--limit N]")
	var q ledger.OutboxQuery
	fs.StringVar(&q.Identifier, "subject", "", e.text("cli.flag.only_subject"))
	fs.BoolVar(&q.Open, "open", false, e.text("cli.flag.only_undelivered"))
	fs.Int64Var(&q.After, "after", 0, e.text("cli.flag.after_notice"))
	fs.IntVar(&q.Limit, "limit", 100, e.text("cli.flag.at_most"))
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
			fmt.Fprintln(w, e.text("cli.notices.none"))
		}
		m, zone := e.msgs(), zones(e, svc)
		for _, n := range ns {
			state := m.Text("cli.notices.undelivered")
			if n.Delivered() {
				state = m.Text("cli.notices.delivered")
			}
			kind := m.TextOr("cli.notice_kind."+string(n.Kind), string(n.Kind))
			fmt.Fprintln(w, m.Text("cli.notices.line", n.ID, localtime.Date(n.CreatedAt, zone(n.Scheme)), kind, noticeTitle(n.Title, lang(m)), state, len(n.Attempts)))
		}
	})
}

func noticesContact(e *env, args []string) error {
	fs := e.flags("notices contact", e.text("cli.synopsis.notices_contact"))
	id := fs.String("subject", "", e.text("cli.flag.subject"))
	email := fs.String("email", "", e.text("cli.flag.email"))
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	if *id == "" {
		return e.fieldErrorf("subject", "cli.name_the_subject")
	}
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	if err := svc.SetContact(e.ctx, *id, *email); err != nil {
		return err
	}
	return e.print(map[string]bool{"ok": true}, func(w io.Writer) { fmt.Fprintln(w, e.text("cli.notices.contact_saved")) })
}

// noticeTitle is the part of a stored notice title in lang: the ledger
// stores titles as "中文 / English" (ledger/notices.go), older ones as
// "English / 中文"; the Chinese half is the one written in Han. A title
// without both parts is shown whole.
func noticeTitle(title, lang string) string {
	zh, en, both := strings.Cut(title, " / ")
	if !both {
		return title
	}
	if !strings.ContainsFunc(zh, isHan) {
		zh, en = en, zh
	}
	if lang == "en" {
		return en
	}
	return zh
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }
