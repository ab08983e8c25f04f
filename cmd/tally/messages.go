package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"regexp"
	"strings"
	"syscall"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/catalog"
	"github.com/tallycredit/tally/ledger"
)

// summaryKey is the catalogue key of a command's one-line summary.
func summaryKey(name string) string { return "cli.cmd." + name }

// msgs is the catalogue of the operator's language, for the functions
// that print a command's text.
func (e *env) msgs() catalog.Catalogue { return texts.In(e.cfg.Lang) }

// fieldErrorf is an invalid-input error about field whose message is the
// catalogue's key in the operator's language.
func (e *env) fieldErrorf(field, key string, args ...any) error {
	return &tally.Error{Code: tally.EInvalid, Field: field, Message: e.text(key, args...)}
}

// printUsage prints a command line's synopsis and flags in the operator's
// language: what `tally NAME --help` shows.
func (e *env) printUsage(name, synopsis string, fs *flag.FlagSet) {
	m := e.msgs()
	fmt.Fprintln(e.stderr, m.Text("cli.usage", strings.TrimSpace(name+" "+synopsis)))
	fs.VisitAll(func(f *flag.Flag) {
		kind, meaning := flag.UnquoteUsage(f)
		line := "  --" + f.Name
		if kind != "" {
			line += " " + m.TextOr("cli.kind."+kind, kind)
		}
		fmt.Fprintf(e.stderr, "%s\n    \t%s", line, strings.ReplaceAll(meaning, "\n", "\n    \t"))
		if f.DefValue != "" && f.DefValue != "0" && f.DefValue != "false" && f.DefValue != "0s" {
			fmt.Fprint(e.stderr, m.Text("cli.flag_default", f.DefValue))
		}
		fmt.Fprintln(e.stderr)
	})
}

// parse parses flags anywhere among the arguments (tally score ID --json)
// and returns the positional arguments, checking there are want of them.
// The flag package's errors are said again in the operator's language,
// naming the flag.
func (e *env) parse(fs *flag.FlagSet, args []string, want ...string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, e.flagError(err)
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
	if len(pos) != len(want) {
		return nil, e.errorf(tally.EInvalid, "cli.want_args", len(want), strings.Join(want, " "), len(pos), pos)
	}
	return pos, nil
}

// flagErrors are the flag package's error sentences, each with the key
// that says it in the operator's language; the groups are its arguments.
var flagErrors = []struct {
	sentence *regexp.Regexp
	key      string
}{
	{regexp.MustCompile(`^flag provided but not defined: -(.+)$`), "cli.flag_unknown"},
	{regexp.MustCompile(`^flag needs an argument: -(.+)$`), "cli.flag_needs_value"},
	{regexp.MustCompile(`^invalid (?:boolean )?value (".*") for (?:flag )?-([^:]+): (.*)$`), "cli.flag_bad_value"},
	{regexp.MustCompile(`^invalid boolean flag ([^:]+): (.*)$`), "cli.flag_bad_bool"},
	{regexp.MustCompile(`^bad flag syntax: (.*)$`), "cli.flag_bad_syntax"},
}

// flagCauses are the flag package's reasons a value is refused.
var flagCauses = map[string]string{"parse error": "cli.flag_parse_error", "value out of range": "cli.flag_out_of_range"}

// flagError says a flag package error in the operator's language.
func (e *env) flagError(err error) error {
	for _, fe := range flagErrors {
		groups := fe.sentence.FindStringSubmatch(err.Error())
		if groups == nil {
			continue
		}
		args := make([]any, len(groups)-1)
		for i, g := range groups[1:] {
			if key, ok := flagCauses[g]; ok {
				g = e.text(key)
			}
			args[i] = g
		}
		return e.errorf(tally.EInvalid, fe.key, args...)
	}
	return e.errorf(tally.EInvalid, "cli.flag_other", err.Error())
}

// lang is the language a catalogue is in, "zh" or "en": for texts that
// carry both, such as rule titles.
func lang(m catalog.Catalogue) string { return m.Text("cli.lang_code") }

// reasonText is a record's reason in the operator's language when the
// ledger wrote it, or as typed when a person did.
func reasonText(m catalog.Catalogue, reason string) string {
	return ledger.RecordReasonText(reason).In(lang(m))
}

// fileCauses are the file system's reasons an operator meets most, each
// with the key that says it in the operator's language.
var fileCauses = []struct {
	err error
	key string
}{
	{fs.ErrNotExist, "cli.file.not_exist"},
	{fs.ErrPermission, "cli.file.no_permission"},
	{fs.ErrExist, "cli.file.exists"},
	{syscall.EISDIR, "cli.file.is_dir"},
	{syscall.ENOTDIR, "cli.file.not_dir"},
}

// fileError is an error of code about the file at path, for the input
// field that named it ("" for none), saying err's cause in the operator's
// language when it is a common one.
func (e *env) fileError(code tally.ErrorCode, field, path string, err error) error {
	cause := err.Error()
	var pe *fs.PathError
	if errors.As(err, &pe) {
		cause = pe.Err.Error()
	}
	for _, fc := range fileCauses {
		if errors.Is(err, fc.err) {
			cause = e.text(fc.key)
			break
		}
	}
	return &tally.Error{Code: code, Field: field, Message: e.text("cli.file.problem", path, cause)}
}
