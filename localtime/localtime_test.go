package localtime_test

import (
	"testing"
	"time"

	"github.com/tallycredit/tally/localtime"
)

func shanghai(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// An instant from 16:00 UTC on is the next day in Beijing.
func TestDateIsTheLocalDay(t *testing.T) {
	loc := shanghai(t)
	for _, c := range []struct {
		at       time.Time
		date, dt string
	}{
		{time.Date(2026, 3, 1, 15, 59, 59, 0, time.UTC), "2026-03-01", "2026-03-01 23:59"},
		{time.Date(2026, 3, 1, 16, 0, 0, 0, time.UTC), "2026-03-02", "2026-03-02 00:00"},
		{time.Date(2026, 3, 1, 16, 30, 0, 0, time.UTC), "2026-03-02", "2026-03-02 00:30"},
		{time.Date(2026, 3, 2, 0, 30, 0, 0, loc), "2026-03-02", "2026-03-02 00:30"},
	} {
		if got := localtime.Date(c.at, loc); got != c.date {
			t.Errorf("Date(%v) = %q, want %q", c.at, got, c.date)
		}
		if got := localtime.Date(c.at, nil); got != c.date {
			t.Errorf("Date(%v, nil) = %q, want %q (the default zone is Beijing's)", c.at, got, c.date)
		}
		if got := localtime.DateTime(c.at, loc); got != c.dt {
			t.Errorf("DateTime(%v) = %q, want %q", c.at, got, c.dt)
		}
	}
	if got := localtime.Date(time.Time{}, loc); got != "" {
		t.Errorf("Date(zero) = %q, want empty", got)
	}
}

func TestZoneNameIsNeverAnAbbreviation(t *testing.T) {
	at := time.Date(2026, 3, 1, 16, 30, 0, 0, time.UTC)
	lima, err := time.LoadLocation("America/Lima")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		loc        *time.Location
		lang, want string
	}{
		{shanghai(t), "zh", "北京时间 (UTC+08:00)"},
		{shanghai(t), "", "北京时间 (UTC+08:00)"},
		{shanghai(t), "en", "China Standard Time (UTC+08:00)"},
		{nil, "zh", "北京时间 (UTC+08:00)"},
		{lima, "zh", "America/Lima (UTC-05:00)"},
		{time.FixedZone("", 5*3600+1800), "en", " (UTC+05:30)"},
	} {
		if got := localtime.ZoneName(at, c.loc, c.lang); got != c.want {
			t.Errorf("ZoneName(%v, %q) = %q, want %q", c.loc, c.lang, got, c.want)
		}
	}
	if got, want := localtime.Stamp(at, nil, "zh"), "2026-03-02 00:30 北京时间 (UTC+08:00)"; got != want {
		t.Errorf("Stamp = %q, want %q", got, want)
	}
}

func TestParseDateReadsWhatPeopleType(t *testing.T) {
	loc := shanghai(t)
	want := time.Date(2026, 3, 2, 0, 0, 0, 0, loc)
	for _, in := range []string{
		"2026-03-02", " 2026-03-02 ", "2026/3/2", "2026.03.02", "2026年3月2日", "2026年03月02号", "2026年3月2",
		"２０２６－０３－０２", "２０２６年３月２日", "２０２６／３／２", "\u30002026-3-2\u3000",
	} {
		got, err := localtime.ParseDate(in, loc)
		if err != nil || !got.Equal(want) || got.Location() != loc {
			t.Errorf("ParseDate(%q) = %v, %v; want %v in Asia/Shanghai", in, got, err, want)
		}
	}
	for _, in := range []string{"", "2026-02-30", "2026-13-01", "2026-3", "2026--03-02", "26-03-02", "2026-003-02",
		"2026-03-02T10:00", "2026-+3-02", "2026年3月2日x", "tomorrow"} {
		if got, err := localtime.ParseDate(in, loc); err == nil {
			t.Errorf("ParseDate(%q) = %v, want an error", in, got)
		}
	}
	if got, err := localtime.ParseDate("2026-03-02", nil); err != nil || !got.Equal(want) {
		t.Errorf("ParseDate in the default zone = %v, %v; want %v", got, err, want)
	}
}

func TestBoundariesAreLocal(t *testing.T) {
	loc := shanghai(t)
	at := time.Date(2026, 3, 31, 16, 0, 0, 0, time.UTC) // 2026-04-01 00:00 in Beijing
	for _, c := range []struct {
		name      string
		got, want time.Time
	}{
		{"StartOfDay", localtime.StartOfDay(at, loc), time.Date(2026, 4, 1, 0, 0, 0, 0, loc)},
		{"NextDay", localtime.NextDay(at, loc), time.Date(2026, 4, 2, 0, 0, 0, 0, loc)},
		{"StartOfMonth", localtime.StartOfMonth(at, loc), time.Date(2026, 4, 1, 0, 0, 0, 0, loc)},
		{"NextMonth", localtime.NextMonth(at, loc), time.Date(2026, 5, 1, 0, 0, 0, 0, loc)},
		{"StartOfMonth a second before", localtime.StartOfMonth(at.Add(-time.Second), loc), time.Date(2026, 3, 1, 0, 0, 0, 0, loc)},
	} {
		if !c.got.Equal(c.want) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if !localtime.SameDay(at, at.Add(23*time.Hour+59*time.Minute), loc) || localtime.SameDay(at, at.Add(-time.Second), loc) {
		t.Error("SameDay does not follow Beijing's midnight")
	}
}
