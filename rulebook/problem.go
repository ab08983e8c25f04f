package rulebook

import (
	"strings"

	"github.com/tallycredit/tally"
)

// Problem is one fault (or, when Warning is set, one doubtful point) found
// in a rulebook. Empty fields are unknown or do not apply: Rule is the code
// of the rule at fault, Field the field within it (or within the file).
// Message is in English, for the log and for comparison.
type Problem struct {
	File    string
	Line    int
	Rule    string
	Field   string
	Message string
	Warning bool
	said    *said // what Message was made from, for its translations
}

// said is an English format and its arguments (see tally.Error).
type said struct {
	format string
	args   []any
}

// String formats the problem as
// "village.yaml:23: rule littering: basis: a deduction needs a basis",
// omitting the parts that are empty and prefixing "warning: " to warnings.
func (p Problem) String() string { return p.Render(tally.English) }

// Render says the problem as String does, in tr's language.
func (p Problem) Render(tr tally.Translator) string {
	msg := p.Say(tr)
	if p.Field != "" {
		msg = tr("%s: %s", p.Field, msg)
	}
	if p.Rule != "" {
		msg = tr("rule %s: %s", p.Rule, msg)
	}
	switch {
	case p.File != "" && p.Line > 0:
		msg = tr("%s:%d: %s", p.File, p.Line, msg)
	case p.File != "":
		msg = tr("%s: %s", p.File, msg)
	case p.Line > 0:
		msg = tr("line %d: %s", p.Line, msg)
	}
	if p.Warning {
		msg = tr("warning: %s", msg)
	}
	return msg
}

// Say is the problem's message alone in tr's language.
func (p Problem) Say(tr tally.Translator) string {
	if p.said == nil {
		return p.Message
	}
	return tr(p.said.format, p.said.args...)
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
// tally.EInvalid whose message lists every error, one per line, in the
// reader's language when said with catalog.ErrorText.
func (r Report) Err() error {
	errs := r.Errors()
	if len(errs) == 0 {
		return nil
	}
	return &tally.Error{Code: tally.EInvalid, Message: faults(errs).Error(), Format: "%s", Args: []any{faults(errs)}}
}

// faults are a rulebook's errors as one error that says each on its line.
type faults Report

func (f faults) Error() string { return f.Render(tally.English) }

func (f faults) Render(tr tally.Translator) string {
	lines := make([]string, len(f))
	for i, p := range f {
		lines[i] = p.Render(tr)
	}
	return strings.Join(lines, "\n")
}
