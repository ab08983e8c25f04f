package ledger

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/workday"
)

// CalendarYear is one year of the working-day calendar and where it came
// from: built in (the embedded notices), or imported (when and by whom).
type CalendarYear struct {
	workday.Year
	Imported bool      `json:"imported"`
	At       time.Time `json:"imported_at,omitzero"`
	By       string    `json:"imported_by,omitempty"`
}

// ImportCalendar stores the years of a calendar file read with
// workday.Parse. A year already known, built in or imported, is replaced
// for deadlines computed from now on (a correction of the notice); the
// earlier import is kept.
func (s *Service) ImportCalendar(ctx context.Context, years []workday.Year) error {
	a := ActorOf(ctx)
	if err := authorize(a, OpImportCalendar, Target{}); err != nil {
		return err
	}
	if len(years) == 0 {
		return tally.FieldErrorf("years", "the file holds no year")
	}
	return s.store.Update(ctx, func(tx Tx) error {
		now := s.now()
		for _, y := range years {
			if err := tx.InsertCalendarYear(ctx, y, now, a.Name); err != nil {
				return fmt.Errorf("import calendar %d: %w", y.Year, err)
			}
		}
		return nil
	})
}

// Calendar returns the calendar of one year, imported or built in, and
// the years known when it has none (ENotFound).
func (s *Service) Calendar(ctx context.Context, year int) (*CalendarYear, error) {
	if err := authorize(ActorOf(ctx), OpReadCalendar, Target{}); err != nil {
		return nil, err
	}
	var out *CalendarYear
	err := s.store.View(ctx, func(tx Tx) error {
		years, err := calendarYears(ctx, tx)
		if err != nil {
			return err
		}
		var known []int
		for _, y := range years {
			if y.Year.Year == year {
				out = &y
			}
			known = append(known, y.Year.Year)
		}
		if out == nil {
			return tally.Errorf(tally.ENotFound, "no holiday calendar for %d (tally has %v): import it with `tally calendar import FILE`", year, known)
		}
		return nil
	})
	return out, err
}

// calendarYears returns the built-in years overlaid with the imported
// ones, in year order.
func calendarYears(ctx context.Context, tx Calendars) ([]CalendarYear, error) {
	imported, err := tx.CalendarYears(ctx)
	if err != nil {
		return nil, err
	}
	byYear := map[int]CalendarYear{}
	for _, y := range workday.Embedded() {
		byYear[y.Year] = CalendarYear{Year: y}
	}
	for _, y := range imported {
		byYear[y.Year.Year] = CalendarYear{Year: y.Year, Imported: true, At: y.At, By: y.By}
	}
	out := slices.Collect(maps.Values(byYear))
	slices.SortFunc(out, func(a, b CalendarYear) int { return cmp.Compare(a.Year.Year, b.Year.Year) })
	return out, nil
}

// storedCalendar counts working days on the built-in and imported years,
// read from the store on first use: a clock in calendar days needs none.
// A year without its notice is counted Monday to Friday, never refused: a
// filing must not wait for an office's import, and the deadlines so
// counted are provisional (see lacking) until the year is imported.
type storedCalendar struct {
	ctx context.Context
	tx  Calendars
	cal *workday.Calendar
}

// workdays returns the working-day calendar of the transaction tx.
func workdays(ctx context.Context, tx Calendars) *storedCalendar {
	return &storedCalendar{ctx: ctx, tx: tx}
}

// calendar returns the years known, read once.
func (c *storedCalendar) calendar() (*workday.Calendar, error) {
	if c.cal == nil {
		years, err := calendarYears(c.ctx, c.tx)
		if err != nil {
			return nil, err
		}
		ys := make([]workday.Year, len(years))
		for i, y := range years {
			ys[i] = y.Year
		}
		c.cal = workday.New(ys...)
	}
	return c.cal, nil
}

// AddWorkingDays implements tally.Workdays; a year without its notice
// counts Monday to Friday.
func (c *storedCalendar) AddWorkingDays(t time.Time, n int) (time.Time, error) {
	cal, err := c.calendar()
	if err != nil {
		return time.Time{}, err
	}
	end, _ := cal.Reckon(t, n)
	return end, nil
}

// run is one deadline: the clock that set it, from when it ran and the
// instant it ends.
type run struct {
	clock    tally.Clock
	from, by time.Time
}

// lacking returns the years, in order and once each, that the runs in
// working days were counted across or end in (by their dates in loc) and
// that the calendar lacks now.
func (c *storedCalendar) lacking(loc *time.Location, runs ...run) ([]int, error) {
	var out []int
	for _, r := range runs {
		if !r.clock.Working || r.by.IsZero() {
			continue
		}
		cal, err := c.calendar()
		if err != nil {
			return nil, err
		}
		out = append(out, cal.Lacking(r.from.In(loc), r.by.In(loc))...)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// provisional reports whether any of the runs depends on a year the
// calendar lacks.
func (c *storedCalendar) provisional(loc *time.Location, runs ...run) (bool, error) {
	years, err := c.lacking(loc, runs...)
	return len(years) > 0, err
}

// due is the deadline of clock started at from in the zone loc, and
// whether it is provisional.
func (c *storedCalendar) due(clock tally.Clock, from time.Time, loc *time.Location) (time.Time, bool, error) {
	by, err := deadline(clock, from, loc, c)
	if err != nil {
		return time.Time{}, false, err
	}
	provisional, err := c.provisional(loc, run{clock, from, by})
	return by, provisional, err
}

// deadline is the last instant of the day a clock started at from ends,
// counted in the scheme's zone loc.
func deadline(c tally.Clock, from time.Time, loc *time.Location, w tally.Workdays) (time.Time, error) {
	t, err := c.From(from.In(loc), w)
	if err != nil {
		return time.Time{}, err
	}
	return endOfDay(t, loc), nil
}
