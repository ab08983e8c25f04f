package web_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// A reversed record shows beside it who reversed it, when (local time)
// and why, on today's entries, on the review queue and on the person
// page; the reversal itself is no line of its own. The recorder undoes
// one record, a reviewer reverses the other, in the early morning of a
// Beijing day that is still the day before in UTC.
func TestReversalShownBesideTheOriginal(t *testing.T) {
	s := newSite(t)
	s.clock.Add(21*time.Hour + 30*time.Minute) // 2026-11-27 07:30 in Beijing, 2026-11-26 23:30 UTC
	mine := recordLittering(t, s, zhang, "litter-1")
	theirs := recordLittering(t, s, li, "litter-2")
	s.clock.Add(time.Minute)

	rec := s.signIn("recorder", "zh")
	rec.get("/undo/" + village + "/" + itoa(mine))
	rec.post("/undo/"+village+"/"+itoa(mine), url.Values{"reason": {"记错了人"}})
	rev := s.signIn("reviewer", "zh")
	rev.get("/review")
	rev.post("/review/"+village+"/"+itoa(theirs)+"/reverse", url.Values{"reason": {"照片不清楚"}})
	if rev.status != 200 {
		t.Fatalf("reverse: status %d", rev.status)
	}

	rev.has("the reversed deduction in the queue, with its reversal", `id="reversal-of-`+itoa(theirs)+`"`,
		"已由 reviewer 于 2026-11-27 07:31 撤销。理由：照片不清楚", `id="reversal-of-`+itoa(mine)+`"`, "已由 recorder 于 2026-11-27 07:31 撤销。理由：记错了人")
	rev.lacks("a reverse form for a reversed record", `action="/review/`+village+`/`+itoa(theirs)+`/reverse"`)

	for _, lang := range []string{"zh", "en"} {
		rec := s.signIn("recorder", lang)
		rec.get("/record/today")
		want := map[string][]string{
			"zh": {"已由 recorder 于 2026-11-27 07:31 撤销。理由：记错了人", "已由 reviewer 于 2026-11-27 07:31 撤销。理由：照片不清楚"},
			"en": {"Reversed by recorder at 2026-11-27 07:31. Reasons: 记错了人", "Reversed by reviewer at 2026-11-27 07:31. Reasons: 照片不清楚"},
		}[lang]
		rec.has("today's entries with their reversals ("+lang+")", append(want, `id="reversal-of-`+itoa(mine)+`"`, `id="reversal-of-`+itoa(theirs)+`"`)...)
		if n := strings.Count(rec.page, `<li class="entry`); n != 2 {
			t.Errorf("today's entries (%s) list %d lines, want the 2 records (their reversals beside them)", lang, n)
		}
	}

	rev.get("/review/person?" + url.Values{"scheme": {village}, "q": {"张伟"}, "purpose": {"复核"}, "subject": {strconv.FormatInt(s.found(zhang).SubjectID, 10)}}.Encode())
	history := section(t, rev.page, "history")
	if !strings.Contains(history, `id="reversal-of-`+itoa(mine)+`"`) || !strings.Contains(history, "理由：记错了人") {
		t.Errorf("the person page's records lack the reversal beside the record: %s", history)
	}
	if n := strings.Count(history, `<li class="entry`); n != 1 {
		t.Errorf("the person page lists %d records, want the one record with its reversal beside it", n)
	}
}
