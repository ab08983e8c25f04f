package main

import (
	"time"

	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/localtime"
)

// zoneOf returns the time zone an operator reads a scheme's dates in; for
// scheme "" (a list entry, a check) the sanctions catalogue's. Where
// neither can be read it is Beijing time, the default of both.
func zoneOf(e *env, svc *ledger.Service, scheme string) *time.Location {
	return zones(e, svc)(scheme)
}

// zones returns zoneOf for many items: each scheme's zone is read once.
func zones(e *env, svc *ledger.Service) func(scheme string) *time.Location {
	seen := map[string]*time.Location{}
	return func(scheme string) *time.Location {
		if loc, ok := seen[scheme]; ok {
			return loc
		}
		loc := localtime.Default()
		if scheme != "" {
			if l, err := svc.Location(e.ctx, scheme); err == nil {
				loc = l
			}
		} else if cat, _, err := svc.Catalogue(e.ctx); err == nil {
			loc = cat.Location
		}
		seen[scheme] = loc
		return loc
	}
}

// moment writes an instant as the day and minute in zone loc with the
// zone's offset, e.g. 2026-03-02 00:30 UTC+08:00: an operator's message
// names the offset, never an abbreviation such as CST.
func moment(t time.Time, loc *time.Location) string {
	return localtime.DateTime(t, loc) + " " + localtime.Offset(t, loc)
}
