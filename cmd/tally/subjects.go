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
		return tally.Errorf(tally.EInvalid, "want 'tally subjects add --kind person|organisation --id ID --name NAME' or 'tally subjects import FILE'")
	}
	return dispatch(e, "subjects", args,
		subcommand{"add", subjectsAdd},
		subcommand{"import", subjectsImport})
}

func subjectsAdd(e *env, args []string) error {
	fs := e.flags("subjects add", "--kind person|organisation --id ID --name NAME")
	kind := fs.String("kind", "person", "person or organisation")
	id := fs.String("id", "", "resident ID number (person) or Unified Social Credit Code (organisation)")
	name := fs.String("name", "", "name")
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
		verb := "added"
		if v.Existed {
			verb = "already known:"
		}
		fmt.Fprintf(w, "%s %s %s (%s)\n", verb, v.Kind, v.Name, v.Subject)
	})
}

func cmdEnrol(e *env, args []string) error {
	fs := e.flags("enrol", "--scheme S --subject ID [--unit U] --consent|--no-consent")
	scheme := fs.String("scheme", "", "scheme id")
	subject := fs.String("subject", "", "the subject's identifier")
	unit := fs.String("unit", "", "village, household group or market section, for tally sheets")
	consent := fs.Bool("consent", false, "the person agrees to be scored")
	noConsent := fs.Bool("no-consent", false, "the person does not agree to be scored (records are kept, no score)")
	how := fs.String("how", "", "how consent was given or refused, e.g. 'signed form 2026-03'")
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	if *consent == *noConsent {
		return tally.FieldErrorf("consent", "say --consent or --no-consent: a person is scored only with consent (organisations: pass --consent)")
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
		state := "not scored: no consent"
		if v.Consent {
			state = "scored with consent"
		}
		verb := "enrolled"
		if v.Existed {
			verb = "already enrolled:"
		}
		fmt.Fprintf(w, "%s %s (%s) in %s, %s\n", verb, v.Subject.Name, v.Subject.Subject, v.Scheme, state)
	})
}

func day(t time.Time) string { return t.Format(time.DateOnly) }

// subjectsImport adds and enrols the subjects of a CSV file.
func subjectsImport(e *env, args []string) error {
	pos, err := e.parse(e.flags("subjects import", "FILE (CSV or .xlsx: kind,id,name[,scheme,unit,consent,how], or in Chinese 类别,证件号码,姓名[,方案,小组,同意评分,同意方式]; - for standard input)"), args, "FILE")
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
	bar := newProgress(e.stderr, "subjects")
	rep, err := svc.ImportPeople(e.ctx, in, func(r ledger.PeopleReport) {
		bar.show("%d rows: %d added, %d known, %d enrolled, %d bad", r.Rows, r.Added, r.Existed, r.Enrolled, len(r.Bad))
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
