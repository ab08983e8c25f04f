package rulebook

import (
	"strconv"
	"strings"

	"github.com/tallycredit/tally"
)

// Problem is one fault (or, when Warning is set, one doubtful point) found
// in a rulebook. Empty fields are unknown or do not apply: Rule is the code
// of the rule at fault, Field the field within it (or within the file).
type Problem struct {
	File    string
	Line    int
	Rule    string
	Field   string
	Message string
	Warning bool
}

// String formats the problem as
// "village.yaml:23: rule littering: basis: a deduction needs a basis",
// omitting the parts that are empty and prefixing "warning: " to warnings.
func (p Problem) String() string {
	var b strings.Builder
	if p.Warning {
		b.WriteString("warning: ")
	}
	switch {
	case p.File != "" && p.Line > 0:
		b.WriteString(p.File + ":" + strconv.Itoa(p.Line) + ": ")
	case p.File != "":
		b.WriteString(p.File + ": ")
	case p.Line > 0:
		b.WriteString("line " + strconv.Itoa(p.Line) + ": ")
	}
	if p.Rule != "" {
		b.WriteString("rule " + p.Rule + ": ")
	}
	if p.Field != "" {
		b.WriteString(p.Field + ": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// Report is every problem Load found, in file order.
type Report []Problem

// Errors returns the problems that are errors.
func (r Report) Errors() Report { return r.filter(false) }

// Warnings returns the problems that are warnings.
func (r Report) Warnings() Report { return r.filter(true) }

func (r Report) filter(warning bool) Report {
	var out Report
	for _, p := range r {
		if p.Warning == warning {
			out = append(out, p)
		}
	}
	return out
}

// Err returns nil when r has no errors, else a *tally.Error with code
// tally.EInvalid whose message lists every error, one per line.
func (r Report) Err() error {
	errs := r.Errors()
	if len(errs) == 0 {
		return nil
	}
	lines := make([]string, len(errs))
	for i, p := range errs {
		lines[i] = p.String()
	}
	return &tally.Error{Code: tally.EInvalid, Message: strings.Join(lines, "\n")}
}
