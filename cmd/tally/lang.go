package main

import (
	"errors"
	"os"
	"strings"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/catalog"
)

// texts is the message catalogue the operator's messages are read from.
var texts = catalog.MustLoad()

// langFromEnv is the language of operator messages when --lang does not
// say: TALLY_LANG, else English when LC_ALL or LANG names an English
// locale, else Chinese.
func langFromEnv() string {
	if v := os.Getenv("TALLY_LANG"); v != "" {
		return catalog.Pick(v)
	}
	for _, name := range []string{"LC_ALL", "LANG"} {
		if v := os.Getenv(name); v != "" {
			return catalog.Pick(v)
		}
	}
	return catalog.Default
}

// text returns the operator's message key in the command's language.
func (e *env) text(key string, args ...any) string {
	return texts.In(e.cfg.Lang).Text(key, args...)
}

// errorf returns an error of code whose message is the catalogue's key
// in the command's language.
func (e *env) errorf(code tally.ErrorCode, key string, args ...any) error {
	return &tally.Error{Code: code, Message: e.text(key, args...)}
}

// failure is how an error reads to the operator: its message after the
// line and the input at fault, when an application error names them.
func (e *env) failure(err error) string {
	te, ok := err.(*tally.Error)
	if !ok || te.Code == tally.EInternal {
		return err.Error()
	}
	msg := te.Say(catalog.Translator(e.cfg.Lang))
	if te.Field != "" {
		msg = e.text("cli.at_field", te.Field, msg)
	}
	if te.Line > 0 {
		msg = e.text("cli.at_line", te.Line, msg)
	}
	return msg
}

// inFile names the file an error about one of its lines is in, before its
// message, unless the message names it already.
func inFile(err error, file string) {
	var te *tally.Error
	if !errors.As(err, &te) || te.Line == 0 || strings.HasPrefix(te.Message, file) {
		return
	}
	te.Message = file + ": " + te.Message
	if te.Format != "" {
		te.Format, te.Args = "%s: %s", []any{file, tally.Errorf(te.Code, te.Format, te.Args...)}
	}
}

// langFlag returns the language --lang names among args, or lang: read
// before a command parses its flags, so that its first errors (an unknown
// verb) are in that language too.
func langFlag(args []string, lang string) string {
	for i, a := range args {
		name, value, given := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if name != "lang" || !strings.HasPrefix(a, "-") {
			continue
		}
		if !given && i+1 < len(args) {
			value = args[i+1]
		}
		if value == "zh" || value == "en" {
			lang = value
		}
	}
	return lang
}
