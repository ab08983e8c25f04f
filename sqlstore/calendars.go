package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/workday"
)

var (
	insertCalendarYearQuery = fixed("InsertCalendarYear", `INSERT INTO calendar_years (year, days, imported_at, imported_by)
		VALUES (?, ?, ?, ?)`)
	calendarYearsQuery = fixed("CalendarYears", `SELECT c.year, c.days, c.imported_at, c.imported_by FROM calendar_years c
		WHERE c.id = (SELECT max(l.id) FROM calendar_years l WHERE l.year = c.year) ORDER BY c.year`)
)

// InsertCalendarYear stores an import of one year, its days as the
// calendar file writes them.
func (t *Tx) InsertCalendarYear(ctx context.Context, y workday.Year, at time.Time, by string) error {
	days, err := workday.MarshalYear(y)
	if err != nil {
		return fmt.Errorf("encode calendar %d: %w", y.Year, err)
	}
	_, err = t.exec(ctx, insertCalendarYearQuery, y.Year, string(days), micros(at), by)
	return t.wrap(err, fmt.Sprintf("insert calendar %d", y.Year))
}

// CalendarYears returns the latest import of each year, in year order.
func (t *Tx) CalendarYears(ctx context.Context) ([]ledger.ImportedYear, error) {
	ys, err := collect(ctx, t, scanCalendarYear, calendarYearsQuery)
	return ys, t.wrap(err, "read calendars")
}

func scanCalendarYear(row Row) (ledger.ImportedYear, error) {
	var (
		y    ledger.ImportedYear
		year int
		days string
		at   int64
	)
	if err := row.Scan(&year, &days, &at, &y.By); err != nil {
		return y, err
	}
	var err error
	y.Year, err = workday.ParseYear(year, []byte(days))
	y.At = fromMicros(at)
	return y, err
}
