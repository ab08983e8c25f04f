package report_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/report"
)

// rare is a name with characters outside GB 2312: one beyond the BMP
// (𠮷, Extension B), one in Extension A (䶮) and four in GBK only.
const rare = "王𠮷䶮堃喆昇赟"

// Long texts that wrap over several lines in their table cells, with
// Latin words among the Chinese.
const (
	longBasis = "依据《贾匡马家村村规民约》第十二条、《中华人民共和国村民委员会组织法》第二十七条及 Administrative Regulations on Village Affairs 第三章规定，经村民代表大会讨论通过，对主动向村集体捐赠、参与公益事业、维护村容村貌的村民给予加分奖励；村规/约中未列明的事项由村民委员会研究决定。"
	longTitle = "向村集体捐赠用于修缮道路桥梁及公共设施 Donation for public works"
	longCode  = "a-rule-code-far-too-long-for-its-column-to-hold-on-one-line"
)

// pdfText writes doc to a file and returns what pdftotext reads from it
// in content-stream order (-raw), so each table cell reads as one piece.
func pdfText(t *testing.T, doc []byte) string {
	t.Helper()
	pdftotext := need(t, "pdftotext")
	file := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(file, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	text, err := exec.Command(pdftotext, "-raw", "-enc", "UTF-8", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(text)
}

// squeeze removes line breaks and layout spaces.
func squeeze(s string) string {
	return strings.Join(strings.Fields(s), "")
}

// checkPrintedOrMarked fails unless text shows name with each rune
// either printed or replaced by the mark □, and names the code point of
// every marked rune. With the fallback font installed, every rune of the
// Basic Multilingual Plane must be printed.
func checkPrintedOrMarked(t *testing.T, text, name string) {
	t.Helper()
	var pattern strings.Builder
	for _, r := range name {
		fmt.Fprintf(&pattern, "(%s|□)", regexp.QuoteMeta(string(r)))
	}
	m := regexp.MustCompile(pattern.String()).FindStringSubmatch(squeeze(text))
	if m == nil {
		t.Fatalf("the text has no %q, printed or marked:\n%s", name, text)
	}
	fallback := false
	for _, p := range report.FallbackFontPaths {
		if _, err := os.Stat(p); err == nil {
			fallback = true
		}
	}
	for i, r := range []rune(name) {
		if m[i+1] == string(r) {
			continue
		}
		if code := fmt.Sprintf("U+%04X", r); !strings.Contains(text, code) {
			t.Errorf("%c is marked □ but %s is named nowhere:\n%s", r, code, text)
		}
		if fallback && r <= 0xFFFF {
			t.Errorf("%c (U+%04X) is marked though the fallback font is installed", r, r)
		}
	}
}

func longReport(name string) *ledger.Report {
	score, grade := int64(13), "AAA"
	at := time.Date(2026, 10, 5, 10, 0, 0, 0, time.UTC)
	entry := ledger.Entry{Record: tally.Record{Rule: "donation", HappenedAt: at, Awarded: 13}, Title: tally.Text{Zh: longTitle, En: longTitle}, Basis: tally.Text{Zh: longBasis, En: longBasis}}
	long := entry
	long.Rule, long.Title, long.Basis = longCode, tally.Text{Zh: "捐赠", En: "Donation"}, tally.Text{}
	return &ledger.Report{Code: "R-TEST-0001", Subject: "3604**********0071", Name: name, Purpose: "住房贷款 home loan", Lang: "zh",
		IssuedAt: at, Schemes: []ledger.ReportScheme{{Scheme: "jiakuang-majia", Name: tally.Text{Zh: "贾匡马家村诚信积分", En: "Jiakuang Majia"},
			Score: tally.Score{Scored: true, Score: &score, Grade: &grade}, InEffect: []ledger.Entry{entry, entry, long}}},
		Lists: []ledger.ReportListing{{List: "失信被执行人", CaseNumber: "(2026)赣0426执123号", Court: "德安县人民法院", Basis: longBasis, Since: at, Until: at.AddDate(1, 0, 0)}}}
}

// A report whose legal basis and rule name wrap over several lines keeps
// every character, in order, once per place it is printed, and keeps
// Latin words whole unless one is wider than its column.
func TestReportWrapsChineseWithoutLosingCharacters(t *testing.T) {
	doc, err := report.PDF(longReport("张三丰"), report.Layout{Font: font(t), VerifyURL: "http://127.0.0.1:8080/verify/", Fingerprint: "ab:cd"})
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, doc)
	flat := squeeze(text)
	if got := strings.Count(flat, squeeze(longBasis)); got != 3 { // two records and the court list
		t.Errorf("the legal basis reads back whole %d times, want 3:\n%s", got, text)
	}
	if got := strings.Count(flat, squeeze(longTitle)+"(donation)"); got != 2 {
		t.Errorf("the rule name reads back whole %d times, want 2:\n%s", got, text)
	}
	if !strings.Contains(flat, "捐赠("+longCode+")") {
		t.Errorf("a word wider than its column does not read back whole:\n%s", text)
	}
	for _, word := range []string{"Administrative", "Regulations", "Village", "Affairs", "Donation", "public", "works"} {
		if !regexp.MustCompile(`(?m)\b` + word + `\b`).MatchString(text) {
			t.Errorf("the Latin word %q is split across lines:\n%s", word, text)
		}
	}
}

// A name with rare characters is printed, in the fallback font where the
// first font lacks a glyph, or marked □ with its code point named.
func TestReportPrintsOrMarksRareCharacters(t *testing.T) {
	doc, err := report.PDF(longReport(rare), report.Layout{Font: font(t), VerifyURL: "http://127.0.0.1:8080/verify/", Fingerprint: "ab:cd"})
	if err != nil {
		t.Fatal(err)
	}
	checkPrintedOrMarked(t, pdfText(t, doc), rare)
}

// The poster wraps a long name and unit without losing a character and
// prints or marks rare characters.
func TestPosterWrapsAndMarks(t *testing.T) {
	unit := "贾匡马家村第十二村民小组（原马家坪自然村）"
	b := &ledger.HonourBoard{Scheme: "jiakuang-majia", Name: tally.Text{Zh: "贾匡马家村诚信积分", En: "Jiakuang Majia"}, Period: "2026-10",
		Board:   &tally.Board{Star: 1, Flag: 6},
		Entries: []ledger.BoardEntry{{Rank: 1, Name: rare, Unit: unit, Score: 13, Flags: 2, Stars: 1}}}
	doc, err := report.PosterPDF(b, "zh", font(t))
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, doc)
	checkPrintedOrMarked(t, text, rare)
	if !strings.Contains(squeeze(text), "("+unit+")") {
		t.Errorf("the unit does not read back whole:\n%s", text)
	}
}
