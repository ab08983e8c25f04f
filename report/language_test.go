package report_test

import (
	"strings"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/report"
)

// A report prints a rule's legal basis, an objection's outcome and a
// grade in the report's language, and only in it.
func TestReportPrintsTextsInItsLanguage(t *testing.T) {
	basis := tally.Text{Zh: "村规民约环境卫生篇第三条", En: "Village covenant, sanitation, article 3"}
	at := time.Date(2026, 10, 5, 10, 0, 0, 0, time.UTC)
	score, grade := int64(90), "4-star"
	rep := func(lang string) *ledger.Report {
		return &ledger.Report{Code: "R-TEST-0002", Subject: "3604**********0071", Name: "张三", Purpose: "住房贷款", Lang: lang, IssuedAt: at,
			Schemes: []ledger.ReportScheme{{Scheme: "market", Name: tally.Text{Zh: "市场", En: "Market"},
				Score: tally.Score{Scored: true, Score: &score, Grade: &grade},
				InEffect: []ledger.Entry{{Record: tally.Record{Rule: "littering", HappenedAt: at, Awarded: -10},
					Title: tally.Text{Zh: "乱扔垃圾", En: "Littering"}, Basis: basis}}}},
			Objections: []ledger.ReportObjection{{Record: 7, Filed: "2026-10-06", Outcome: string(tally.Upheld)}}}
	}
	for _, tt := range []struct {
		lang        string
		want, avoid []string
	}{
		{"zh", []string{basis.Zh, "维持", "四星"}, []string{basis.En, "Upheld", "upheld", "4-star"}},
		{"en", []string{basis.En, "Upheld: the record stands", "4 stars"}, []string{basis.Zh, "维持", "四星"}},
	} {
		doc, err := report.PDF(rep(tt.lang), report.Layout{Font: font(t), VerifyURL: "http://127.0.0.1:8080/verify/", Fingerprint: "ab:cd"})
		if err != nil {
			t.Fatal(err)
		}
		text := pdfText(t, doc)
		flat := squeeze(text)
		for _, w := range tt.want {
			if !strings.Contains(flat, squeeze(w)) {
				t.Errorf("%s report lacks %q:\n%s", tt.lang, w, text)
			}
		}
		for _, a := range tt.avoid {
			if strings.Contains(flat, squeeze(a)) {
				t.Errorf("%s report has %q:\n%s", tt.lang, a, text)
			}
		}
	}
}
