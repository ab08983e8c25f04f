package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/catalog"
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
		subcommand{"import", listsImport},
		subcommand{"revoke", listsRevoke},
		subcommand{"cascades", listsCascades})
}

// listsPublish checks and publishes a sanctions catalogue.
func listsPublish(e *env, args []string) error {
	pos, err := e.parse(e.flags("lists publish", "FILE"), args, "FILE")
	if err != nil {
		return err
	}
	src, err := e.readFile(pos[0])
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
		state := e.text("cli.lists.published")
		if pub.Unchanged {
			state = e.text("cli.lists.unchanged")
		}
		fmt.Fprintln(w, e.text("cli.lists.catalogue_published", pub.Version, state, pub.Lists, pub.Measures, pub.Sanctions))
	})
}

// listsShow prints the catalogue in force.
func listsShow(e *env, args []string) error {
	if _, err := e.parse(e.flags("lists show", ""), args); err != nil {
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
		printCatalogue(w, e.msgs(), cat, v)
	})
}

func printCatalogue(w io.Writer, m catalog.Catalogue, cat *rulebook.Catalogue, v int) {
	fmt.Fprintln(w, m.Text("cli.lists.catalogue_head", v))
	for _, l := range cat.Lists {
		aggravation := ""
		if l.MaxAggravation > 0 {
			aggravation = m.Text("cli.lists.aggravation", l.MaxAggravation)
		}
		fmt.Fprintln(w, m.Text("cli.lists.list", l.ID, l.Name, l.Term, aggravation, l.Authority, l.Basis, l.Removal))
	}
	fmt.Fprintln(w, m.Text("cli.lists.measures"))
	tw := newTable(w)
	for _, ms := range cat.Measures {
		var by []string
		for _, s := range cat.SanctionsOf(ms.ID) {
			by = append(by, s.List)
		}
		gate := ""
		if ms.Gate != nil {
			gate = m.Text("cli.lists.gate", ms.Gate.AtLeast, ms.Gate.Scheme)
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", ms.ID, ms.Kind, ms.Name, strings.Join(by, ", "), gate)
	}
	tw.Flush()
}

// listingFlags binds the flags of a listing.
func listsAdd(e *env, args []string) error {
	fs := e.flags("lists add", "--list L --subject ID --name NAME --case N --court C --decided DATE --notice DATE --grounds TEXT --basis TEXT [--aggravation YEARS]")
	var in ledger.Listing
	var decided, notice string
	fs.StringVar(&in.List, "list", "", e.text("cli.flag.list_id"))
	fs.StringVar(&in.Identifier, "subject", "", e.text("cli.flag.list_subject"))
	fs.StringVar(&in.Name, "name", "", e.text("cli.flag.list_name"))
	fs.StringVar(&in.CaseNumber, "case", "", e.text("cli.flag.list_case"))
	fs.StringVar(&in.Court, "court", "", e.text("cli.flag.list_court"))
	fs.StringVar(&decided, "decided", "", e.text("cli.flag.list_decided"))
	fs.StringVar(&notice, "notice", "", e.text("cli.flag.list_notice"))
	fs.StringVar(&in.Grounds, "grounds", "", e.text("cli.flag.list_grounds"))
	fs.StringVar(&in.Basis, "basis", "", e.text("cli.flag.list_basis"))
	fs.IntVar(&in.Aggravation, "aggravation", 0, e.text("cli.flag.list_aggravation"))
	if _, err := e.parse(fs, args); err != nil {
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
	return e.print(v, func(w io.Writer) { printEntry(w, e.msgs(), v, zoneOf(e, svc, "")) })
}

// printEntry writes a list entry with its days in the catalogue's zone
// loc, or the proposal a listing on a list with a statement period made.
func printEntry(w io.Writer, m catalog.Catalogue, v ledger.EntryView, loc *time.Location) {
	if v.Proposal != nil {
		printProposal(w, m, v.Proposal, loc)
		return
	}
	state := m.Text("cli.lists.listed")
	if v.Existed {
		state = m.Text("cli.lists.unchanged")
	}
	fmt.Fprintln(w, m.Text("cli.lists.entry", state, v.Subject, v.Name, v.List, v.CaseNumber, v.Court,
		localtime.Date(v.NoticeServed, loc), localtime.Date(v.Ends, loc), m.TextOr("cli.entry_status."+string(v.Status), string(v.Status))))
	if v.Removal != nil {
		reason := m.TextOr("cli.removal."+string(v.Removal.Reason), string(v.Removal.Reason))
		fmt.Fprintln(w, m.Text("cli.lists.removed", moment(v.Removal.On, loc), reason, v.Removal.Note))
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
	fs.StringVar(&in.List, "list", "", e.text("cli.flag.list_id"))
	fs.StringVar(&in.CaseNumber, "case", "", e.text("cli.flag.entry_case"))
	fs.StringVar(&reason, "reason", "", e.text("cli.flag.removal_reason"))
	fs.StringVar(&on, "on", "", e.text("cli.flag.removal_on"))
	fs.StringVar(&in.Note, "note", "", e.text("cli.flag.removal_note"))
	if _, err := e.parse(fs, args); err != nil {
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
	return e.print(v, func(w io.Writer) { printEntry(w, e.msgs(), v, zoneOf(e, svc, "")) })
}

func listsImport(e *env, args []string) error {
	fs := e.flags("lists import", e.text("cli.synopsis.lists_import"))
	format := fs.String("format", "", e.text("cli.flag.import_format"))
	snapshot := fs.String("snapshot", "", e.text("cli.flag.import_snapshot"))
	pos, err := e.parse(fs, args, "FILE")
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
	bar := e.bar(e.text("cli.progress.lists_import"))
	show := func(r ledger.ListImportReport) {
		bar.count(int64(r.Rows), 0, "cli.progress.unit_rows", e.text("cli.progress.rows_listed", r.Rows, r.Listed, r.Unchanged, len(r.Bad)))
	}
	var rep *ledger.ListImportReport
	if *snapshot != "" {
		rep, err = svc.ImportListSnapshot(e.ctx, *snapshot, in, f, show)
	} else {
		rep, err = svc.ImportListings(e.ctx, in, f, show)
	}
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
		if rep.Proposed > 0 {
			fmt.Fprintln(w, e.text("cli.import_lists_proposed", rep.Proposed))
		}
		if *snapshot != "" {
			fmt.Fprintln(w, e.text("cli.import_lists_revoked", *snapshot, rep.Revoked))
		}
	}); perr != nil {
		return perr
	}
	if len(rep.Bad) > 0 {
		return e.errorf(tally.EInvalid, "cli.import_bad_rows", len(rep.Bad))
	}
	return nil
}
