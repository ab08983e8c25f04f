package sqlite

import (
	"context"
	"database/sql"
	"errors"

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

// unavailable marks err EUnavailable when it says the database cannot be
// used now rather than that the request or tally is at fault: the store is
// closed, the connection is gone, a lock was not granted before the busy
// timeout, the file cannot be opened or read, the disk is full, or the
// caller's deadline ran out. Errors that already carry another code, and
// every other error, are returned unchanged. Store.Update and Store.View
// pass every error through it: the one place the mapping is made.
func unavailable(err error, closed bool) error {
	if err == nil || tally.ErrorCodeOf(err) != tally.EInternal {
		return err
	}
	switch {
	case closed, errors.Is(err, sql.ErrConnDone), errors.Is(err, context.DeadlineExceeded):
	default:
		switch resultCode(err) & 0xff { // the primary result code
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_CANTOPEN,
			sqlite3.SQLITE_IOERR, sqlite3.SQLITE_FULL:
		default:
			return err
		}
	}
	return &tally.Error{Code: tally.EUnavailable, Message: "the database is unavailable; try again later", Err: err}
}
