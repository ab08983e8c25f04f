package web_test

import (
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// The reviewer's lists come 20 to a page, in a stable order: paging
// through one list reaches every entry once, its links keep the scheme
// and the page of the other lists, and a form that fails shows the page
// it was sent from.
func TestReviewListsComeAPageAtATime(t *testing.T) {
	s := newSite(t)
	const people = 45
	var records []int64
	for i := range people {
		id := newVillager(100 + i)
		if _, err := s.svc.AddSubject(s.admin, ledger.NewSubject{Kind: tally.Person, Identifier: id, Name: fmt.Sprintf("村民%02d", i)}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.svc.Enrol(s.admin, ledger.Enrolment{Scheme: village, Identifier: id, Unit: "四组", Consent: true}); err != nil {
			t.Fatal(err)
		}
		records = append(records, recordLittering(t, s, id, fmt.Sprintf("litter-%d", i)))
		switch {
		case i < 21:
			if _, err := s.svc.Object(s.admin, ledger.ObjectionInput{Scheme: village, Identifier: id, Record: records[i], Grounds: "not me"}); err != nil {
				t.Fatal(err)
			}
		case i < 42:
			if _, err := s.svc.ApplyRepair(s.admin, ledger.RepairInput{Scheme: village, Identifier: id, Record: records[i], Obligations: "fine paid"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	rev := s.signIn("reviewer", "en")
	for _, l := range []struct {
		list, item string
		want       int
	}{{"recent", "recent", people}, {"objections", "objection", 21}, {"repairs", "repair", 21}} {
		seen := map[string]bool{}
		next := "/review?scheme=" + village + "&page_held=1"
		for pages := 0; next != ""; pages++ {
			if pages > 5 {
				t.Fatalf("%s: paging does not end", l.list)
			}
			rev.get(next)
			part := section(t, rev.page, l.list)
			items := regexp.MustCompile(`id="`+l.item+`-(\d+)"`).FindAllStringSubmatch(part, -1)
			if len(items) == 0 || len(items) > 20 {
				t.Fatalf("%s page %d shows %d entries, want 1 to 20", l.list, pages+1, len(items))
			}
			for _, m := range items {
				if seen[m[1]] {
					t.Errorf("%s: #%s shows on two pages", l.list, m[1])
				}
				seen[m[1]] = true
			}
			next = ""
			if m := regexp.MustCompile(`<a href="([^"]+)" rel="next">`).FindStringSubmatch(part); m != nil {
				next = html.UnescapeString(m[1])
				q, _ := url.ParseQuery(strings.SplitN(strings.SplitN(next, "?", 2)[1], "#", 2)[0])
				if q.Get("scheme") != village || q.Get("page_held") != "1" {
					t.Errorf("%s: the next link %s loses the other parameters", l.list, next)
				}
			}
		}
		if len(seen) != l.want {
			t.Errorf("%s: paging showed %d entries, want %d", l.list, len(seen), l.want)
		}
	}

	rev.get("/review?scheme=" + village + "&page_objections=2&page_recent=3")
	if part := section(t, rev.page, "recent"); !strings.Contains(part, "Page 3 of 3 (45 entries)") || !strings.Contains(part, `rel="prev"`) {
		t.Errorf("the third page of recent deductions: %s", part)
	}
	objections := section(t, rev.page, "objections")
	last := regexp.MustCompile(`id="objection-(\d+)"`).FindStringSubmatch(objections)
	if last == nil || strings.Count(objections, `class="entry card`) != 1 {
		t.Fatalf("the second page of objections: %s", objections)
	}
	rev.has("the other lists' pages kept in each form", `name="page_objections" value="2"`, `name="page_recent" value="3"`)
	rev.post("/review/objections/"+last[1]+"/decide", url.Values{"scheme": {village}, "outcome": {"voided"}, "reasons": {""},
		"page_objections": {"2"}, "page_recent": {"3"}})
	if rev.status != 422 {
		t.Fatalf("a decision without reasons: status %d", rev.status)
	}
	if part := section(t, rev.page, "objections"); !strings.Contains(part, `id="objection-`+last[1]+`"`) || !strings.Contains(part, `id="reasons-o-error"`) {
		t.Errorf("the failed form's page is not shown again with its error: %s", part)
	}
}

// section returns the part of a page inside <section id="id">.
func section(t *testing.T, page, id string) string {
	t.Helper()
	from := strings.Index(page, `<section id="`+id+`"`)
	if from < 0 {
		t.Fatalf("no section %s on the page", id)
	}
	to := strings.Index(page[from:], "</section>")
	return page[from : from+to]
}
