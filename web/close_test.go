package web_test

import (
	"io"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/report"
	"github.com/tallycredit/tally/web"
)

// issuer issues reports of the site's ledger with a fresh signing key;
// without a font it skips (and fails in CI, which installs one).
func issuer(t *testing.T, s *site) *report.Issuer {
	t.Helper()
	font, err := report.FindFont("")
	if err != nil {
		missing(t, err.Error())
	}
	key, _ := report.ParseKey(report.GenerateKey())
	return &report.Issuer{Service: s.svc, Key: key, Font: font, VerifyURL: "http://127.0.0.1/verify/"}
}

// withReports serves the same site again with a report issuer, as `tally
// serve` does when it has a font and a signing key; without a font it
// skips (and fails in CI, which installs one).
func withReports(t *testing.T, s *site) *site {
	t.Helper()
	return withReportsFrom(t, s, issuer(t, s))
}

// withReportsFrom serves the same site again with the given report issuer.
func withReportsFrom(t *testing.T, s *site, is *report.Issuer) *site {
	t.Helper()
	return servedWith(t, s, web.Options{Reports: is})
}

// servedWith serves the same site again with the given options.
func servedWith(t *testing.T, s *site, opts web.Options) *site {
	t.Helper()
	pages, err := web.New(s.svc, slog.New(slog.NewTextHandler(io.Discard, nil)), opts)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(pages)
	t.Cleanup(srv.Close)
	out := *s
	out.url = srv.URL
	return &out
}

// October in the village: 张伟 gains 13 points and agrees to be named; 李娜
// is fined.
func october(t *testing.T, s *site) {
	t.Helper()
	if err := s.svc.SetPublication(s.admin, "jiakuang-majia", zhang, true, "signed form"); err != nil {
		t.Fatal(err)
	}
	for i, c := range []ledger.Conduct{
		{Scheme: "jiakuang-majia", Identifier: zhang, Rule: "donation", FactArgs: []string{"value=1300"}, Ref: "oct/1"},
		{Scheme: "jiakuang-majia", Identifier: li, Rule: "conduct.littering", Ref: "oct/2"},
	} {
		c.At, c.By, c.Evidence = time.Date(2026, 10, 5+i, 9, 0, 0, 0, s.clock.Now().Location()), "recorder", "note"
		if _, err := s.svc.Record(s.admin, c); err != nil {
			t.Fatal(err)
		}
	}
}

// A recorder closes October from the page, prints the sheet and downloads
// it; the public sees the board (only 张伟, who agreed) and the month's
// distribution; nobody sees 李娜's fine in public.
func TestCloseMonthPages(t *testing.T) {
	s := newSite(t)
	october(t, s)
	rec := s.signIn("recorder", "zh")
	rec.get("/closes")
	rec.post("/closes", url.Values{"scheme": {"jiakuang-majia"}, "period": {"2026-12"}})
	if rec.status != 422 {
		t.Errorf("closing a month not ended: %d, want 422 with the reason", rec.status)
	}
	rec.has("close a month not ended", "还没有结束：从 ")
	rec.post("/closes", url.Values{"scheme": {"jiakuang-majia"}, "period": {"2026-10"}})
	if rec.where != "/closes/jiakuang-majia/2026-10" || rec.status != 200 {
		t.Fatalf("close: %d at %s", rec.status, rec.where)
	}
	rec.has("the sheet", "积分统计表", "张伟", "李娜", "-10", "签收")
	rec.get("/closes/jiakuang-majia/2026-10/sheet.csv")
	if rec.status != 200 || !strings.HasPrefix(rec.page, "\ufeff小组,证件号码,姓名,") || !strings.Contains(rec.page, "合计,,,,,13,-10,,,,,,,2") {
		t.Errorf("sheet.csv in Chinese: %d\n%s", rec.status, rec.page)
	}
	en := s.signIn("recorder", "en")
	en.get("/closes/jiakuang-majia/2026-10/sheet.csv")
	if en.status != 200 || !strings.HasPrefix(en.page, "\ufeffunit,subject,name,") || !strings.Contains(en.page, "TOTAL,,,,,13,-10,,,,,,,2") {
		t.Errorf("sheet.csv in English: %d\n%s", en.status, en.page)
	}
	rec.get("/closes/jiakuang-majia/2026-10/sheet.xlsx")
	if rec.status != 200 || !strings.HasPrefix(rec.page, "PK") {
		t.Errorf("sheet.xlsx: %d, want a zip", rec.status)
	}

	pub := s.user("zh")
	pub.get("/schemes/jiakuang-majia/board")
	pub.has("public board", "光荣榜", "张伟", "2 面红旗，1 颗星")
	pub.lacks("public board", "李娜")
	pub.get("/schemes/jiakuang-majia/statistics")
	pub.has("statistics", "已结算月份", "2026-10")
	pub.get("/schemes/jiakuang-majia/board/2026-10/poster.svg")
	if pub.status != 200 || !strings.HasPrefix(pub.page, "<svg") || strings.Contains(pub.page, "李娜") {
		t.Errorf("poster.svg: %d %.80s", pub.status, pub.page)
	}
	pub.get("/closes/jiakuang-majia/2026-10")
	if !strings.HasPrefix(pub.where, "/signin") {
		t.Errorf("the public opens a sheet: at %s, want the sign-in page", pub.where)
	}
}

var kioskCode = regexp.MustCompile(`<code id="kiosk-code">([0-9]{8})</code>`)

// The desk issues a one-time code; the resident prints their report at
// the kiosk once, through the session's link; the code does not work twice, nor for another ID; the
// report's code checks out on the verify page.
func TestKiosk(t *testing.T) {
	s := withReports(t, newSite(t))
	october(t, s)
	desk := s.signIn("admin", "zh")
	desk.get("/admin")
	desk.has("admin page links", `href="/closes"`, `href="/kiosk/codes"`)
	desk.get("/kiosk/codes")
	desk.post("/kiosk/codes", url.Values{"id": {zhang}})
	m := kioskCode.FindStringSubmatch(desk.page)
	if m == nil {
		t.Fatalf("no code on the desk's page: %d\n%s", desk.status, desk.page)
	}
	kiosk := s.user("zh")
	kiosk.get("/kiosk")
	kiosk.post("/kiosk", url.Values{"id": {li}, "code": {m[1]}, "purpose": {"home-loan"}})
	if kiosk.status != 401 {
		t.Errorf("another person's ID with the code: %d, want 401", kiosk.status)
	}
	kiosk.post("/kiosk", url.Values{"id": {zhang}, "code": {m[1]}, "purpose": {"home-loan"}})
	link := kioskReportLink.FindStringSubmatch(kiosk.page)
	if kiosk.status != 200 || link == nil {
		t.Fatalf("print: %d, no link to the report: %.200s", kiosk.status, kiosk.page)
	}
	kiosk.get(link[1])
	if kiosk.status != 200 || !strings.HasPrefix(kiosk.page, "%PDF") {
		t.Fatalf("print: %d %.200s", kiosk.status, kiosk.page)
	}
	code := regexp.MustCompile(`%TALLY-SIGNATURE ([0-9A-Z-]+) `).FindStringSubmatch(kiosk.page)
	if code == nil {
		t.Fatal("the PDF has no signature line")
	}
	kiosk.get("/kiosk")
	kiosk.post("/kiosk", url.Values{"id": {zhang}, "code": {m[1]}, "purpose": {"home-loan"}})
	if kiosk.status != 401 {
		t.Errorf("the code again: %d, want 401", kiosk.status)
	}
	bank := s.user("en")
	bank.get("/verify/" + code[1])
	bank.has("verify page", "was issued by this office", "3604**********0071", "住房贷款")
	bank.get("/verify/AAAAA-BBBBB-CCCCC")
	if bank.status != 404 {
		t.Errorf("an unknown code: %d, want 404", bank.status)
	}
	log, err := s.svc.AccessLog(s.admin, zhang, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range log {
		actions = append(actions, e.Action)
	}
	for _, want := range []string{"kiosk-code", "kiosk-sign-in", "report", "report-verified"} {
		if !strings.Contains(strings.Join(actions, " "), want) {
			t.Errorf("access log %v lacks %s", actions, want)
		}
	}
	// Five wrong codes stop the machine for a while.
	for range 6 {
		kiosk.post("/kiosk", url.Values{"id": {li}, "code": {"00000000"}, "purpose": {"job"}})
	}
	if kiosk.status != 429 {
		t.Errorf("the sixth wrong code: %d, want 429", kiosk.status)
	}
	_ = tally.Admin
}
