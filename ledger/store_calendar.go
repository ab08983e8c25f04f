package ledger

import (
	"context"
	"time"

	"github.com/tallycredit/tally/workday"
)

// Calendars keeps the holiday calendars imported after a release: each
// import of a year is a row of its own, and the latest of a year counts.
type Calendars interface {
	// InsertCalendarYear stores an import of one year.
	InsertCalendarYear(ctx context.Context, y workday.Year, at time.Time, by string) error
	// CalendarYears returns the latest import of each year, in year
	// order; none is an empty slice, not an error.
	CalendarYears(ctx context.Context) ([]ImportedYear, error)
}

// ImportedYear is a year's holiday notice as imported.
type ImportedYear struct {
	workday.Year
	At time.Time `json:"imported_at"`
	By string    `json:"imported_by"`
}
