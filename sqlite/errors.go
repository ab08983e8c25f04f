package sqlite

import (
	"database/sql"
	"errors"
	"fmt"

	"github.com/tallycredit/tally"
	msqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// resultCode returns the SQLite extended result code carried by err, or 0
// when err did not come from SQLite. The driver turns extended result codes
// on for every connection.
func resultCode(err error) int {
	var e *msqlite.Error
	if errors.As(err, &e) {
		return e.Code()
	}
	return 0
}

// isUnique reports whether err is a violated UNIQUE or PRIMARY KEY constraint.
func isUnique(err error) bool {
	switch resultCode(err) {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return true
	}
	return false
}

// isForeignKey reports whether err is a violated FOREIGN KEY constraint: the
// row refers to a subject, enrolment or record that does not exist.
func isForeignKey(err error) bool {
	return resultCode(err) == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
}

// conflict returns an EConflict error caused by err.
func conflict(err error, format string, args ...any) error {
	return &tally.Error{Code: tally.EConflict, Message: fmt.Sprintf(format, args...), Err: err}
}

// notFound returns an ENotFound error caused by err (which may be nil).
func notFound(err error, format string, args ...any) error {
	return &tally.Error{Code: tally.ENotFound, Message: fmt.Sprintf(format, args...), Err: err}
}

// lookupErr translates the error of a query for one row: sql.ErrNoRows
// becomes ENotFound with the message given, anything else is wrapped with
// the short context op.
func lookupErr(err error, op string, format string, args ...any) error {
	if errors.Is(err, sql.ErrNoRows) {
		return notFound(nil, format, args...)
	}
	return fmt.Errorf("%s: %w", op, err)
}
