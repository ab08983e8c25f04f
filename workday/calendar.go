package workday

import (
	"cmp"
	_ "embed"
	"fmt"
	"slices"
	"time"

	"github.com/tallycredit/tally"
)

//go:embed holidays-cn.json
var embedded []byte

// Embedded returns the years built into tally (2025 and 2026), from the
// State Council's notices named in each year's Source.
func Embedded() []Year {
	ys, err := Parse("holidays-cn.json", embedded)
	if err != nil {
		panic(err) // the embedded file is checked by the package's tests
	}
	return ys
}

// Calendar tells working days from days off, for the years it holds. It
// is safe for concurrent use once built; build one with New.
type Calendar struct {
	years map[int]exceptions
}

// exceptions holds a year's exceptions: true for a make-up working day,
// false for a day off.
type exceptions map[string]bool

// New returns a calendar of the years given; a later year of the same
// number replaces an earlier one (an imported correction replaces the
// embedded notice).
func New(years ...Year) *Calendar {
	c := &Calendar{years: map[int]exceptions{}}
	for _, y := range years {
		kinds := exceptions{}
		for _, days := range y.Off {
			for _, d := range days {
				kinds[d] = false
			}
		}
		for _, d := range y.Work {
			kinds[d] = true
		}
		c.years[y.Year] = kinds
	}
	return c
}

// Years returns the years the calendar holds, in order.
func (c *Calendar) Years() []int {
	out := make([]int, 0, len(c.years))
	for y := range c.years {
		out = append(out, y)
	}
	slices.Sort(out)
	return out
}

// Holds reports whether the calendar holds year's notice.
func (c *Calendar) Holds(year int) bool {
	_, ok := c.years[year]
	return ok
}

// Working reports whether day (its date in its own location) is a working
// day. A day of a year the calendar does not hold is a *MissingYearError.
func (c *Calendar) Working(day time.Time) (bool, error) {
	if !c.Holds(day.Year()) {
		return false, &MissingYearError{Year: day.Year()}
	}
	return c.weekdayOr(day), nil
}

// weekdayOr judges day by its year's notice, and a day the notice does not
// list (or a year without one) as Monday to Friday working.
func (c *Calendar) weekdayOr(day time.Time) bool {
	if working, listed := c.years[day.Year()][day.Format(dayLayout)]; listed {
		return working
	}
	wd := day.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// AddWorkingDays returns t plus n working days, counted from the day
// after t's date in t's location, with t's time of day. A day counted in
// a year the calendar does not hold is a *MissingYearError.
func (c *Calendar) AddWorkingDays(t time.Time, n int) (time.Time, error) {
	for n > 0 {
		t = t.AddDate(0, 0, 1)
		working, err := c.Working(t)
		if err != nil {
			return time.Time{}, err
		}
		if working {
			n--
		}
	}
	return t, nil
}

// Reckon returns t plus n working days as AddWorkingDays does, but a year
// the calendar does not hold never stops the count: its Mondays to
// Fridays count as working days. The years so counted come back with the
// end (none when the count is exact): a deadline on them is provisional
// until their notices are imported.
func (c *Calendar) Reckon(t time.Time, n int) (end time.Time, lacking []int) {
	end = t
	for n > 0 {
		end = end.AddDate(0, 0, 1)
		if c.weekdayOr(end) {
			n--
		}
	}
	return end, c.Lacking(t, end)
}

// Lacking returns, in order, the years the calendar does not hold among
// those of the days after from's date up to to's date (each in its own
// location): the years a count of working days between them depends on.
func (c *Calendar) Lacking(from, to time.Time) []int {
	var out []int
	for y := from.AddDate(0, 0, 1).Year(); y <= to.Year(); y++ {
		if !c.Holds(y) {
			out = append(out, y)
		}
	}
	return out
}

// MissingYearError is a working-day count that reached a year whose
// holiday notice tally does not hold. It is an EInvalid *tally.Error for
// errors.As, with a message that names the year and the way to add it.
type MissingYearError struct {
	Year int
}

func (e *MissingYearError) Error() string {
	return fmt.Sprintf("没有 %d 年的节假日安排，无法按工作日计算期限；请在国务院办公厅通知发布后用 `tally calendar import FILE` 导入 / "+
		"no holiday calendar for %d, so a deadline in working days cannot be computed; "+
		"import the State Council's notice for %d with `tally calendar import FILE`", e.Year, e.Year, e.Year)
}

// As lets errors.As find the EInvalid *tally.Error this is.
func (e *MissingYearError) As(target any) bool {
	if t, ok := target.(**tally.Error); ok {
		*t = &tally.Error{Code: tally.EInvalid, Message: e.Error()}
		return true
	}
	return false
}

// Days lists a year's days off and make-up working days in date order,
// for showing: each with its holiday's name ("" for a working day).
func (y Year) Days() []Day {
	var out []Day
	for name, days := range y.Off {
		for _, d := range days {
			out = append(out, Day{Date: d, Holiday: name})
		}
	}
	for _, d := range y.Work {
		out = append(out, Day{Date: d, Working: true})
	}
	slices.SortFunc(out, func(a, b Day) int { return cmp.Compare(a.Date, b.Date) })
	return out
}

// Day is one listed day of a year.
type Day struct {
	Date    string `json:"date"`              // YYYY-MM-DD
	Holiday string `json:"holiday,omitempty"` // the holiday a day off belongs to
	Working bool   `json:"working"`           // a make-up working day
}
