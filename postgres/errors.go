package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"

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
	adminShutdown            = "57P01"
	crashShutdown            = "57P02"
	cannotConnectNow         = "57P03"
	tooManyConnections       = "53300"
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

// unavailable marks err EUnavailable when it says the database cannot be
// used now rather than that the request or tally is at fault: the store is
// closed, the server cannot be reached or is shutting down or full of
// connections, the connection broke (a network error, an end of stream, or
// SQLSTATE class 08), or the network or the caller's deadline timed out. Errors that already carry another code,
// and every other error, are returned unchanged. Store.Update and
// Store.View pass every error through it: the one place the mapping is made.
func unavailable(err error, closed bool) error {
	if err == nil || tally.ErrorCodeOf(err) != tally.EInternal {
		return err
	}
	var (
		connect *pgconn.ConnectError
		network net.Error
	)
	state := sqlState(err)
	switch {
	case closed, errors.As(err, &connect), pgconn.Timeout(err), errors.Is(err, context.DeadlineExceeded):
	case errors.As(err, &network), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF): // the connection broke
	case pgconn.SafeToRetry(err): // failed before anything was sent, such as on a closed connection
	case strings.HasPrefix(state, "08"): // connection exception
	case state == adminShutdown, state == crashShutdown, state == cannotConnectNow, state == tooManyConnections:
	default:
		return err
	}
	return &tally.Error{Code: tally.EUnavailable, Message: "the database is unavailable; try again later", Err: err}
}
