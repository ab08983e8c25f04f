package web_test

import (
	"crypto/ed25519"
	"database/sql"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/tallycredit/tally/exchange"
	"github.com/tallycredit/tally/ledger"
)

// TestVerifyPageChecksReportLog: /verify/{code} of a report of an
// instance that signs its log shows each entry in the public log; after a
// listed record is edited in the database file it names it as changed,
// and the subject's own entry, untouched, as still in the log.
func TestVerifyPageChecksReportLog(t *testing.T) {
	key := ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize))
	signer, err := exchange.NewSigner(ledger.LogKeyName("rongcheng"), key)
	if err != nil {
		t.Fatal(err)
	}
	s := newLoggedSite(t, ledger.LogSettings{Signer: signer})
	if err := s.svc.SetInstanceName(s.admin, "rongcheng"); err != nil {
		t.Fatal(err)
	}
	if err := s.svc.BindReportKey(s.admin, hex.EncodeToString(key.Public().(ed25519.PublicKey))); err != nil {
		t.Fatal(err)
	}
	is := issuer(t, s)
	is.Key = key
	s = withReportsFrom(t, s, is)
	october(t, s)
	issued, _, err := is.Issue(s.admin, zhang, "home loan", "zh")
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []struct{ lang, in, signed string }{{"zh", "在日志中：record", "由本机构的日志密钥签署"}, {"en", "in the log: record", "signed with this instance's log key"}} {
		u := s.user(lang.lang)
		u.get("/verify/" + issued.Code)
		u.has("the log section of an untouched report ("+lang.lang+")", `id="report-log"`, `data-ok="true"`, lang.in, lang.signed)
	}
	raw, err := sql.Open("sqlite", s.path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, q := range []string{`DROP TRIGGER records_no_update`, `UPDATE records SET awarded = awarded + 100`} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	u := s.user("en")
	u.get("/verify/" + issued.Code)
	u.has("the log section after a record was edited", `data-ok="false"`, `data-status="changed"`, "changed since the report: record")
	if n := strings.Count(u.page, `data-status="in-log"`); n != 1 || !strings.Contains(u.page, "in the log: subject") {
		t.Errorf("after a record was edited %d entries read as in the log, want only the subject's:\n%s", n, u.page)
	}
}

// TestBrowserMeShowsLogPositions: on the resident's own page each record
// reads "公开日志第 N 条" (in English "in the public log at position N")
// with a link to its inclusion proof.
func TestBrowserMeShowsLogPositions(t *testing.T) {
	s := newSite(t)
	october(t, s)
	listZhang(t, s)
	b := newBrowser(t, s, "zh-CN", browserTimeout)
	b.signInThroughForm("zhang", "/me")
	for _, lang := range []struct{ lang, says string }{{"zh", "公开日志第 "}, {"en", "in the public log at position "}} {
		if lang.lang == "en" {
			b.press("a.lang", 200)
		}
		if n := b.count(".log-position"); n == 0 {
			t.Fatalf("%s: no record shows its place in the public log: %s", lang.lang, b.bodyText())
		}
		if got := b.text(".log-position"); !strings.Contains(got, lang.says) {
			t.Errorf("%s: the record's place in the log reads %q, want %q", lang.lang, got, lang.says)
		}
		href, ok := b.attr(".log-position a", "href")
		if !ok || !strings.Contains(href, "/api/v1/log/proof?kind=record&ref=") {
			t.Errorf("%s: the proof link is %q, want /api/v1/log/proof?kind=record&ref=…", lang.lang, href)
		}
		// The court's entry behind a refused measure shows its place too.
		if got := b.text(".list-log-position"); !strings.Contains(got, lang.says) {
			t.Errorf("%s: the list entry's place in the log reads %q, want %q", lang.lang, got, lang.says)
		}
		if href, ok := b.attr(".list-log-position a", "href"); !ok || !strings.Contains(href, "/api/v1/log/proof?kind=list-entry&ref=") {
			t.Errorf("%s: the list entry's proof link is %q, want /api/v1/log/proof?kind=list-entry&ref=…", lang.lang, href)
		}
	}
}

// TestMeShowsOwnLogPosition: the resident's own page shows where their
// subject entry, which ties their records to their ID number and name,
// is in the public log, with a link to its inclusion proof.
func TestMeShowsOwnLogPosition(t *testing.T) {
	s := newSite(t)
	october(t, s)
	for _, lang := range []struct{ lang, says string }{{"zh", "公开日志第 "}, {"en", "in the public log at position "}} {
		u := s.signIn("zhang", lang.lang)
		u.get("/me")
		u.has("the subject's place in the log ("+lang.lang+")", `class="muted subject-log-position"`, lang.says, "/api/v1/log/proof?kind=subject&ref=")
	}
}
