package postgres

import (
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/tallycredit/tally"
)

// The SQLSTATE codes the store acts on (PostgreSQL manual, appendix A).
const (
	uniqueViolation          = "23505"
	foreignKeyViolation      = "23503"
	serializationFailure     = "40001"
	deadlockDetected         = "40P01"
	characterNotInRepertoire = "22021" // invalid UTF-8, or a NUL character, in text
	untranslatableCharacter  = "22P05"
)

// sqlState returns the SQLSTATE of the server error carried by err, or ""
// when err did not come from the server.
func sqlState(err error) string {
	var e *pgconn.PgError
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// constraintOf returns the name of the constraint err violated, or "".
func constraintOf(err error) string {
	var e *pgconn.PgError
	if errors.As(err, &e) {
		return e.ConstraintName
	}
	return ""
}

// retryable reports whether the server failed the transaction so that
// running it again may succeed.
func retryable(err error) bool {
	switch sqlState(err) {
	case serializationFailure, deadlockDetected:
		return true
	}
	return false
}

// conflict returns an EConflict error caused by err (which may be nil).
func conflict(err error, format string, args ...any) error {
	return &tally.Error{Code: tally.EConflict, Message: fmt.Sprintf(format, args...), Err: err}
}

// notFound returns an ENotFound error caused by err (which may be nil).
func notFound(err error, format string, args ...any) error {
	return &tally.Error{Code: tally.ENotFound, Message: fmt.Sprintf(format, args...), Err: err}
}

// storeErr wraps the error of a statement with the short context op. Text
// that PostgreSQL cannot store (invalid UTF-8, a NUL character), which
// SQLite would have taken, is EInvalid.
func storeErr(err error, op string) error {
	switch sqlState(err) {
	case characterNotInRepertoire, untranslatableCharacter:
		return &tally.Error{Code: tally.EInvalid, Message: op + ": text must be valid UTF-8 without NUL characters", Err: err}
	}
	return fmt.Errorf("%s: %w", op, err)
}

// lookupErr translates the error of a query for one row: pgx.ErrNoRows
// becomes ENotFound with the message given, anything else is wrapped with
// the short context op.
func lookupErr(err error, op string, format string, args ...any) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return notFound(nil, format, args...)
	}
	return storeErr(err, op)
}
