package httpapi_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/httpapi"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/report"
	"github.com/tallycredit/tally/wire"
)

// A special credit report through the API: an admin asking for someone
// else's names the authorisation it rests on (without one: refused); the
// sealed PDF lists the chosen area and period, and the code verifies with
// its scope; a period of more than 5 years is refused; the subject asks
// for its own with no authorisation to give.
func TestSpecialReportThroughTheAPI(t *testing.T) {
	s := startServer(t, httpapi.Config{Reports: testIssuer(t)})
	const village = "jiakuang-majia"
	s.publish("village.yaml")
	if _, err := s.svc.AddSubject(s.admin, ledger.NewSubject{Kind: tally.Person, Identifier: zhang, Name: "张三"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.Enrol(s.admin, ledger.Enrolment{Scheme: village, Identifier: zhang, Consent: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.AddSubject(s.admin, ledger.NewSubject{Kind: tally.Person, Identifier: li, Name: "李四"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.Record(s.admin, ledger.Conduct{Scheme: village, Identifier: zhang, Rule: "conduct.littering",
		At: now.Add(-48 * time.Hour), Ref: "litter-1", Evidence: "photo"}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	desk := s.client(ledger.TokenSpec{Name: "desk", Role: tally.Admin})
	in := wire.SpecialReportRequest{Subject: zhang, Areas: []string{village + "/environment"}, From: "2024-01-01", To: "2026-11-26",
		Purpose: "投标资格审查", Lang: "zh"}
	_, err := desk.SpecialReport(ctx, in, nil)
	wantStatus(t, "an admin's request without an authorisation", err, 400, "invalid")

	in.Authorisation = "授权书 2026-031"
	got, err := desk.SpecialReport(ctx, in, nil)
	if err != nil {
		t.Fatal(err)
	}
	text := pdfToText(t, got.Document)
	for _, want := range []string{"专项信用报告", "环境卫生", "2024-01-01", "乱扔垃圾", "授权书 2026-031"} {
		if !strings.Contains(text, want) {
			t.Errorf("the special report lacks %q:\n%s", want, text)
		}
	}
	anyone := s.client(ledger.TokenSpec{})
	v, err := anyone.Report(ctx, got.Report.Code)
	if err != nil {
		t.Fatal(err)
	}
	if v.Special == nil || len(v.Special.Areas) != 1 || v.Special.Areas[0] != village+"/environment" || v.Name == "张三" {
		t.Errorf("verified = %+v (scope %+v), want the scope and no full name", v, v.Special)
	}

	in.From = "2021-11-25"
	_, err = desk.SpecialReport(ctx, in, nil)
	wantStatus(t, "a period of more than 5 years", err, 400, "invalid")
	if err == nil || !strings.Contains(err.Error(), "at most 5 years") || !strings.Contains(err.Error(), "最长 5 年") {
		t.Errorf("the refusal says %v, want it to name the 5 years in Chinese and English", err)
	}

	me := s.client(ledger.TokenSpec{Name: "zhang", Role: tally.SubjectR, Subject: zhang})
	own := wire.SpecialReportRequest{Subject: zhang, From: "2026-01-01", To: "2026-11-26", Purpose: "own", Lang: "en"}
	mine, err := me.SpecialReport(ctx, own, nil)
	if err != nil {
		t.Fatal(err)
	}
	if mine.Report.Special == nil || mine.Report.Special.Authorisation != ledger.SelfRequested {
		t.Errorf("own special report's scope = %+v, want it requested by the subject", mine.Report.Special)
	}
	other := s.client(ledger.TokenSpec{Name: "li", Role: tally.SubjectR, Subject: li})
	_, err = other.SpecialReport(ctx, own, nil)
	wantStatus(t, "someone else's report, asked by a subject", err, 403, "forbidden")
}

// pdfToText is the text pdftotext reads from a document.
func pdfToText(t *testing.T, doc []byte) string {
	t.Helper()
	prog, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Fatal(err)
	}
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

// testIssuer prints and seals reports with a fresh key and the machine's
// CJK font (CI installs one); the server supplies the ledger.
func testIssuer(t testing.TB) *report.Issuer {
	t.Helper()
	font, err := report.FindFont("")
	if err != nil {
		t.Fatal(err)
	}
	key, _ := report.ParseKey(report.GenerateKey())
	return &report.Issuer{Key: key, Font: font, VerifyURL: "http://127.0.0.1/verify/"}
}
