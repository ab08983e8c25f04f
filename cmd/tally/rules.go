package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/catalog"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/rulebook"
)

func cmdRules(e *env, args []string) error {
	return dispatch(e, "rules", args,
		subcommand{"lint", rulesLint},
		subcommand{"publish", rulesPublish},
		subcommand{"show", rulesShow})
}

// readFile reads a file named on the command line; why it cannot be read
// is said in the operator's language.
func (e *env) readFile(name string) ([]byte, error) {
	src, err := os.ReadFile(name)
	if err != nil {
		return nil, e.fileError(tally.ENotFound, "", name, err)
	}
	return src, nil
}

// rulesLint checks a rulebook file without a database.
func rulesLint(e *env, args []string) error {
	pos, err := e.parse(e.flags("rules lint", "FILE"), args, "FILE")
	if err != nil {
		return err
	}
	src, err := e.readFile(pos[0])
	if err != nil {
		return err
	}
	book, report := rulebook.Load(pos[0], src)
	problems := make([]string, len(report))
	for i, p := range report {
		problems[i] = p.String()
	}
	out := map[string]any{"file": pos[0], "ok": book != nil, "problems": problems}
	if err := e.print(out, func(w io.Writer) {
		for _, p := range problems {
			fmt.Fprintln(w, p)
		}
		if book != nil {
			fmt.Fprintln(w, e.text("cli.rules.lint_ok", pos[0], book.Scheme, len(book.Rules), len(report.Warnings())))
		}
	}); err != nil {
		return err
	}
	if book == nil {
		return e.errorf(tally.EInvalid, "cli.rules.lint_errors", pos[0], len(report.Errors()))
	}
	return nil
}

func rulesPublish(e *env, args []string) error {
	pos, err := e.parse(e.flags("rules publish", "FILE"), args, "FILE")
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
	pub, err := svc.Publish(e.ctx, pos[0], src)
	if err != nil {
		return err
	}
	warnings := make([]string, len(pub.Warnings))
	for i, p := range pub.Warnings {
		warnings[i] = p.String()
	}
	out := map[string]any{"scheme": pub.Version.Scheme, "version": pub.Version.Version, "effective": day(pub.Version.Effective),
		"unchanged": pub.Unchanged, "warnings": warnings}
	return e.print(out, func(w io.Writer) {
		for _, p := range warnings {
			fmt.Fprintln(e.stderr, p)
		}
		if pub.Unchanged {
			fmt.Fprintln(w, e.text("cli.rules.unchanged", pub.Version.Scheme, pub.Version.Version))
			return
		}
		fmt.Fprintln(w, e.text("cli.rules.published", pub.Version.Scheme, pub.Version.Version,
			pub.Book.Name, day(pub.Version.Effective), len(pub.Book.Rules)))
	})
}

// ruleView is a rule as 'rules show --json' prints it.
type ruleView struct {
	Code     string         `json:"code"`
	Title    tally.Text     `json:"title"`
	Category string         `json:"category"`
	Points   string         `json:"points"`
	Effect   string         `json:"effect"`
	Cap      string         `json:"cap,omitempty"`
	Lasts    string         `json:"lasts"`
	Severity tally.Severity `json:"severity,omitempty"`
	Basis    tally.Text     `json:"basis,omitzero"`
	Facts    []string       `json:"facts"`
}

func rulesShow(e *env, args []string) error {
	pos, err := e.parse(e.flags("rules show", "SCHEME"), args, "SCHEME")
	if err != nil {
		return err
	}
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	versions, err := svc.Versions(e.ctx, pos[0])
	if err != nil {
		return err
	}
	latest := versions[len(versions)-1]
	rules := make([]ruleView, len(latest.Book.Rules))
	for i, r := range latest.Book.Rules {
		rules[i] = viewRule(r)
	}
	hist := make([]map[string]any, len(versions))
	for i, v := range versions {
		hist[i] = map[string]any{"version": v.Version, "effective": day(v.Effective), "published_at": v.PublishedAt, "published_by": v.PublishedBy, "digest": v.Digest}
	}
	out := map[string]any{"scheme": latest.Scheme, "name": latest.Book.Name, "base": latest.Book.Base,
		"grades": latest.Book.Grades, "versions": hist, "rules": rules}
	return e.print(out, func(w io.Writer) { printRules(w, e.msgs(), latest, versions) })
}

func viewRule(r *rulebook.Rule) ruleView {
	v := ruleView{Code: r.Code, Title: r.Title, Category: r.Category, Points: r.Points, Effect: string(r.Effect),
		Lasts: r.Lasts.String(), Severity: r.Severity, Basis: r.Basis, Facts: []string{}}
	if r.Cap != nil {
		v.Cap = fmt.Sprintf("%d per %s", r.Cap.Points, r.Cap.Per)
	}
	for _, f := range r.Facts {
		v.Facts = append(v.Facts, f.Name+": "+string(f.Type))
	}
	return v
}

func printRules(w io.Writer, m catalog.Catalogue, latest ledger.Version, versions []ledger.Version) {
	b := latest.Book
	fmt.Fprintln(w, m.Text("cli.rules.head", latest.Scheme, b.Name, b.Base, b.Subjects, b.Location))
	for _, v := range versions {
		fmt.Fprintln(w, m.Text("cli.rules.version", v.Version, day(v.Effective), day(v.PublishedAt), v.PublishedBy))
	}
	if len(b.Grades) > 0 {
		var g []string
		for _, band := range b.Grades {
			if band.HasMin {
				g = append(g, fmt.Sprintf("%s>=%d", band.Grade, band.Min))
			} else {
				g = append(g, band.Grade)
			}
		}
		fmt.Fprintln(w, m.Text("cli.rules.grades", strings.Join(g, " ")))
	}
	fmt.Fprintln(w)
	tw := newTable(w)
	fmt.Fprintln(tw, m.Text("cli.rules.table_head"))
	for _, r := range b.Rules {
		capped := "-"
		if r.Cap != nil {
			capped = m.Text("cap."+r.Cap.Per.String(), r.Cap.Points)
		}
		lasts := m.Text("cli.rules.forever")
		if !r.Lasts.IsZero() {
			lasts = m.Text("span."+r.Lasts.Unit.String(), r.Lasts.N)
		}
		severity := "-"
		if r.Severity != "" {
			severity = m.TextOr("severity."+string(r.Severity), string(r.Severity))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Code, r.Title.In(lang(m)), r.Points, capped, lasts, severity, dash(r.Basis.In(lang(m))))
	}
	tw.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
