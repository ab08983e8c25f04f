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
// sent the input; Field names the input at fault (a flag, a fact, a column)
// and Line the line of a file or row of an import, when known.
type Error struct {
	Code    ErrorCode
	Message string
	Field   string
	Line    int
	Err     error // an underlying cause, if any
}

func (e *Error) Error() string {
	msg := e.Message
	if e.Field != "" {
		msg = e.Field + ": " + msg
	}
	if e.Line > 0 {
		msg = fmt.Sprintf("line %d: %s", e.Line, msg)
	}
	if e.Err != nil && e.Code == EInternal {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code ErrorCode, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldErrorf returns an EInvalid error about one named input field.
func FieldErrorf(field, format string, args ...any) *Error {
	return &Error{Code: EInvalid, Field: field, Message: fmt.Sprintf(format, args...)}
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

func (p Problems) Error() string {
	switch len(p) {
	case 0:
		return "no problems"
	case 1:
		return p[0].Error()
	}
	return fmt.Sprintf("%s (and %d more)", p[0].Error(), len(p)-1)
}

// As lets errors.As find an *Error with code EInvalid in a Problems value.
func (p Problems) As(target any) bool {
	if t, ok := target.(**Error); ok && len(p) > 0 {
		*t = &Error{Code: EInvalid, Message: p.Error()}
		return true
	}
	return false
}
