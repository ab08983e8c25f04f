package tally

import (
	"errors"
	"fmt"
)

// ErrorCode classifies an Error so that each edge (CLI exit code, HTTP
// status) can map it once.
type ErrorCode string

// The error codes. Every failure a caller can act on is one of these.
const (
	EInvalid   ErrorCode = "invalid"   // the input is wrong; nothing was written
	ENotFound  ErrorCode = "not_found" // a named scheme, subject, rule or record does not exist
	EConflict  ErrorCode = "conflict"  // the input contradicts what is already recorded
	EForbidden ErrorCode = "forbidden" // the caller may not do this
	EInternal  ErrorCode = "internal"  // a fault of tally or its storage
	// EUnavailable: the storage cannot be reached or is too busy now (the
	// connection failed, the database is closed, a lock or deadline ran
	// out); nothing was written and the same call may succeed later.
	EUnavailable ErrorCode = "unavailable"
)

// Error is the application error. Message is written for the person who
// sent the input, in English; Format and Args, when set, are what Message
// was made from, so that an edge can say it in the reader's language (the
// English format is the key of its translations). Field names the input at
// fault (a flag, a fact, a column) and Line the line of a file or row of an
// import, when known.
type Error struct {
	Code    ErrorCode
	Message string
	Format  string
	Args    []any
	Field   string
	Line    int
	Err     error // an underlying cause, if any
}

func (e *Error) Error() string {
	msg := e.Render(English)
	if e.Err != nil && e.Code == EInternal {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Render says the error in tr's language, after the line and the input at
// fault when it names them.
func (e *Error) Render(tr Translator) string {
	msg := e.Say(tr)
	if e.Field != "" {
		msg = tr("%s: %s", e.Field, msg)
	}
	if e.Line > 0 {
		msg = tr("line %d: %s", e.Line, msg)
	}
	return msg
}

// Say is the message alone in tr's language: Message when the error was
// not made from a format.
func (e *Error) Say(tr Translator) string {
	if e.Format == "" {
		return e.Message
	}
	return tr(e.Format, e.Args...)
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and a message formatted in
// English, keeping format and args for its translations.
func Errorf(code ErrorCode, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Format: format, Args: args}
}

// FieldErrorf returns an EInvalid error about one named input field.
func FieldErrorf(field, format string, args ...any) *Error {
	e := Errorf(EInvalid, format, args...)
	e.Field = field
	return e
}

// ErrorCodeOf returns the code of the first *Error in err's chain, EInternal
// for any other non-nil error, and "" for nil.
func ErrorCodeOf(err error) ErrorCode {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// Problems is a list of errors found together, such as every fault in a
// rulebook; it is itself an EInvalid error.
type Problems []*Error

func (p Problems) Error() string { return p.Render(English) }

// Render says the first problem in tr's language, and how many more there
// are.
func (p Problems) Render(tr Translator) string {
	switch len(p) {
	case 0:
		return tr("no problems")
	case 1:
		return p[0].Render(tr)
	}
	return tr("%s (and %d more)", p[0].Render(tr), len(p)-1)
}

// As lets errors.As find an *Error with code EInvalid in a Problems value.
func (p Problems) As(target any) bool {
	if t, ok := target.(**Error); ok && len(p) > 0 {
		*t = &Error{Code: EInvalid, Message: p.Error(), Format: "%s", Args: []any{p}}
		return true
	}
	return false
}

// Translator says an English format with its arguments in a reader's
// language. English is the Translator of logs and of Error.
type Translator func(format string, args ...any) string

// English formats the format as written.
func English(format string, args ...any) string { return fmt.Sprintf(format, args...) }

// Renderer is an error that can say itself in a reader's language, such as
// *Error and Problems; a Renderer among a message's arguments is said in
// the same language as the message.
type Renderer interface {
	error
	Render(tr Translator) string
}
