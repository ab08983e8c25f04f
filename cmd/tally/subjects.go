package main

import (
	"fmt"
	"io"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

func cmdSubjects(e *env, args []string) error {
	if !e.describing() && (len(args) == 0 || args[0] != "add" && args[0] != "import") {
		return e.errorf(tally.EInvalid, "cli.subjects.want_verb")
	}
	return dispatch(e, "subjects", args,
		subcommand{"add", subjectsAdd},
		subcommand{"import", subjectsImport})
}

func subjectsAdd(e *env, args []string) error {
	fs := e.flags("subjects add", "--kind person|organisation --id ID --name NAME")
	kind := fs.String("kind", "person", e.text("cli.flag.kind"))
	id := fs.String("id", "", e.text("cli.flag.id"))
	name := fs.String("name", "", e.text("cli.flag.name"))
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	k, err := tally.ParseSubjectKind(*kind)
	if err != nil {
		return tally.FieldErrorf("kind", "%v", err)
	}
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	v, err := svc.AddSubject(e.ctx, ledger.NewSubject{Kind: k, Identifier: *id, Name: *name})
	if err != nil {
		return err
	}
	return e.print(v, func(w io.Writer) {
		verb := "cli.subjects.added"
		if v.Existed {
			verb = "cli.subjects.known"
		}
		fmt.Fprintln(w, e.text(verb, e.msgs().TextOr("cli.kind_of."+string(v.Kind), string(v.Kind)), v.Name, v.Subject))
	})
}

func cmdEnrol(e *env, args []string) error {
	fs := e.flags("enrol", "--scheme S --subject ID [--unit U] --consent|--no-consent")
	scheme := fs.String("scheme", "", e.text("cli.flag.scheme"))
	subject := fs.String("subject", "", e.text("cli.flag.subject"))
	unit := fs.String("unit", "", e.text("cli.flag.unit"))
	consent := fs.Bool("consent", false, e.text("cli.flag.consent"))
	noConsent := fs.Bool("no-consent", false, e.text("cli.flag.no_consent"))
	how := fs.String("how", "", e.text("cli.flag.consent_how"))
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	if *consent == *noConsent {
		return e.fieldErrorf("consent", "cli.enrol.say_consent")
	}
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	v, err := svc.Enrol(e.ctx, ledger.Enrolment{Scheme: *scheme, Identifier: *subject, Unit: *unit, Consent: *consent, How: *how})
	if err != nil {
		return err
	}
	return e.print(v, func(w io.Writer) {
		state := e.text("cli.enrol.not_scored")
		if v.Consent {
			state = e.text("cli.enrol.scored")
		}
		verb := "cli.enrol.enrolled"
		if v.Existed {
			verb = "cli.enrol.known"
		}
		fmt.Fprintln(w, e.text(verb, v.Subject.Name, v.Subject.Subject, v.Scheme, state))
	})
}

func day(t time.Time) string { return t.Format(time.DateOnly) }

// subjectsImport adds and enrols the subjects of a CSV file.
func subjectsImport(e *env, args []string) error {
	pos, err := e.parse(e.flags("subjects import", e.text("cli.synopsis.subjects_import")), args, "FILE")
	if err != nil {
		return err
	}
	in, closeIn, err := e.input(pos[0])
	if err != nil {
		return err
	}
	defer closeIn()
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	bar := e.bar(e.text("cli.progress.subjects"))
	rep, err := svc.ImportPeople(e.ctx, in, func(r ledger.PeopleReport) {
		bar.count(int64(r.Rows), 0, "cli.progress.unit_rows", e.text("cli.progress.rows_subjects", r.Rows, r.Added, r.Existed, r.Enrolled, len(r.Bad)))
	})
	bar.done()
	if err != nil {
		if ferr := e.refused(pos[0], err); ferr != nil {
			return ferr
		}
		return err
	}
	if err := e.print(rep, func(w io.Writer) {
		e.printBad(w, pos[0], rep.Bad)
		fmt.Fprintln(w, e.text("cli.import_subjects_done", pos[0], rep.Rows, rep.Added, rep.Existed, rep.Enrolled, len(rep.Bad)))
	}); err != nil {
		return err
	}
	if len(rep.Bad) > 0 {
		return e.errorf(tally.EInvalid, "cli.import_bad_rows", len(rep.Bad))
	}
	return nil
}
