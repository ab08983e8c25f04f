package report_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tallycredit/tally/ledger"
)

// A record under objection is printed 有异议 on the report and marked
// "disputed" in the content the report records (its JSON).
func TestReportShowsDisputed(t *testing.T) {
	pdftotext := need(t, "pdftotext")
	is, ctx := issuer(t)
	text := func(lang string) (string, *ledger.Report) {
		t.Helper()
		issued, doc, err := is.Issue(ctx, zhang, "住房贷款", lang)
		if err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(t.TempDir(), "report.pdf")
		if err := os.WriteFile(file, doc, 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(pdftotext, "-enc", "UTF-8", file, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext: %v", err)
		}
		var content ledger.Report
		if err := json.Unmarshal(issued.Content, &content); err != nil {
			t.Fatal(err)
		}
		return string(out), &content
	}
	if got, _ := text("zh"); strings.Contains(got, "有异议") {
		t.Errorf("before any objection the report says 有异议:\n%s", got)
	}
	if _, err := is.Service.Object(ctx, ledger.ObjectionInput{Scheme: "jiakuang-majia", Identifier: zhang, Record: 1, Grounds: "the value was 1,500"}); err != nil {
		t.Fatal(err)
	}
	got, content := text("zh")
	if !strings.Contains(got, "有异议") {
		t.Errorf("once objected to, pdftotext gives no 有异议:\n%s", got)
	}
	if len(content.Schemes) != 1 || len(content.Schemes[0].InEffect) != 1 || !content.Schemes[0].InEffect[0].Disputed {
		t.Errorf("report content %+v, want its one record disputed", content.Schemes)
	}
	if got, _ := text("en"); !strings.Contains(got, "disputed") {
		t.Errorf("once objected to, the English report does not say disputed:\n%s", got)
	}
}
