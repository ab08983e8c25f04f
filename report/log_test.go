package report_test

import (
	"strings"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/report"
	"github.com/tallycredit/tally/translog"
)

// TestReportPrintsLogPositions: each entry a report proves is in the
// public log, the subject's own included, reads "公开日志第 N 条" (in the
// report's language), and the
// checkpoint's size and the start of its root are printed once.
func TestReportPrintsLogPositions(t *testing.T) {
	at := time.Date(2026, 10, 5, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	root := translog.LeafHash([]byte("root"))
	for _, tc := range []struct{ lang, subject, record, listing, checkpoint string }{
		{"zh", "3604**********0071 · 公开日志第 2 条", "公开日志第 5 条", "公开日志第 9 条", "公开日志检查点：共 12 条，根哈希 " + root.String()[:12]},
		{"en", "3604**********0071 · in the public log at position 2", "in the public log at position 5", "in the public log at position 9", "Public log checkpoint: 12 entries, root hash " + root.String()[:12]},
	} {
		r := &ledger.Report{Code: "7KQ2M-XW9PD-3HT6C", Subject: "3604**********0071", Name: "张三", Purpose: "home loan", Lang: tc.lang, IssuedAt: at,
			Schemes: []ledger.ReportScheme{{Scheme: "jiakuang-majia", Name: tally.Text{Zh: "家况", En: "Village"},
				InEffect: []ledger.Entry{{Record: tally.Record{ID: 7, Rule: "donation", HappenedAt: at, Awarded: 13}}}}},
			Lists: []ledger.ReportListing{{ID: 3, List: "judgment-defaulters", CaseNumber: "(2025)1", Court: "court", Since: at, Until: at.AddDate(1, 0, 0)}},
			Log: &ledger.ReportLog{Size: 12, Root: root, Entries: []ledger.ReportLogEntry{
				{Kind: ledger.LogRecord, Ref: "7", Index: 5}, {Kind: ledger.LogListEntry, Ref: "3", Index: 9}, {Kind: ledger.LogSubject, Ref: "1", Index: 2}}}}
		pdf, err := report.PDF(r, report.Layout{Font: font(t), VerifyURL: "http://127.0.0.1:8080/verify/"})
		if err != nil {
			t.Fatal(err)
		}
		flat := strings.Join(strings.Fields(pdfText(t, pdf)), " ")
		for _, want := range []string{tc.subject, tc.record, tc.listing, tc.checkpoint} {
			if !strings.Contains(flat, strings.Join(strings.Fields(want), " ")) {
				t.Errorf("%s report: no %q in\n%s", tc.lang, want, flat)
			}
		}
	}
}
