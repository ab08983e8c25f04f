package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/tallycredit/tally"
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
		Evidence: r.Record.Evidence, Requested: r.Record.Requested, Awarded: r.Record.Awarded, Reason: r.Record.Reason,
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
	fs.StringVar(&c.Scheme, "scheme", "", "scheme id")
	fs.StringVar(&c.Identifier, "subject", "", "the subject's identifier")
	fs.StringVar(&c.Rule, "rule", "", "rule code")
	fs.Var(&facts, "fact", "a fact the rule declares, NAME=VALUE (repeat for each)")
	at := fs.String("at", "", "when it happened: 2026-03-02, 2026-03-02T14:30 (scheme's time zone) or RFC 3339")
	fs.StringVar(&c.Ref, "ref", "", "source reference, unique in the scheme (e.g. recorder-7/2026-03-02/1)")
	fs.StringVar(&c.Evidence, "evidence", "", "what shows it happened: a document, decision or note")
	dry := fs.Bool("dry-run", false, "show the points it would give; write nothing")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if c.Scheme == "" {
		return tally.FieldErrorf("scheme", "name the scheme")
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
	return e.print(viewRecorded(r), func(w io.Writer) { printRecorded(w, r) })
}

func printRecorded(w io.Writer, r *ledger.Recorded) {
	rec := r.Record
	switch {
	case r.DryRun:
		fmt.Fprint(w, "dry run, nothing written: ")
	case r.Replayed:
		fmt.Fprintf(w, "already recorded as #%d, unchanged: ", rec.ID)
	case rec.IsReversal():
		fmt.Fprintf(w, "reversal #%d of #%d: ", rec.ID, rec.Reverses)
	default:
		fmt.Fprintf(w, "recorded #%d: ", rec.ID)
	}
	fmt.Fprintf(w, "%s (%s) %s %+d", r.Subject.Name, r.Subject.Subject, rec.Rule, rec.Awarded)
	if rec.Reason != "" {
		fmt.Fprintf(w, " (%s)", rec.Reason)
	}
	if !rec.ExpiresAt.IsZero() {
		fmt.Fprintf(w, ", counts until %s", day(rec.ExpiresAt))
	}
	if r.Pending != "" {
		fmt.Fprintf(w, "; pending: %s (tally review approve %d)", ledger.HoldReasonText(r.Pending), rec.ID)
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
		return time.Time{}, tally.FieldErrorf("at", "%v", err)
	}
	return t, nil
}

func cmdReverse(e *env, args []string) error {
	fs := e.flags("reverse", "--scheme S (--record N | --of REF) --reason TEXT --ref REF")
	var in ledger.Reversal
	fs.StringVar(&in.Scheme, "scheme", "", "scheme id")
	fs.Int64Var(&in.Record, "record", 0, "the record to reverse, by number")
	fs.StringVar(&in.Of, "of", "", "the record to reverse, by its source reference")
	fs.StringVar(&in.Reason, "reason", "", "why it is reversed (shown to the subject)")
	fs.StringVar(&in.Ref, "ref", "", "this reversal's own source reference")
	if _, err := parse(fs, args); err != nil {
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
	return e.print(viewRecorded(r), func(w io.Writer) { printRecorded(w, r) })
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
	return e.print(viewRecorded(r), func(w io.Writer) { printRecorded(w, r) })
}
