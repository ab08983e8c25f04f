package web_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// A resident asks /me for a special credit report (专项信用报告) on one
// area and a period: the PDF lists only that area's records in the
// period, marks the repaired one 已修复 and the one under objection 有异议;
// /verify shows its scope; the request is in the access log with its
// purpose and authorisation. A period reaching back more than 5 years is
// refused, in Chinese and in English.
func TestSpecialCreditReportFromMe(t *testing.T) {
	s := newSite(t)
	is := issuer(t, s)
	s = withReportsFrom(t, s, is)
	october(t, s) // a donation for 张伟: another area
	repaired := recordLittering(t, s, zhang, "litter-1")
	disputed := recordLittering(t, s, zhang, "litter-2")
	rep, err := s.svc.ApplyRepair(s.admin, ledger.RepairInput{Scheme: village, Identifier: zhang, Record: repaired, Obligations: "swept the square"})
	if err != nil {
		t.Fatal(err)
	}
	reviewer := ledger.WithPurpose(ledger.WithActor(t.Context(), &tally.Actor{Name: "reviewer", Role: tally.Reviewer, Schemes: []string{village}}), "repair")
	if _, err := s.svc.DecideRepair(reviewer, rep.ID, true, "put right"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.Object(s.admin, ledger.ObjectionInput{Scheme: village, Identifier: zhang, Record: disputed, Grounds: "not me"}); err != nil {
		t.Fatal(err)
	}
	today := s.clock.Now()
	from := today.AddDate(-5, 0, 1).Format("2006-01-02")

	me := s.signIn("zhang", "zh")
	me.get("/me")
	me.has("the special report form", `action="/me/special-report"`, `name="areas"`, `value="`+village+`/environment"`, `name="from"`, `name="to"`)
	me.post("/me/special-report", url.Values{"areas": {village + "/environment"}, "from": {from}, "to": {today.Format("2006-01-02")}})
	if me.status != 200 || me.ctype != "application/pdf" {
		t.Fatalf("special report: %d %s\n%.500s", me.status, me.ctype, me.page)
	}
	text := pdfText(t, []byte(me.page))
	for _, want := range []string{"专项信用报告", "环境卫生", from, "乱扔垃圾", "已修复", "有异议", "本人申请"} {
		if !strings.Contains(text, want) {
			t.Errorf("the special report lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "(donation)") {
		t.Errorf("the special report on the environment lists the donation, another area:\n%s", text)
	}
	code := regexp.MustCompile(`[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}`).FindString(text)
	if code == "" {
		t.Fatalf("no verification code in the report:\n%s", text)
	}

	anon := s.user("zh")
	anon.get("/verify/" + code)
	anon.has("verify shows the scope", "专项信用报告", "环境卫生", from)
	en := s.user("en")
	en.get("/verify/" + code)
	en.has("verify shows the scope in English", "Special credit report", "Village environment", from)

	log, err := s.svc.AccessLog(s.admin, zhang, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range log {
		if e.Action == "special-report" && strings.Contains(e.Detail, code) && e.Purpose != "" && strings.Contains(e.Detail, "本人申请") {
			found = true
		}
	}
	if !found {
		t.Errorf("no access-log entry for special report %s with its purpose and authorisation: %+v", code, log)
	}
	// The desk asks for one on the resident's written authorisation: the
	// resident's access log names it, with its purpose.
	desk := ledger.SpecialRequest{Identifier: zhang, From: today.AddDate(-1, 0, 0), Purpose: "投标资格审查", Authorisation: "授权书 2026-031", Lang: "zh"}
	if _, _, err := is.IssueSpecial(s.admin, desk); err != nil {
		t.Fatal(err)
	}
	desk.Authorisation = ""
	if _, _, err := is.IssueSpecial(s.admin, desk); tally.ErrorCodeOf(err) != tally.EInvalid {
		t.Errorf("the desk's request without an authorisation: %v, want it refused", err)
	}
	me.get("/me")
	me.has("the resident's access log names the special report", "出具专项信用报告", "投标资格审查")

	tooLong := today.AddDate(-5, 0, -1).Format("2006-01-02")
	for _, c := range []struct{ lang, says string }{{"zh", "最长 5 年"}, {"en", "at most 5 years"}} {
		u := s.signIn("zhang", c.lang)
		u.get("/me")
		u.post("/me/special-report", url.Values{"areas": {village}, "from": {tooLong}, "to": {today.Format("2006-01-02")}})
		if u.status != 422 {
			t.Errorf("a period of more than 5 years (%s): %d, want 422", c.lang, u.status)
		}
		u.has("a period of more than 5 years ("+c.lang+")", c.says)
	}
}
