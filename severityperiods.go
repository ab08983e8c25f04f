package tally

import "strconv"

// MaxKeep is the hard cap on keeping any negative item (a deduction or a
// list entry, aggravation included): provincial rules keep none longer
// than 5 years, and no scheme or region may keep one longer.
var MaxKeep = Span{N: 5, Unit: Year}

// SeverityPeriods are how long a scheme lets each severity class last and
// how long it keeps any negative item. A scheme may shorten the national
// limits (Severity.Lasting), never lengthen them; a zero field keeps the
// national maximum, and a zero Keep is MaxKeep.
type SeverityPeriods struct {
	Minor, General, Serious Span
	Keep                    Span
}

// Longest returns the longest a deduction of class s may last in the
// scheme: the scheme's limit, or the national maximum when it sets none.
func (p SeverityPeriods) Longest(s Severity) Span {
	own := map[Severity]Span{Minor: p.Minor, General: p.General, Serious: p.Serious}[s]
	if !own.IsZero() {
		return own
	}
	_, max, _ := s.Lasting()
	return max
}

// KeepAtMost returns the hard cap of the scheme: Keep, or MaxKeep.
func (p SeverityPeriods) KeepAtMost() Span {
	if p.Keep.IsZero() {
		return MaxKeep
	}
	return p.Keep
}

// Zh names the class in Chinese, as the national rules do: 轻微, 一般, 严重.
func (s Severity) Zh() string {
	switch s {
	case Minor:
		return "轻微"
	case General:
		return "一般"
	case Serious:
		return "严重"
	}
	return string(s)
}

// Zh writes the span in Chinese: 14日, 3个月, 4年; 永久 for forever.
func (s Span) Zh() string {
	n := strconv.Itoa(s.N)
	switch {
	case s.IsZero():
		return "永久"
	case s.Unit == Month:
		return n + "个月"
	case s.Unit == Year:
		return n + "年"
	}
	return n + "日"
}
