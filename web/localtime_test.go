package web_test

import (
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/localtime"
)

// The server's clock runs in UTC, as on most servers, and every instant
// below is stored in UTC; the village keeps Beijing time, where 16:00 UTC
// is midnight. Objection #1 is filed at 15:59:59 UTC (still 1 December in
// Beijing), objection #2 and a record at 16:00 UTC (2 December), the first is
// decided and a report issued at 16:30 UTC (2 December, 00:30). Every page,
// the printed report and the notices show the Beijing day.
func TestPagesShowTheLocalDay(t *testing.T) {
	s := newSite(t)
	beijing, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	set := func(at time.Time) { s.clock.mu.Lock(); s.clock.t = at; s.clock.mu.Unlock() }
	utc := func(h, m, sec int) time.Time { return time.Date(2026, 12, 1, h, m, sec, 0, time.UTC) }
	recorder := ledger.WithActor(context.Background(), &tally.Actor{Name: "recorder", Role: tally.Recorder, Schemes: []string{village}})
	record := func(ref string, at time.Time) *tally.Record {
		t.Helper()
		r, err := s.svc.Record(recorder, ledger.Conduct{Scheme: village, Identifier: zhang, Rule: "conduct.littering", At: at, Ref: ref, Evidence: "photo"})
		if err != nil {
			t.Fatal(err)
		}
		return &r.Record
	}
	set(utc(15, 59, 59))
	resident := s.signIn("zhang", "en")
	object := func(id int64, grounds string) {
		t.Helper()
		resident.get("/me")
		resident.post("/me/objections", url.Values{"scheme": {village}, "record": {strconv.FormatInt(id, 10)}, "grounds": {grounds}})
		if resident.status != 200 || !strings.HasPrefix(resident.where, "/me?objected=") {
			t.Fatalf("objection to record #%d: status %d at %s", id, resident.status, resident.where)
		}
	}
	first := record("tz-1", utc(15, 0, 0))
	object(first.ID, "not me on the first")
	set(utc(16, 0, 0))
	second := record("tz-2", utc(16, 0, 0))
	object(second.ID, "not me on the second")
	set(utc(16, 30, 0))
	reviewer := ledger.WithActor(context.Background(), &tally.Actor{Name: "reviewer", Role: tally.Reviewer, Schemes: []string{village}})
	if _, err := s.svc.Decide(reviewer, ledger.Decision{Objection: 1, Outcome: tally.Upheld, Reasons: "the photo is clear"}); err != nil {
		t.Fatal(err)
	}
	expires := localtime.Date(second.ExpiresAt, beijing)
	if second.ExpiresAt.UTC().Format(time.DateOnly) == expires {
		t.Fatalf("the second record expires at %v: on the same day in UTC and in Beijing, so it tests nothing", second.ExpiresAt)
	}

	for _, lang := range []string{"zh", "en"} {
		me := s.signIn("zhang", lang)
		me.get("/me")
		one, two := block(t, me.page, "my-objection-1"), block(t, me.page, "my-objection-2")
		contains(t, "/me objection #1 ("+lang+")", one, "2026-12-01", "· 2026-12-02 ·")
		contains(t, "/me objection #2 ("+lang+")", two, "2026-12-02")
		lacks(t, "/me objection #2 ("+lang+")", two, "2026-12-01")
		me.has("/me records ("+lang+")", "2026-12-02", expires)

		rev := s.signIn("reviewer", lang)
		rev.get("/review?scheme=" + village)
		open := block(t, rev.page, "objection-2")
		contains(t, "/review objection #2 ("+lang+")", open, "2026-12-02")
		lacks(t, "/review objection #2 ("+lang+")", open, "2026-12-01")
	}

	issued, doc, err := issuer(t, s).Issue(s.admin, zhang, "home loan", "zh")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ lang, zone string }{{"zh", "北京时间 (UTC+08:00)"}, {"en", "China Standard Time (UTC+08:00)"}} {
		u := s.user(c.lang)
		u.get("/verify/" + issued.Code)
		u.has("/verify ("+c.lang+")", "2026-12-02 00:30", c.zone)
		u.lacks("/verify ("+c.lang+")", "2026-12-01 16:30", " UTC ")
	}
	text := pdfText(t, doc)
	for _, want := range []string{"2026-12-02 00:30", "北京时间", "UTC+08:00"} {
		if !strings.Contains(text, want) {
			t.Errorf("the report PDF lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "CST") {
		t.Errorf("the report PDF names its zone CST, which is ambiguous:\n%s", text)
	}

	notices, err := s.svc.Outbox(s.admin, ledger.OutboxQuery{Identifier: zhang})
	if err != nil {
		t.Fatal(err)
	}
	bodies := map[tally.NoticeKind][]string{}
	for _, n := range notices {
		bodies[n.Kind] = append(bodies[n.Kind], n.Body)
	}
	if got := strings.Join(bodies[tally.NoticeObjection], "\n"); !strings.Contains(got, "on 2026-12-02.") {
		t.Errorf("the decision's notice does not say it was decided on 2026-12-02:\n%s", got)
	}
	if got := strings.Join(bodies[tally.NoticeRecord], "\n"); !strings.Contains(got, "happened 2026-12-02") || !strings.Contains(got, "until "+expires) {
		t.Errorf("the second record's notice does not say it happened on 2026-12-02 and counts until %s:\n%s", expires, got)
	}
}

// block returns the element of a page whose id is given, up to its
// closing </li>.
func block(t *testing.T, page, id string) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)id="` + regexp.QuoteMeta(id) + `".*?</li>`).FindString(page)
	if m == "" {
		t.Fatalf("the page has no element %s:\n%s", id, page)
	}
	return m
}

func contains(t *testing.T, what, text string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(text, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, text)
		}
	}
}

func lacks(t *testing.T, what, text string, unwanted ...string) {
	t.Helper()
	for _, w := range unwanted {
		if strings.Contains(text, w) {
			t.Errorf("%s has %q:\n%s", what, w, text)
		}
	}
}

// pdfText is the text pdftotext reads from a document.
func pdfText(t *testing.T, doc []byte) string {
	t.Helper()
	prog := tool(t, "pdftotext")
	file := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(file, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(prog, "-enc", "UTF-8", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// A recorder may type the day of the conduct as people write it: full-width
// digits, or 2026年11月20日; the confirmation shows it as 2026-11-20 and the
// record happens at the start of that day in Beijing.
func TestConductFormReadsTypedDates(t *testing.T) {
	s := newSite(t)
	rec := s.signIn("recorder", "zh")
	form := "/record/jiakuang-majia/" + rec.subjectID("张") + "/labour.volunteer"
	beijing, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	for i, typed := range []string{"２０２６－１１－２０", "2026年11月20日"} {
		rec.get(form)
		ref := "typed-date-" + strconv.Itoa(i)
		rec.post(form, url.Values{"ref": {ref}, "f.hours": {"8"}, "date": {typed}})
		if rec.status != 200 {
			t.Fatalf("%s: status %d, want the confirmation", typed, rec.status)
		}
		rec.has(typed, `name="date" value="2026-11-20"`)
		rec.post(form+"/confirm", url.Values{"ref": {ref}, "f.hours": {"8"}, "date": {typed}})
		rec.has(typed+" recorded", `id="done"`)
	}
	want := time.Date(2026, 11, 20, 0, 0, 0, 0, beijing)
	h := s.history(zhang)
	if len(h) != 2 {
		t.Fatalf("history: %d records, want 2", len(h))
	}
	for _, e := range h {
		if !e.HappenedAt.Equal(want) {
			t.Errorf("record %s happened at %v, want %v", e.Ref, e.HappenedAt, want)
		}
	}
}
