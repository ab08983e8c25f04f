package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/catalog"
	"github.com/tallycredit/tally/client"
	"github.com/tallycredit/tally/ledger"
)

// multi collects a repeated flag such as --fact hours=8 --fact value=300.
type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(v string) error { *m = append(*m, v); return nil }

// recordView is a record as the CLI prints it.
type recordView struct {
	ID        int64          `json:"id"`
	Scheme    string         `json:"scheme"`
	Version   int            `json:"version"`
	Subject   string         `json:"subject"`
	Name      string         `json:"name"`
	Rule      string         `json:"rule"`
	Title     tally.Text     `json:"title"`
	Facts     map[string]any `json:"facts"`
	At        time.Time      `json:"at"`
	Ref       string         `json:"ref"`
	By        string         `json:"by"`
	Evidence  string         `json:"evidence,omitempty"`
	Requested int64          `json:"requested"`
	Awarded   int64          `json:"awarded"`
	Reason    string         `json:"reason"`
	Expires   *time.Time     `json:"expires,omitempty"`
	Reverses  int64          `json:"reverses,omitempty"`
	Replayed  bool           `json:"unchanged,omitempty"`
	DryRun    bool           `json:"dry_run,omitempty"`
	Pending   string         `json:"pending,omitempty"` // why it waits for a second person
}

func viewRecorded(r *ledger.Recorded) recordView {
	v := recordView{ID: r.Record.ID, Scheme: r.Record.Scheme, Version: r.Record.Version, Subject: r.Subject.Subject, Name: r.Subject.Name,
		Rule: r.Record.Rule, Facts: r.Record.Facts, At: r.Record.HappenedAt, Ref: r.Record.Ref, By: r.Record.RecordedBy,
		Evidence: r.Record.Evidence, Requested: r.Record.Requested, Awarded: r.Record.Awarded, Reason: ledger.RecordReasonText(r.Record.Reason).En,
		Reverses: r.Record.Reverses, Replayed: r.Replayed, DryRun: r.DryRun, Pending: ledger.HoldReasonText(r.Pending).En}
	if r.Rule != nil {
		v.Title = r.Rule.Title
	}
	if !r.Record.ExpiresAt.IsZero() {
		t := r.Record.ExpiresAt
		v.Expires = &t
	}
	return v
}

func cmdRecord(e *env, args []string) error {
	fs := e.flags("record", "--scheme S --subject ID --rule CODE [--fact NAME=VALUE]... --at DATE --ref REF")
	var c ledger.Conduct
	var facts multi
	fs.StringVar(&c.Scheme, "scheme", "", e.text("cli.flag.scheme"))
	fs.StringVar(&c.Identifier, "subject", "", e.text("cli.flag.subject"))
	fs.StringVar(&c.Rule, "rule", "", e.text("cli.flag.rule"))
	fs.Var(&facts, "fact", e.text("cli.flag.fact"))
	at := fs.String("at", "", e.text("cli.flag.at_happened"))
	fs.StringVar(&c.Ref, "ref", "", e.text("cli.flag.ref"))
	fs.StringVar(&c.Evidence, "evidence", "", e.text("cli.flag.evidence"))
	dry := fs.Bool("dry-run", false, e.text("cli.flag.dry_run"))
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	if c.Scheme == "" {
		return e.fieldErrorf("scheme", "cli.name_the_scheme")
	}
	if e.remote() {
		return e.remoteRecord(c, facts, *at, *dry)
	}
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	if c.At, err = readTime(e, svc, c.Scheme, *at, false); err != nil {
		return err
	}
	c.FactArgs = facts
	var r *ledger.Recorded
	if *dry {
		r, err = svc.DryRun(e.ctx, c)
	} else {
		r, err = svc.Record(e.ctx, c)
	}
	if err != nil {
		return err
	}
	return e.print(viewRecorded(r), func(w io.Writer) { printRecorded(w, e.msgs(), r) })
}

func printRecorded(w io.Writer, m catalog.Catalogue, r *ledger.Recorded) {
	rec := r.Record
	switch {
	case r.DryRun:
		fmt.Fprint(w, m.Text("cli.record.dry_run"))
	case r.Replayed:
		fmt.Fprint(w, m.Text("cli.record.replayed", rec.ID))
	case rec.IsReversal():
		fmt.Fprint(w, m.Text("cli.record.reversal", rec.ID, rec.Reverses))
	default:
		fmt.Fprint(w, m.Text("cli.record.recorded", rec.ID))
	}
	fmt.Fprintf(w, "%s (%s) %s %+d", r.Subject.Name, r.Subject.Subject, rec.Rule, rec.Awarded)
	if rec.Reason != "" {
		fmt.Fprint(w, m.Text("cli.record.reason", reasonText(m, rec.Reason)))
	}
	if !rec.ExpiresAt.IsZero() {
		fmt.Fprint(w, m.Text("cli.record.until", day(rec.ExpiresAt)))
	}
	if r.Pending != "" {
		fmt.Fprint(w, m.Text("cli.record.pending", ledger.HoldReasonText(r.Pending).In(lang(m)), rec.ID))
	}
	fmt.Fprintln(w)
}

// readTime reads a time flag in the scheme's time zone; empty means now.
func readTime(e *env, svc *ledger.Service, scheme, value string, endOfDay bool) (time.Time, error) {
	if value == "" {
		return time.Now(), nil
	}
	loc, err := svc.Location(e.ctx, scheme)
	if err != nil {
		return time.Time{}, err
	}
	t, err := ledger.ParseTime(value, loc, endOfDay)
	if err != nil {
		return time.Time{}, tally.FieldErrorf("at", "%v", err) // the ledger's words
	}
	return t, nil
}

func cmdReverse(e *env, args []string) error {
	fs := e.flags("reverse", "--scheme S (--record N | --of REF) --reason TEXT --ref REF")
	var in ledger.Reversal
	fs.StringVar(&in.Scheme, "scheme", "", e.text("cli.flag.scheme"))
	fs.Int64Var(&in.Record, "record", 0, e.text("cli.flag.reverse_record"))
	fs.StringVar(&in.Of, "of", "", e.text("cli.flag.reverse_of"))
	fs.StringVar(&in.Reason, "reason", "", e.text("cli.flag.reverse_reason"))
	fs.StringVar(&in.Ref, "ref", "", e.text("cli.flag.reverse_ref"))
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	r, err := svc.Reverse(e.ctx, in)
	if err != nil {
		return err
	}
	return e.print(viewRecorded(r), func(w io.Writer) { printRecorded(w, e.msgs(), r) })
}

// remoteRecord records through a server's API.
func (e *env) remoteRecord(c ledger.Conduct, args []string, at string, dry bool) error {
	facts, err := e.remoteFacts(c.Scheme, c.Rule, args)
	if err != nil {
		return err
	}
	if at == "" {
		at = time.Now().Format(time.RFC3339)
	}
	out, err := e.client().Record(e.ctx, c.Scheme, client.Conduct{Subject: c.Identifier, Rule: c.Rule, Facts: facts, At: at,
		Ref: c.Ref, Evidence: c.Evidence, DryRun: dry}, nil)
	if err != nil {
		return err
	}
	r := &ledger.Recorded{Record: out.Record, Subject: ledger.SubjectView{Kind: out.Subject.Kind, Subject: out.Subject.Subject, Name: out.Subject.Name},
		Replayed: out.Unchanged, DryRun: out.DryRun}
	return e.print(viewRecorded(r), func(w io.Writer) { printRecorded(w, e.msgs(), r) })
}
