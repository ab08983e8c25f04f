package report_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/examples"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/report"
	"github.com/tallycredit/tally/sqlite"
)

const zhang = "360426199101010071"

// need returns the path of an external program the test uses; without it
// the test is skipped on a laptop and fails in CI.
func need(t *testing.T, prog string) string {
	t.Helper()
	p, err := exec.LookPath(prog)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is missing (CI installs poppler-utils and zbar-tools in .ci/run)", prog)
		}
		t.Skipf("%s is not installed", prog)
	}
	return p
}

// font returns the CJK font, or skips (fails in CI) without one.
func font(t *testing.T) string {
	t.Helper()
	f, err := report.FindFont("")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	return f
}

// issuer is a village with 张三, who has 13 points, and an Issuer over it.
func issuer(t *testing.T) (*report.Issuer, context.Context) {
	ctx := ledger.WithPurpose(ledger.WithActor(context.Background(), &tally.Actor{Name: "desk-1", Role: tally.Admin}), "test")
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "tally.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	key, _ := ledger.ParseKey(ledger.GenerateKey())
	vault, _ := ledger.NewVault(key)
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	svc := ledger.New(db, vault, ledger.Options{Now: func() time.Time { return now }})
	src, _ := examples.Rulebooks.ReadFile("village.yaml")
	if _, err := svc.Publish(ctx, "village.yaml", src); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AddSubject(ctx, ledger.NewSubject{Kind: tally.Person, Identifier: zhang, Name: "张三丰"}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Enrol(ctx, ledger.Enrolment{Scheme: "jiakuang-majia", Identifier: zhang, Consent: true}); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 10, 5, 10, 0, 0, 0, now.Location())
	_, err = svc.Record(ctx, ledger.Conduct{Scheme: "jiakuang-majia", Identifier: zhang, Rule: "donation", At: at,
		Ref: "z/1", FactArgs: []string{"value=1300"}, By: "recorder-7", Evidence: "receipt 7"})
	if err != nil {
		t.Fatal(err)
	}
	signing, _ := report.ParseKey(report.GenerateKey())
	return &report.Issuer{Service: svc, Key: signing, Font: font(t), VerifyURL: "http://127.0.0.1:8080/verify/"}, ctx
}

func TestReportReadsBack(t *testing.T) {
	pdftotext, pdftoppm, zbarimg := need(t, "pdftotext"), need(t, "pdftoppm"), need(t, "zbarimg")
	is, ctx := issuer(t)
	issued, doc, err := is.Issue(ctx, zhang, "住房贷款 home loan", "zh")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "report.pdf")
	if err := os.WriteFile(file, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	text, err := exec.Command(pdftotext, "-enc", "UTF-8", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	for _, want := range []string{"张三丰", "信用报告", "3604**********0071", "住房贷款 home loan", issued.Code, "向村集体捐赠", "13"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("pdftotext gives no %q:\n%s", want, text)
		}
	}
	if out, err := exec.Command(pdftoppm, "-png", "-r", "150", "-singlefile", file, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v: %s", err, out)
	}
	qr, err := exec.Command(zbarimg, "--quiet", "--raw", filepath.Join(dir, "page.png")).Output()
	if err != nil {
		t.Fatalf("zbarimg: %v", err)
	}
	if got, want := strings.TrimSpace(string(qr)), "http://127.0.0.1:8080/verify/"+issued.Code; got != want {
		t.Errorf("QR code says %q, want %q", got, want)
	}
}

func TestReportVerify(t *testing.T) {
	is, ctx := issuer(t)
	issued, doc, err := is.Issue(ctx, zhang, "heating discount", "en")
	if err != nil {
		t.Fatal(err)
	}
	public := ledger.WithActor(context.Background(), &tally.Actor{Name: "bank", Role: tally.Public})
	got, err := is.Verify(public, doc)
	if err != nil {
		t.Fatalf("verify the report as issued: %v", err)
	}
	if got.Code != issued.Code || got.Purpose != "heating discount" || !got.IssuedAt.Equal(issued.IssuedAt) || got.Masked != "3604**********0071" {
		t.Errorf("verify = %+v, want the issue %+v", got, issued)
	}
	// Change one byte anywhere: in the PDF, in the code, in the signature.
	for _, at := range []int{10, len(doc) / 2, len(doc) - 20, len(doc) - 100} {
		bad := bytes.Clone(doc)
		bad[at] ^= 0x01
		if _, err := is.Verify(public, bad); err == nil {
			t.Errorf("byte %d of %d changed: verified, want not genuine", at, len(doc))
		}
	}
	// Another deployment's key does not verify it.
	other, _ := report.ParseKey(report.GenerateKey())
	if _, _, err := report.Check(doc, other.Public().(ed25519.PublicKey)); err == nil {
		t.Error("another key verified the report")
	}
	// Issuing is logged in the subject's access log, and so is verifying.
	log, err := is.Service.AccessLog(ctx, zhang, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var issuedLogged, verifiedLogged bool
	for _, e := range log {
		issuedLogged = issuedLogged || (e.Action == "report" && e.Purpose == "heating discount" && strings.Contains(e.Detail, issued.Code))
		verifiedLogged = verifiedLogged || (e.Action == "report-verified" && strings.Contains(e.Detail, issued.Code))
	}
	if !issuedLogged || !verifiedLogged {
		t.Errorf("access log %+v: want the issue (with its purpose) and the verification", log)
	}
}

func TestReportRefusals(t *testing.T) {
	is, ctx := issuer(t)
	if _, _, err := is.Issue(ctx, zhang, " ", "zh"); tally.ErrorCodeOf(err) != tally.EInvalid {
		t.Errorf("no purpose: %v, want invalid", err)
	}
	bank := ledger.WithPurpose(ledger.WithActor(context.Background(), &tally.Actor{Name: "bank", Role: tally.Verifier}), "loan")
	if _, _, err := is.Issue(bank, zhang, "loan", "zh"); tally.ErrorCodeOf(err) != tally.EForbidden {
		t.Errorf("a verifier issues a report: %v, want forbidden", err)
	}
	if _, err := is.Verify(ctx, []byte("%PDF-1.4\nnot signed\n")); tally.ErrorCodeOf(err) != tally.EInvalid {
		t.Errorf("an unsigned file: %v, want invalid", err)
	}
}

// The poster names the board's entries, draws their marks, escapes
// names, and as a PDF reads back with the Chinese names intact.
func TestPoster(t *testing.T) {
	b := &ledger.HonourBoard{Scheme: "jiakuang-majia", Name: tally.Text{Zh: "贾匡马家村诚信积分", En: "Jiakuang Majia"}, Period: "2026-10",
		Board:      &tally.Board{Star: 1, Flag: 6},
		RoleModels: []ledger.BoardEntry{{Rank: 1, Name: "张三丰", Unit: "一组", Score: 13, Flags: 2, Stars: 1}},
		Entries:    []ledger.BoardEntry{{Rank: 1, Name: "张三丰", Unit: "一组", Score: 13, Flags: 2, Stars: 1}, {Rank: 2, Name: "<script>", Score: 1, Stars: 1}}}
	svg := string(report.PosterSVG(b, "zh"))
	if !strings.HasPrefix(svg, `<svg xmlns="http://www.w3.org/2000/svg" width="297mm" height="420mm"`) || !strings.Contains(svg, "张三丰 (一组)") {
		t.Errorf("svg: %.300s", svg)
	}
	if strings.Contains(svg, "<script>") || !strings.Contains(svg, "&lt;script&gt;") {
		t.Error("a name is not escaped in the svg")
	}
	if flags := strings.Count(svg, `fill="#d00000"`); flags != 4 { // 2 flags, drawn among the role models and again on the board
		t.Errorf("svg draws %d flags, want 4", flags)
	}
	pdftotext := need(t, "pdftotext")
	doc, err := report.PosterPDF(b, "zh", font(t))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "poster.pdf")
	if err := os.WriteFile(file, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	text, err := exec.Command(pdftotext, "-enc", "UTF-8", file, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"光荣榜", "张三丰 (一组)", "13 分"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("poster text lacks %q:\n%s", want, text)
		}
	}
	if out, err := exec.Command("pdfinfo", file).Output(); err == nil && !strings.Contains(string(out), "841.89 x 1190.55 pts") {
		t.Errorf("poster is not A3:\n%s", out)
	}
}
