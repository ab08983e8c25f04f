package localtime

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ParseDate reads a date typed in a form or a command-line flag as the
// first instant of that day in zone loc (nil: Default). It accepts
// 2026-03-02, 2026/3/2, 2026.3.2 and 2026年3月2日 (日 or 号, or
// neither), in ASCII or full-width digits and punctuation
// (２０２６－０３－０２), with spaces around. A day that does not exist
// (2026-02-30) is refused.
func ParseDate(s string, loc *time.Location) (time.Time, error) {
	parts := strings.Split(fold(s), "-")
	if len(parts) != 3 {
		return time.Time{}, fmt.Errorf("%q is not a date such as 2026-03-02 or 2026年3月2日", s)
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || p == "" || p[0] == '+' || (i == 0 && len(p) != 4) || (i > 0 && len(p) > 2) {
			return time.Time{}, fmt.Errorf("%q is not a date such as 2026-03-02 or 2026年3月2日", s)
		}
		n[i] = v
	}
	t := time.Date(n[0], time.Month(n[1]), n[2], 0, 0, 0, 0, Or(loc))
	if t.Year() != n[0] || int(t.Month()) != n[1] || t.Day() != n[2] {
		return time.Time{}, fmt.Errorf("%q is not a day of the calendar", s)
	}
	return t, nil
}

// fold turns full-width digits into ASCII ones, every separator of a
// date into '-', and drops spaces and a closing 日 or 号.
func fold(s string) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r >= '０' && r <= '９':
			b.WriteRune('0' + (r - '０'))
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case strings.ContainsRune("-/.－／．年月—–‐", r):
			b.WriteRune('-')
		case strings.ContainsRune("日号 \u3000", r):
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
