package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// download sends a form with the CSRF value of the last page and returns
// the answer's content type and body, which must be a success.
func (u *user) download(path string, form url.Values) (string, []byte) {
	u.t.Helper()
	u.post(path, form)
	if u.status != http.StatusOK {
		u.t.Fatalf("POST %s: status %d: %s", path, u.status, u.page)
	}
	return u.ctype, []byte(u.page)
}

// A resident downloads their own credit report from /me, in the page's
// language: a PDF with their name and the local day, logged in their
// access log as their own read with the purpose the page gives. Naming
// another resident's identifier in the form changes nothing: the report is
// always the signed-in resident's.
func TestResidentDownloadsOwnReport(t *testing.T) {
	s := withReports(t, newSite(t))
	recordLittering(t, s, zhang, "report-1")
	for _, c := range []struct{ lang, purpose string }{{"zh", "本人查阅"}, {"en", "own copy"}} {
		me := s.signIn("zhang", c.lang)
		me.get("/me")
		me.has("the report button ("+c.lang+")", `action="/me/report"`)
		ctype, doc := me.download("/me/report", url.Values{"subject": {li}, "identifier": {li}})
		if ctype != "application/pdf" || !strings.HasPrefix(string(doc), "%PDF") {
			t.Fatalf("%s: got %s starting %q, want a PDF", c.lang, ctype, doc[:min(len(doc), 8)])
		}
		text := pdfText(t, doc)
		contains(t, "the report ("+c.lang+")", text, "张伟", "2026-11-26", "UTC+08:00", c.purpose)
		lacks(t, "the report ("+c.lang+")", text, "李娜")
	}
	own, err := s.svc.AccessLog(s.admin, zhang, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	reports := 0
	for _, e := range own {
		if e.Action == "report" {
			reports++
			if e.Role != tally.SubjectR || e.Actor != "zhang" {
				t.Errorf("report logged as %s (%s), want zhang's own read", e.Actor, e.Role)
			}
		}
	}
	if reports != 2 {
		t.Errorf("zhang's access log has %d reports, want 2", reports)
	}
	other, err := s.svc.AccessLog(s.admin, li, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range other {
		if e.Action == "report" {
			t.Errorf("李娜's access log has a report: %+v", e)
		}
	}
}

// A resident reads their notices on /me (what, when, by when to object,
// in the local day) and acknowledges one once; the page then shows who
// acknowledged it and when, and the office reads it in the outbox.
// Another resident cannot acknowledge it.
func TestResidentAcknowledgesNoticeOnThePage(t *testing.T) {
	s := newSite(t)
	id := recordLittering(t, s, zhang, "notice-1")
	notices, err := s.svc.Outbox(s.admin, ledger.OutboxQuery{Identifier: zhang})
	if err != nil || len(notices) != 1 {
		t.Fatalf("outbox: %v, %v; want one notice", notices, err)
	}
	n := strconv.FormatInt(notices[0].ID, 10)
	path := "/me/notices/" + n + "/acknowledge"

	li := s.signIn("li", "zh")
	li.get("/me")
	li.lacks("li's notices", `id="notice-`+n+`"`)
	li.post(path, url.Values{})
	if li.status != http.StatusForbidden {
		t.Errorf("li acknowledging zhang's notice: status %d, want 403", li.status)
	}

	zh := s.signIn("zhang", "zh")
	zh.get("/me")
	box := block(t, zh.page, "notice-"+n)
	contains(t, "the notice (zh)", box, "记录 #"+strconv.FormatInt(id, 10), "乱扔垃圾", "2026-11-26", "2027-02-26 前可提出异议", "已阅", `action="`+path+`"`)
	zh.post(path, url.Values{})
	if zh.status != 200 || !strings.HasPrefix(zh.where, "/me") {
		t.Fatalf("acknowledge: status %d at %s", zh.status, zh.where)
	}
	box = block(t, zh.page, "notice-"+n)
	contains(t, "the acknowledged notice (zh)", box, "已于 2026-11-26 10:00 确认已阅（zhang）")
	lacks(t, "the acknowledged notice (zh)", box, `action="`+path+`"`)
	s.clock.Add(time.Hour)
	zh.get("/me")
	zh.post(path, url.Values{}) // a form sent twice: the first acknowledgment stands
	contains(t, "the notice acknowledged twice", block(t, zh.page, "notice-"+n), "2026-11-26 10:00")

	en := s.signIn("zhang", "en")
	en.get("/me")
	contains(t, "the notice (en)", block(t, en.page, "notice-"+n), "Record #"+strconv.FormatInt(id, 10), "Littering",
		"object by 2027-02-26", "Read on 2026-11-26 10:00 (zhang)")

	office, err := s.svc.Outbox(s.admin, ledger.OutboxQuery{Identifier: zhang})
	if err != nil {
		t.Fatal(err)
	}
	if a := office[0].Ack; a == nil || a.By != "zhang" || !a.At.Equal(time.Date(2026, 11, 26, 2, 0, 0, 0, time.UTC)) {
		t.Errorf("the office reads acknowledgment %+v, want zhang at 10:00 Beijing time", a)
	}
}

// A resident applies for credit repair of a general deduction from /me:
// before the three months have passed the form is refused with the day it
// may be applied for, in the page's language; after, the application is
// recorded and shown as waiting for a decision.
func TestResidentAppliesForRepairOnThePage(t *testing.T) {
	s := newSite(t)
	recorder := ledger.WithActor(context.Background(), &tally.Actor{Name: "recorder", Role: tally.Recorder, Schemes: []string{village}})
	r, err := s.svc.Record(recorder, ledger.Conduct{Scheme: village, Identifier: zhang, Rule: "family.neglect-elderly",
		At: s.clock.Now().Add(-time.Hour), Ref: "repair-1", Evidence: "visit report 4"})
	if err != nil {
		t.Fatal(err)
	}
	rec := strconv.FormatInt(r.Record.ID, 10)
	form := func() url.Values {
		return url.Values{"scheme": {village}, "record": {rec}, "obligations": {"我每周去看望母亲"}, "evidence": {"村委会证明"}}
	}
	for _, c := range []struct{ lang, want string }{
		{"zh", "此扣分自 2027-02-26 起才能申请信用修复"},
		{"en", "This deduction may be repaired from 2027-02-26"},
	} {
		me := s.signIn("zhang", c.lang)
		me.get("/me")
		me.has("the repair form ("+c.lang+")", `action="/me/repairs"`, `id="repair-`+rec+`"`)
		me.post("/me/repairs", form())
		if me.status != http.StatusUnprocessableEntity {
			t.Fatalf("%s: an early application: status %d, want 422\n%s", c.lang, me.status, me.page)
		}
		me.has("the refusal ("+c.lang+")", c.want)
	}
	if ps, err := s.svc.Repairs(s.admin, ledger.RepairQuery{}); err != nil || len(ps) != 0 {
		t.Fatalf("repairs after the early tries: %v, %v; want none", ps, err)
	}

	s.clock.Add(93 * 24 * time.Hour) // 2027-02-27
	me := s.signIn("zhang", "zh")
	me.get("/me")
	me.post("/me/repairs", url.Values{"scheme": {village}, "record": {rec}, "obligations": {" "}})
	if me.status != http.StatusUnprocessableEntity {
		t.Errorf("an application without obligations: status %d, want 422", me.status)
	}
	me.post("/me/repairs", form())
	if me.status != 200 || !strings.HasPrefix(me.where, "/me?repaired=") {
		t.Fatalf("application: status %d at %s", me.status, me.where)
	}
	me.has("the application's state", "信用修复申请 #1 已提交", "已于 2027-02-27 申请信用修复，等待审核")
	me.lacks("a second form for the same deduction", `id="repair-`+rec+`"`)
	ps, err := s.svc.Repairs(s.admin, ledger.RepairQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 1 || ps[0].RecordID != r.Record.ID || !strings.Contains(ps[0].Obligations, "我每周去看望母亲") ||
		!strings.Contains(ps[0].Obligations, "村委会证明") || ps[0].AppliedBy != "zhang" {
		t.Errorf("repairs %+v, want zhang's application with what was done and the evidence note", ps)
	}
	if !regexp.MustCompile(`id="repair-state-` + rec + `"`).MatchString(me.page) {
		t.Errorf("the page has no state of the application of record %s", rec)
	}
}
