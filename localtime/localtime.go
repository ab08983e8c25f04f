// Package localtime turns the instants tally stores (in UTC) into the
// days and times of a scheme's time zone, and the dates people type back
// into instants. Every date a person reads, prints or exports, and every
// date typed into a form or a command-line flag, passes through it, so
// that a deduction recorded at 00:30 Beijing time is shown on its own day
// and not on the day before.
//
// Dates are written the same way in Chinese and in English: 2026-03-02
// (ISO 8601, as GB/T 7408 allows), which sorts, is read by spreadsheets
// and cannot be taken for a month-first or day-first date. A date and a
// time is 2026-03-02 00:30. Where the zone must be said, ZoneName names it
// in the reader's language, Chinese first ("北京时间 (UTC+08:00)"), never
// by an abbreviation such as CST, which also names zones in America and
// Cuba.
//
// The package does no I/O and imports only the standard library.
package localtime

import (
	"fmt"
	"time"
)

// DefaultZone is the zone of a scheme whose rulebook names none: the
// people tally serves live on Beijing time.
const DefaultZone = "Asia/Shanghai"

// Layouts of what Date and DateTime write.
const (
	DateLayout     = time.DateOnly
	DateTimeLayout = "2006-01-02 15:04"
)

// Default returns the zone named by DefaultZone. Where the system has no
// zone database it returns a fixed UTC+08:00 zone, which is the same
// zone: China has kept no daylight saving time since 1991.
func Default() *time.Location {
	if loc, err := time.LoadLocation(DefaultZone); err == nil {
		return loc
	}
	return time.FixedZone("UTC+08:00", 8*60*60)
}

// Or returns loc, or Default when loc is nil.
func Or(loc *time.Location) *time.Location {
	if loc == nil {
		return Default()
	}
	return loc
}

// Date returns the day of instant t in zone loc (nil: Default), as
// 2026-03-02; the zero time gives "".
func Date(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return t.In(Or(loc)).Format(DateLayout)
}

// DateTime returns the day and minute of instant t in zone loc (nil:
// Default), as 2026-03-02 00:30; the zero time gives "".
func DateTime(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return t.In(Or(loc)).Format(DateTimeLayout)
}

// Stamp returns DateTime followed by the zone's name in lang, for a time
// that is read away from the scheme, such as on a printed report:
// "2026-03-02 00:30 北京时间 (UTC+08:00)".
func Stamp(t time.Time, loc *time.Location, lang string) string {
	if t.IsZero() {
		return ""
	}
	return DateTime(t, loc) + " " + ZoneName(t, loc, lang)
}

// ZoneName names zone loc (nil: Default) at instant t in lang ("zh", the
// default, or "en"): its name from the catalogue of zone names, followed
// by its offset from UTC at t, e.g. "北京时间 (UTC+08:00)". A zone the
// catalogue lacks is named by its IANA name and offset.
func ZoneName(t time.Time, loc *time.Location, lang string) string {
	loc = Or(loc)
	offset := Offset(t, loc)
	names, ok := zoneNames[loc.String()]
	if !ok {
		return loc.String() + " (" + offset + ")"
	}
	name := names.zh
	if lang == "en" {
		name = names.en
	}
	return name + " (" + offset + ")"
}

// Offset returns the offset of zone loc (nil: Default) from UTC at t, as
// UTC+08:00.
func Offset(t time.Time, loc *time.Location) string {
	_, secs := t.In(Or(loc)).Zone()
	sign := '+'
	if secs < 0 {
		sign, secs = '-', -secs
	}
	return fmt.Sprintf("UTC%c%02d:%02d", sign, secs/3600, secs/60%60)
}

// zoneNames is the catalogue of zone names, Chinese and English, for the
// zones a scheme in China, or near it, is likely to name.
var zoneNames = map[string]struct{ zh, en string }{
	"Asia/Shanghai":  {"北京时间", "China Standard Time"},
	"Asia/Chongqing": {"北京时间", "China Standard Time"},
	"Asia/Harbin":    {"北京时间", "China Standard Time"},
	"PRC":            {"北京时间", "China Standard Time"},
	"Asia/Urumqi":    {"新疆时间", "Xinjiang Time"},
	"Asia/Hong_Kong": {"香港时间", "Hong Kong Time"},
	"Asia/Macau":     {"澳门时间", "Macao Time"},
	"Asia/Taipei":    {"台北时间", "Taipei Time"},
	"UTC":            {"协调世界时", "Coordinated Universal Time"},
}
