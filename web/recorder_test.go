package web_test

import (
	"html"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// A recorder finds a person, fills in the facts the rule declares, sees
// the points before anything is written, confirms, and can undo the entry
// the same day with a reason. Pressing confirm twice records once.
func TestRecorderRecordsAndUndoes(t *testing.T) {
	s := newSite(t)
	rec := s.signIn("recorder", "en")
	if rec.where != "/record" {
		t.Fatalf("a recorder lands on %s, want /record", rec.where)
	}
	id := rec.subjectID("张")
	rec.get("/record/jiakuang-majia/" + id)
	rec.has("rules offered", "/record/jiakuang-majia/"+id+"/labour.volunteer", "Volunteer")

	form := "/record/jiakuang-majia/" + id + "/labour.volunteer"
	rec.get(form)
	ref := regexp.MustCompile(`name="ref" value="([^"]+)"`).FindStringSubmatch(rec.page)
	if ref == nil {
		t.Fatal("the form carries no ref")
	}
	rec.post(form, url.Values{"ref": {ref[1]}, "f.hours": {"8"}, "date": {"2026-11-26"}, "note": {"sheet 12"}})
	if rec.status != 200 {
		t.Fatalf("check: %d %s", rec.status, rec.page)
	}
	rec.has("confirmation", `id="preview-points">+2<`, "Confirm and record")
	if h := s.history(zhang); len(h) != 0 {
		t.Fatalf("the check step wrote %d records, want none", len(h))
	}
	confirm := url.Values{"ref": {ref[1]}, "f.hours": {"8"}, "date": {"2026-11-26"}, "note": {"sheet 12"}}
	rec.post(form+"/confirm", confirm)
	rec.has("after confirm", `id="done"`, "张伟", "+2")
	rec.get(form) // a fresh page for a fresh CSRF value
	rec.post(form+"/confirm", confirm)
	h := s.history(zhang)
	if len(h) != 1 || h[0].Awarded != 2 || h[0].RecordedBy != "recorder" || h[0].Evidence != "sheet 12" || h[0].Facts["hours"] != 8.0 {
		t.Fatalf("history after confirming twice: %+v, want one record of +2 by recorder with its note", h)
	}

	rec.get("/record/today")
	undo := "/undo/jiakuang-majia/" + itoa(h[0].ID)
	rec.has("today's entries", undo)
	rec.get(undo)
	rec.post(undo, url.Values{"reason": {"  "}})
	if rec.status != 422 {
		t.Errorf("undo without a reason: %d, want 422", rec.status)
	}
	rec.has("undo without a reason", `id="reason-error"`, "Fill this in.")
	rec.post(undo, url.Values{"reason": {"wrong person"}})
	rec.has("after undo", `id="undone"`)
	if h := s.history(zhang); len(h) != 2 || h[1].Reverses != h[0].ID || h[1].Reason != "wrong person" {
		t.Errorf("history after undo: %+v, want the record and its reversal", h)
	}

	// The next day, yesterday's entries are no longer the recorder's to undo.
	rec.get("/record/jiakuang-majia/" + id + "/neighbours.help")
	rec.post("/record/jiakuang-majia/"+id+"/neighbours.help/confirm", url.Values{"ref": {"web-next-day-test"}, "date": {"2026-11-26"}})
	h = s.history(zhang)
	last := h[len(h)-1]
	s.clock.Add(24 * time.Hour)
	rec = s.signIn("recorder", "en")
	rec.get("/undo/jiakuang-majia/" + itoa(last.ID))
	if rec.status != 404 {
		t.Errorf("undo an entry of yesterday: %d, want 404", rec.status)
	}
}

// Bad input is shown next to its field in the page's language, what was
// typed stays, and nothing is recorded.
func TestRecorderFormErrors(t *testing.T) {
	s := newSite(t)
	rec := s.signIn("recorder", "zh-CN")
	id := rec.subjectID("李")
	form := "/record/jiakuang-majia/" + id + "/labour.volunteer"
	rec.get(form)
	rec.post(form, url.Values{"ref": {"web-bad-input"}, "f.hours": {"abc"}, "date": {"2026-13-45"}})
	if rec.status != 422 {
		t.Errorf("bad input: %d, want 422", rec.status)
	}
	rec.has("bad input", `id="f.hours-error">请输入数字`, `value="abc"`, `id="date-error">请按 2026-03-02 的格式输入日期`)
	rec.post(form, url.Values{"ref": {"web-bad-input"}, "f.hours": {"8"}, "date": {"2026-12-01"}})
	rec.has("a future date", `id="date-error">这个日期还没有到`)
	// A rule that needs evidence refuses a form without any.
	donation := "/record/jiakuang-majia/" + id + "/donation"
	rec.get(donation)
	rec.post(donation, url.Values{"ref": {"web-donation"}, "f.value": {"3000"}, "date": {"2026-11-20"}})
	rec.has("evidence missing", `id="note-error">此规则需要证据`)
	if h := s.history(li); len(h) != 0 {
		t.Errorf("bad forms wrote %d records", len(h))
	}
}

// A form sent after the session ended goes to sign-in with what was
// typed, and after signing in the form is back, filled in; nothing was
// recorded in between. A form without the session's CSRF value is refused.
func TestExpiredSessionKeepsTheForm(t *testing.T) {
	s := newSite(t)
	rec := s.signIn("recorder", "en")
	id := rec.subjectID("张")
	form := "/record/jiakuang-majia/" + id + "/labour.volunteer"
	rec.get(form)
	csrf := csrfField.FindStringSubmatch(rec.page)[1]

	bad := s.user("en")
	bad.client.Jar = rec.client.Jar
	bad.post(form+"/confirm", url.Values{"csrf": {"forged"}, "ref": {"web-forged"}, "f.hours": {"8"}, "date": {"2026-11-26"}})
	if bad.status != 403 || len(s.history(zhang)) != 0 {
		t.Errorf("a forged CSRF value: %d and %d records, want 403 and none", bad.status, len(s.history(zhang)))
	}

	s.clock.Add(13 * time.Hour) // past the session's end
	rec.post(form, url.Values{"csrf": {csrf}, "ref": {"web-kept"}, "f.hours": {"6"}, "date": {"2026-11-26"}, "note": {"kept note"}})
	rec.has("expired session", "You were signed out", `name="password"`)
	next := regexp.MustCompile(`name="next" value="([^"]+)"`).FindStringSubmatch(rec.page)
	if next == nil {
		t.Fatal("the sign-in page does not carry the form")
	}
	rec.post("/signin", url.Values{"name": {"recorder"}, "password": {password}, "next": {html.UnescapeString(next[1])}})
	if !strings.HasPrefix(rec.where, form) {
		t.Fatalf("after signing in again: at %s, want the form", rec.where)
	}
	rec.has("the form again", `value="6"`, "kept note", `value="web-kept"`)
	if h := s.history(zhang); len(h) != 0 {
		t.Errorf("%d records written by an expired session", len(h))
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
