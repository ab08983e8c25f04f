package ledger_test

import (
	"strings"
	"testing"
	"time"

	"github.com/tallycredit/tally/examples"
	"github.com/tallycredit/tally/ledger"
)

// An objection to a list entry runs to the end of a day in the sanctions
// catalogue's time zone: with the catalogue on UTC, objections filed at
// 15:30 and 16:30 UTC of one Tuesday (the second is already Wednesday in
// Beijing) are due on the same days, each at the end of a UTC day.
func TestListObjectionDeadlinesInTheCatalogueZone(t *testing.T) {
	f := newListFixture(t)
	utc := strings.Replace(string(examples.Sanctions), "timezone: Asia/Shanghai", "timezone: UTC", 1)
	if utc == string(examples.Sanctions) {
		t.Fatal("the example catalogue names no Asia/Shanghai zone to replace")
	}
	if _, err := f.svc.PublishCatalogue(f.ctx, "sanctions-utc.yml", []byte(utc)); err != nil {
		t.Fatal(err)
	}
	var due [][2]time.Time
	for i, at := range []time.Time{
		time.Date(2026, 11, 24, 15, 30, 0, 0, time.UTC),
		time.Date(2026, 11, 24, 16, 30, 0, 0, time.UTC),
	} {
		f.set(at)
		l := defaulter()
		l.CaseNumber = []string{"(2025)鲁1082执201号", "(2025)鲁1082执202号"}[i]
		entry, err := f.svc.List(f.ctx, l)
		if err != nil {
			t.Fatal(err)
		}
		o, err := f.svc.Object(reviewerCtx("judge"), ledger.ObjectionInput{Identifier: zhang, List: entry.List, Case: entry.CaseNumber, Grounds: "performed"})
		if err != nil {
			t.Fatal(err)
		}
		for _, by := range []time.Time{o.AcknowledgeBy, o.DecideBy} {
			if u := by.In(time.UTC); u.Hour() != 23 || u.Minute() != 59 {
				t.Errorf("filed at %s: a deadline ends at %s, want the end of a UTC day", at, u)
			}
		}
		due = append(due, [2]time.Time{o.AcknowledgeBy, o.DecideBy})
	}
	if !due[0][0].Equal(due[1][0]) || !due[0][1].Equal(due[1][1]) {
		t.Errorf("filed at 15:30 UTC: due %v; at 16:30 UTC the same day: due %v; want the same days", due[0], due[1])
	}
}
