package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/rulebook"
)

func cmdRules(e *env, args []string) error {
	return dispatch(e, "rules", args,
		subcommand{"lint", rulesLint},
		subcommand{"publish", rulesPublish},
		subcommand{"show", rulesShow})
}

func readFile(name string) ([]byte, error) {
	src, err := os.ReadFile(name)
	if err != nil {
		return nil, tally.Errorf(tally.ENotFound, "cannot read %s: %v", name, err)
	}
	return src, nil
}

// rulesLint checks a rulebook file without a database.
func rulesLint(e *env, args []string) error {
	pos, err := parse(e.flags("rules lint", "FILE"), args, "FILE")
	if err != nil {
		return err
	}
	src, err := readFile(pos[0])
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
			fmt.Fprintf(w, "%s: scheme %s, %d rules: ok (%d warnings)\n", pos[0], book.Scheme, len(book.Rules), len(report.Warnings()))
		}
	}); err != nil {
		return err
	}
	if book == nil {
		return tally.Errorf(tally.EInvalid, "%s: %d error(s)", pos[0], len(report.Errors()))
	}
	return nil
}

func rulesPublish(e *env, args []string) error {
	pos, err := parse(e.flags("rules publish", "FILE"), args, "FILE")
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
			fmt.Fprintf(w, "%s is unchanged: version %d\n", pub.Version.Scheme, pub.Version.Version)
			return
		}
		fmt.Fprintf(w, "published %s version %d (%s), effective %s, %d rules\n", pub.Version.Scheme, pub.Version.Version,
			pub.Book.Name, day(pub.Version.Effective), len(pub.Book.Rules))
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
	pos, err := parse(e.flags("rules show", "SCHEME"), args, "SCHEME")
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
	return e.print(out, func(w io.Writer) { printRules(w, latest, versions, rules) })
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

func printRules(w io.Writer, latest ledger.Version, versions []ledger.Version, rules []ruleView) {
	b := latest.Book
	fmt.Fprintf(w, "%s: %s\nbase %d, subjects %v, time zone %s\n", latest.Scheme, b.Name, b.Base, b.Subjects, b.Location)
	for _, v := range versions {
		fmt.Fprintf(w, "version %d effective %s, published %s by %s\n", v.Version, day(v.Effective), day(v.PublishedAt), v.PublishedBy)
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
		fmt.Fprintf(w, "grades: %s\n", strings.Join(g, " "))
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RULE\tTITLE\tPOINTS\tCAP\tLASTS\tSEVERITY\tBASIS")
	for _, r := range rules {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Code, r.Title, r.Points, dash(r.Cap), r.Lasts, dash(string(r.Severity)), dash(r.Basis.String()))
	}
	tw.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
