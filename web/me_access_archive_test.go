package web_test

import (
	"net/url"
	"testing"
	"time"

	"github.com/tallycredit/tally"
)

// A resident still sees a read of their record after it moved to the
// archive, marked archived, with the authority it was made under, in
// Chinese and in English.
func TestResidentSeesArchivedAccessWithItsAuthority(t *testing.T) {
	s := newSite(t)
	id := s.signIn("recorder", "en").subjectID("张")
	rev := s.signIn("reviewer", "en")
	rev.get("/review/person?" + url.Values{"scheme": {"jiakuang-majia"}, "q": {zhang}, "purpose": {"objection 2026-17"}, "subject": {id}}.Encode())
	rev.has("reviewer's look", "张伟")

	s.clock.Add(6 * 366 * 24 * time.Hour)
	if _, err := s.svc.Score(s.admin, "jiakuang-majia", zhang, s.clock.Now()); err != nil { // a recent entry, which stays live
		t.Fatal(err)
	}
	got, err := s.svc.ArchiveAccess(s.admin, s.clock.Now().AddDate(-5, 0, 0), tally.Span{}, nil)
	if err != nil || got.Moved == 0 {
		t.Fatalf("ArchiveAccess = %+v, %v; want the reviewer's read moved", got, err)
	}

	en := s.signIn("zhang", "en")
	en.has("archived read, in English", `<td>reviewer <span class="muted">(Reviewer)</span>`, "objection 2026-17",
		`<span class="muted archived">archived</span>`, "“read one subject's score, explanation, history or trend”, within its assignment")
	zh := s.signIn("zhang", "zh-CN")
	zh.has("archived read, in Chinese", `<span class="muted archived">已归档</span>`,
		"「查阅当事人的分数、说明、历史或趋势」权限，在其受委派的范围内", "依据")
}
