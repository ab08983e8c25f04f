package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/localtime"
	"github.com/tallycredit/tally/rulebook"
)

func cmdLists(e *env, args []string) error {
	return dispatch(e, "lists", args,
		subcommand{"publish", listsPublish},
		subcommand{"show", listsShow},
		subcommand{"add", listsAdd},
		subcommand{"remove", listsRemove},
		subcommand{"import", listsImport})
}

// listsPublish checks and publishes a sanctions catalogue.
func listsPublish(e *env, args []string) error {
	pos, err := parse(e.flags("lists publish", "FILE"), args, "FILE")
	if err != nil {
		return err
	}
	src, err := readFile(pos[0])
	if err != nil {
		return err
	}
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	pub, err := svc.PublishCatalogue(e.ctx, pos[0], src)
	if err != nil {
		return err
	}
	return e.print(pub, func(w io.Writer) {
		for _, warn := range pub.Warnings {
			fmt.Fprintln(w, warn)
		}
		state := "published"
		if pub.Unchanged {
			state = "unchanged"
		}
		fmt.Fprintf(w, "sanctions catalogue version %d %s: %d lists, %d measures, %d links\n", pub.Version, state, pub.Lists, pub.Measures, pub.Sanctions)
	})
}

// listsShow prints the catalogue in force.
func listsShow(e *env, args []string) error {
	if _, err := parse(e.flags("lists show", ""), args); err != nil {
		return err
	}
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	cat, v, err := svc.Catalogue(e.ctx)
	if err != nil {
		return err
	}
	return e.print(map[string]any{"version": v, "lists": cat.Lists, "measures": cat.Measures, "sanctions": cat.Sanctions}, func(w io.Writer) {
		printCatalogue(w, cat, v)
	})
}

func printCatalogue(w io.Writer, cat *rulebook.Catalogue, v int) {
	fmt.Fprintf(w, "sanctions catalogue version %d\n\nlists:\n", v)
	for _, l := range cat.Lists {
		fmt.Fprintf(w, "  %s  %s (term %s", l.ID, l.Name, l.Term)
		if l.MaxAggravation > 0 {
			fmt.Fprintf(w, ", up to +%dy", l.MaxAggravation)
		}
		fmt.Fprintf(w, ")\n    issued by %s; basis: %s\n    removal: %s\n", l.Authority, l.Basis, l.Removal)
	}
	fmt.Fprintln(w, "\nmeasures (restricted by):")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, m := range cat.Measures {
		var by []string
		for _, s := range cat.SanctionsOf(m.ID) {
			by = append(by, s.List)
		}
		gate := ""
		if m.Gate != nil {
			gate = fmt.Sprintf("needs %s in %s", m.Gate.AtLeast, m.Gate.Scheme)
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", m.ID, m.Kind, m.Name, strings.Join(by, ", "), gate)
	}
	tw.Flush()
}

// listingFlags binds the flags of a listing.
func listsAdd(e *env, args []string) error {
	fs := e.flags("lists add", "--list L --subject ID --name NAME --case N --court C --decided DATE --notice DATE --grounds TEXT --basis TEXT [--aggravation YEARS]")
	var in ledger.Listing
	var decided, notice string
	fs.StringVar(&in.List, "list", "", "the list's id in the catalogue")
	fs.StringVar(&in.Identifier, "subject", "", "resident ID number or credit code")
	fs.StringVar(&in.Name, "name", "", "the name as the decision gives it")
	fs.StringVar(&in.CaseNumber, "case", "", "the decision's case number")
	fs.StringVar(&in.Court, "court", "", "the issuing body")
	fs.StringVar(&decided, "decided", "", "the decision's date")
	fs.StringVar(&notice, "notice", "", "the date the notice was served (the entry takes effect then)")
	fs.StringVar(&in.Grounds, "grounds", "", "the grounds of the listing")
	fs.StringVar(&in.Basis, "basis", "", "the legal basis the decision cites")
	fs.IntVar(&in.Aggravation, "aggravation", 0, "years added to the list's term for aggravating circumstances")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	if in.DecidedOn, err = catalogueTime(e, svc, "decided", decided); err != nil {
		return err
	}
	if in.NoticeServed, err = catalogueTime(e, svc, "notice", notice); err != nil {
		return err
	}
	v, err := svc.List(e.ctx, in)
	if err != nil {
		return err
	}
	return e.print(v, func(w io.Writer) { printEntry(w, v, zoneOf(e, svc, "")) })
}

// printEntry writes a list entry with its days in the catalogue's zone loc.
func printEntry(w io.Writer, v ledger.EntryView, loc *time.Location) {
	state := "listed"
	if v.Existed {
		state = "unchanged"
	}
	fmt.Fprintf(w, "%s: %s %s on %s, case %s of %s\n  in effect %s to %s (%s)\n", state, v.Subject, v.Name, v.List, v.CaseNumber, v.Court,
		localtime.Date(v.NoticeServed, loc), localtime.Date(v.Ends, loc), v.Status)
	if v.Removal != nil {
		fmt.Fprintf(w, "  removed %s: %s %s\n", moment(v.Removal.On, loc), v.Removal.Reason, v.Removal.Note)
	}
}

// catalogueTime reads a date or time in the catalogue's time zone.
func catalogueTime(e *env, svc *ledger.Service, field, value string) (time.Time, error) {
	if value == "" {
		return time.Time{}, nil
	}
	cat, _, err := svc.Catalogue(e.ctx)
	if err != nil {
		return time.Time{}, err
	}
	t, err := ledger.ParseTime(value, cat.Location, false)
	if err != nil {
		return time.Time{}, tally.FieldErrorf(field, "%v", err)
	}
	return t, nil
}

func listsRemove(e *env, args []string) error {
	fs := e.flags("lists remove", "--list L --case N --reason performed|settled|creditor-request|enforcement-ended|overturned [--on TIME] [--note TEXT]")
	var in ledger.Removal
	var reason, on string
	fs.StringVar(&in.List, "list", "", "the list's id")
	fs.StringVar(&in.CaseNumber, "case", "", "the entry's case number")
	fs.StringVar(&reason, "reason", "", "performed, settled, creditor-request, enforcement-ended or overturned")
	fs.StringVar(&on, "on", "", "from when (default: now)")
	fs.StringVar(&in.Note, "note", "", "e.g. the removal decision's number")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	in.Reason = tally.RemovalReason(reason)
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	if in.On, err = catalogueTime(e, svc, "on", on); err != nil {
		return err
	}
	v, err := svc.Remove(e.ctx, in)
	if err != nil {
		return err
	}
	return e.print(v, func(w io.Writer) { printEntry(w, v, zoneOf(e, svc, "")) })
}

func listsImport(e *env, args []string) error {
	fs := e.flags("lists import", "FILE (.csv, .jsonl or .xlsx; - for standard input)")
	format := fs.String("format", "", "csv, jsonl or xlsx (default: from the file name or its first bytes)")
	pos, err := parse(fs, args, "FILE")
	if err != nil {
		return err
	}
	in, closeIn, err := e.input(pos[0])
	if err != nil {
		return err
	}
	defer closeIn()
	in, f := importFormat(in, pos[0], *format)
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	bar := newProgress(e.stderr, "lists import")
	rep, err := svc.ImportListings(e.ctx, in, f, func(r ledger.ListImportReport) {
		bar.show("%d rows: %d listed, %d unchanged, %d bad", r.Rows, r.Listed, r.Unchanged, len(r.Bad))
	})
	bar.done()
	if err != nil {
		if ferr := e.refused(pos[0], err); ferr != nil {
			return ferr
		}
		inFile(err, pos[0])
		return err
	}
	if perr := e.print(rep, func(w io.Writer) {
		e.printBad(w, pos[0], rep.Bad)
		fmt.Fprintln(w, e.text("cli.import_lists_done", pos[0], rep.Rows, rep.Listed, rep.Unchanged, len(rep.Bad)))
	}); perr != nil {
		return perr
	}
	if len(rep.Bad) > 0 {
		return e.errorf(tally.EInvalid, "cli.import_bad_rows", len(rep.Bad))
	}
	return nil
}
