package rulebook_test

import (
	"strings"
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/rulebook"
)

// TestListStatementPeriod shows a list's optional statement period: read
// as a clock, working days by default, absent on a list that names none.
func TestListStatementPeriod(t *testing.T) {
	src := func(extra string) []byte {
		return []byte(`catalogue: test
lists:
  - id: violators
    name: {zh: 严重违法失信, en: Serious violators}
    authority: market regulation
    basis: {zh: 办法, en: the Measures}
    criteria: a serious violation
    removal: {zh: 期满, en: term ends}
    term: 3y
` + extra + `
measures:
  - {id: tender, name: {zh: 投标, en: Tenders}, kind: right, listed: restrict-procurement-tender}
sanctions:
  - {list: violators, measure: tender, basis: {zh: 法, en: a law}}
`)
	}
	for _, tt := range []struct {
		extra string
		want  tally.Clock
	}{
		{"", tally.Clock{}},
		{"    statement: 5 working days", tally.WorkingDays(5)},
		{"    statement: 7", tally.WorkingDays(7)},
		{"    statement: 10日", tally.CalendarDays(10)},
	} {
		c, rep := rulebook.LoadCatalogue("t.yml", src(tt.extra))
		if err := rep.Err(); err != nil {
			t.Fatalf("%q: %v", tt.extra, err)
		}
		if l, _ := c.List("violators"); l.Statement != tt.want {
			t.Errorf("%q: statement %+v, want %+v", tt.extra, l.Statement, tt.want)
		}
	}
	for _, bad := range []string{"    statement: 0 days", "    statement: a week"} {
		c, rep := rulebook.LoadCatalogue("t.yml", src(bad))
		if c != nil || !strings.Contains(rep.Err().Error(), "lists[0].statement") {
			t.Errorf("%q: loaded (%v), want refused at lists[0].statement", bad, rep.Err())
		}
	}
}
