package web_test

import (
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/demo"
	"github.com/tallycredit/tally/internal/texttest"
	"github.com/tallycredit/tally/ledger"
)

var accessLogTable = regexp.MustCompile(`(?s)<table id="access-log">.*?</table>`)

// withoutTyped is text without what the demo's people typed (in both
// languages on purpose: data as stored, not the pages' words).
func withoutTyped(text string) string {
	for _, typed := range demo.TypedTexts() {
		text = strings.ReplaceAll(text, typed, " ")
	}
	return text
}

// A resident's "who read my file" in Chinese has no English sentence, and
// every access-log detail the demo writes, whatever its action, reads in
// Chinese as something other than its English.
func TestMeAccessLogInChineseHasNoEnglishSentence(t *testing.T) {
	s, sum, allowed := demoCrawlSite(t)
	for _, a := range sum.Accounts {
		if a.Role != tally.SubjectR {
			continue
		}
		u := s.user("zh-CN")
		u.post("/signin", url.Values{"name": {a.Name}, "password": {a.Password}})
		u.get("/me")
		table := accessLogTable.FindString(u.page)
		if table == "" {
			t.Fatalf("%s: /me has no access log:\n%s", a.Name, u.page)
		}
		for _, sentence := range texttest.EnglishSentences(withoutTyped(visibleText(table)), allowed) {
			t.Errorf("%s: /me's access log says %q", a.Name, sentence)
		}
	}

	actions := map[string]bool{}
	for _, e := range demoAccessEntries(t, s) {
		if e.Detail == "" {
			continue
		}
		actions[e.Action] = true
		text := ledger.AccessDetailText(e.Detail)
		if text.Zh == text.En || len(texttest.EnglishSentences(withoutTyped(text.Zh), allowed)) > 0 {
			t.Errorf("%s: %q reads in Chinese as %q", e.Action, e.Detail, text.Zh)
		}
	}
	names := make([]string, 0, len(actions))
	for a := range actions {
		names = append(names, a)
	}
	sort.Strings(names)
	t.Logf("actions with details in the demo: %v", names)
	if len(names) < 5 {
		t.Errorf("the demo wrote details for only %v", names)
	}
}
