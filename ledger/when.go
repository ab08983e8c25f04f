package ledger

import (
	"fmt"
	"strings"
	"time"

	"github.com/tallycredit/tally/localtime"
)

// ParseTime reads an instant written as a date (2026-03-02, or as
// localtime.ParseDate reads one: 2026年3月2日, full-width digits), a date
// and time (2026-03-02T14:30 or 2026-03-02 14:30) in loc, or RFC 3339 with
// its own offset. A bare date means the start of that day, or its last second
// when endOfDay is set: a score "at 2026-03-31" counts all of that day.
func ParseTime(value string, loc *time.Location, endOfDay bool) (time.Time, error) {
	v := strings.TrimSpace(value)
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t, nil
	}
	if t, err := localtime.ParseDate(v, loc); err == nil {
		if endOfDay {
			return t.AddDate(0, 0, 1).Add(-time.Second), nil
		}
		return t, nil
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, v, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date (2026-03-02), a local time (2026-03-02T14:30) or an RFC 3339 time", value)
}
