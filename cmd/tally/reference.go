package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
)

// commandLine is one command line as its flag set declares it: the name, the
// synopsis and the flags that `tally NAME --help` prints.
type commandLine struct {
	name, synopsis string
	flags          *flag.FlagSet
}

// describing reports whether the command is being described for the
// reference rather than run.
func (e *env) describing() bool { return e.usages != nil }

// describeVerbs describes each verb of a command in turn. A verb asked
// for -h declares its flags and stops before it opens anything.
func describeVerbs(e *env, verbs []subcommand) error {
	for _, v := range verbs {
		ve := *e
		if err := v.run(&ve, []string{"-h"}); !errors.Is(err, flag.ErrHelp) {
			return fmt.Errorf("describing %q: it ran instead of declaring its flags (%v)", v.name, err)
		}
	}
	return flag.ErrHelp
}

// referenceConfig is the configuration the reference shows as defaults:
// the built-in ones, not this machine's environment or user.
func referenceConfig() config {
	c := builtinConfig()
	c.By = "cli:$USER"
	c.Lang = "en" // docs/CLI.md is written in English
	return c
}

// describe runs every command with -h in describe mode and returns the
// usage of every command line, in the order `tally help` lists them.
func describe() ([]commandLine, error) {
	table := commands()
	var all []commandLine
	for _, name := range commandNames(table) {
		var got []commandLine
		e := &env{ctx: context.Background(), stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard,
			cfg: referenceConfig(), usages: &got}
		if err := table[name].run(e, []string{"-h"}); !errors.Is(err, flag.ErrHelp) {
			return nil, fmt.Errorf("describing %q: it ran instead of declaring its flags (%v)", name, err)
		}
		if len(got) == 0 {
			return nil, fmt.Errorf("describing %q: it declared no flag set", name)
		}
		all = append(all, got...)
	}
	return all, nil
}

// commandNames returns the command table's names in alphabetical order.
func commandNames(table map[string]command) []string {
	names := make([]string, 0, len(table))
	for n := range table {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// reference renders the command reference of docs/CLI.md in Markdown:
// the common flags once, then every command line with its synopsis, what
// it does and its own flags. It fails when a command line has no
// description or a description names no command line, so neither can be
// forgotten.
func reference() (string, error) {
	usages, err := describe()
	if err != nil {
		return "", err
	}
	if err := checkDescriptions(usages); err != nil {
		return "", err
	}
	common := (&env{stderr: io.Discard, cfg: referenceConfig()}).flags("", "")
	var b strings.Builder
	b.WriteString("### Common flags\n\nEvery command takes these:\n\n")
	writeFlags(&b, common, nil)
	last := ""
	for _, u := range usages {
		top, _, isVerb := strings.Cut(u.name, " ")
		level := "###"
		if isVerb {
			level = "####"
			if top != last {
				fmt.Fprintf(&b, "\n### tally %s\n\n%s.\n", top, texts.In("en").Text(summaryKey(top)))
			}
		}
		last = top
		fmt.Fprintf(&b, "\n%s tally %s\n\n```\ntally %s\n```\n\n%s\n", level, u.name, strings.TrimSpace(u.name+" "+u.synopsis), descriptions[u.name])
		if len(ownFlags(u.flags, common)) > 0 {
			b.WriteString("\n")
			writeFlags(&b, u.flags, common)
		}
	}
	return b.String(), nil
}

// checkDescriptions says which command lines lack a description and which
// descriptions name no command line.
func checkDescriptions(usages []commandLine) error {
	var problems []string
	seen := map[string]bool{}
	for _, u := range usages {
		seen[u.name] = true
		if descriptions[u.name] == "" {
			problems = append(problems, fmt.Sprintf("tally %s has no description", u.name))
		}
	}
	for name := range descriptions {
		if !seen[name] {
			problems = append(problems, fmt.Sprintf("the description of %q names no command", name))
		}
	}
	sort.Strings(problems)
	if len(problems) > 0 {
		return fmt.Errorf("cmd/tally/descriptions.go: %s", strings.Join(problems, "; "))
	}
	return nil
}

// ownFlags returns the flags of fs that are not among the common ones.
func ownFlags(fs, common *flag.FlagSet) []*flag.Flag {
	var own []*flag.Flag
	fs.VisitAll(func(f *flag.Flag) {
		if common == nil || common.Lookup(f.Name) == nil {
			own = append(own, f)
		}
	})
	return own
}

// writeFlags writes the flags of fs, less the common ones, as a table.
func writeFlags(b *strings.Builder, fs, common *flag.FlagSet) {
	b.WriteString("| flag | default | meaning |\n| --- | --- | --- |\n")
	for _, f := range ownFlags(fs, common) {
		kind, meaning := flag.UnquoteUsage(f)
		name := "--" + f.Name
		if kind != "" {
			name += " " + kind
		}
		def := ""
		if f.DefValue != "" && f.DefValue != "0" && f.DefValue != "false" && f.DefValue != "0s" {
			def = "`" + f.DefValue + "`"
		}
		fmt.Fprintf(b, "| `%s` | %s | %s |\n", name, def, cell(meaning))
	}
}

// cell escapes what would end a Markdown table cell.
func cell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}
