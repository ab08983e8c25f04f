package web_test

import (
	"bytes"
	"image/png"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// sheetPhoneHeight bounds the sheet's page at 360 px wide. One page holds
// one unit: the demo village's largest has 71 of its 300 people, a person
// takes two lines of about 42 px in all, so the rows take some 3,000 px;
// the title, unit picker, the unit's totals by category, its folded
// distribution list and the totals over all units take about 1,400 px.
// The whole sheet on one page was about 57,000 px.
const sheetPhoneHeight = 5000

// The sheet of a 300-person village opens on a 360×640 phone as one unit
// a page: no taller than sheetPhoneHeight and nothing wider than the
// screen, in Chinese and in English. Screenshots are left in
// artifacts/screenshots/{zh,en}-sheet.png.
func TestBrowserSheetOnPhone(t *testing.T) {
	s := demoSheetSite(t)
	b := newBrowser(t, s, "zh-CN", browserTimeout)
	b.signInThroughForm("clerk", "/record")
	b.do("360×640", chromedp.EmulateViewport(phoneWidth, 640))
	for _, path := range []string{sheetPath, sheetPath + "?group=2", "/lang/en?back=" + url.QueryEscape(sheetPath+"?group=2")} {
		b.open(path, 200)
		path = b.where()
		if n := b.count("section.unit"); n != 1 {
			t.Errorf("%s shows %d units, want 1", path, n)
		}
		rows := b.count("tr.person")
		height := eval[int](b, `document.documentElement.scrollHeight`)
		t.Logf("%s: %d rows, %d px high", path, rows, height)
		if height > sheetPhoneHeight {
			t.Errorf("%s is %d px high at %d px wide, want at most %d", path, height, phoneWidth, sheetPhoneHeight)
		}
		if width := eval[int](b, `document.documentElement.scrollWidth`); width > phoneWidth {
			t.Errorf("%s scrolls sideways: scrollWidth %d, want at most %d", path, width, phoneWidth)
		}
		if small := eval[int](b, `Array.from(document.querySelectorAll("main *")).filter(e => e.childNodes.length && parseFloat(getComputedStyle(e).fontSize) < 12).length`); small != 0 {
			t.Errorf("%s has %d elements with text under 12 px", path, small)
		}
	}
	dir := filepath.Join(artifactsDir(), "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"en", "zh"} {
		b.open("/lang/"+lang+"?back="+url.QueryEscape(sheetPath), 200)
		shot, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		if img, err := png.DecodeConfig(bytes.NewReader(shot)); err != nil || img.Width != phoneWidth {
			t.Errorf("screenshot: %+v, %v; want a PNG %d wide", img, err, phoneWidth)
		}
		if err := os.WriteFile(filepath.Join(dir, lang+"-sheet.png"), shot, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// A3 landscape in PDF points.
const a3Long, a3Short = 1190.55, 841.89

// The whole sheet prints on A3 landscape, whatever paper the browser
// would choose: every unit starts a page, a unit that runs over a page
// repeats its column headings, the distribution lists are unfolded, and
// the downloads and picker stay off the paper.
func TestBrowserSheetPrintsOnA3(t *testing.T) {
	pdfinfo, pdftotext := tool(t, "pdfinfo"), tool(t, "pdftotext")
	s := demoSheetSite(t)
	b := newBrowser(t, s, "zh-CN", browserTimeout)
	b.signInThroughForm("clerk", "/record")
	b.open(sheetPath+"?group=all", 200)
	// Letter in portrait unless the page's style sheet says otherwise.
	doc, err := chromedp.Run(b.ctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperLetter), chromedp.PDFPreferCSSPageSize()))
	if err != nil {
		t.Fatalf("print: %v", err)
	}
	file := filepath.Join(t.TempDir(), "sheet.pdf")
	if err := os.WriteFile(file, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	info, err := exec.Command(pdfinfo, file).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	m := regexp.MustCompile(`Page size:\s+([0-9.]+) x ([0-9.]+) pts`).FindStringSubmatch(string(info))
	if m == nil {
		t.Fatalf("pdfinfo gives no page size:\n%s", info)
	}
	w, _ := strconv.ParseFloat(m[1], 64)
	h, _ := strconv.ParseFloat(m[2], 64)
	if abs(w-a3Long) > 2 || abs(h-a3Short) > 2 {
		t.Errorf("pages are %.2f × %.2f pt, want A3 landscape %.2f × %.2f", w, h, a3Long, a3Short)
	}
	text, err := exec.Command(pdftotext, "-enc", "UTF-8", "-layout", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	pages := strings.Split(strings.TrimRight(string(text), "\f"), "\f")
	if len(pages) < len(demoUnits)+1 {
		t.Fatalf("%d pages, want at least one per unit and one for the totals", len(pages))
	}
	title := catalogueText(t, "zh", "sheet.title")
	next := 0 // the next unit to start a page
	for i, p := range pages {
		first := firstLine(p)
		switch {
		case i == 0 && strings.HasPrefix(first, title) && strings.Contains(p, "\n"+demoUnits[0]):
			next++ // the first unit follows the title
		case next < len(demoUnits) && first == demoUnits[next]:
			next++
		case next > 0 && next <= len(demoUnits) && strings.HasPrefix(first, "姓名"):
			// a unit runs over: its headings again
		case next == len(demoUnits) && strings.HasPrefix(first, catalogueText(t, "zh", "sheet.all_totals")):
		default:
			t.Errorf("page %d starts with %q, want a unit's name, the column headings or the totals", i+1, first)
		}
		for _, off := range []string{"Excel", catalogueText(t, "zh", "sheet.print_all")} {
			if strings.Contains(p, off) {
				t.Errorf("page %d prints %q, which is for the screen", i+1, off)
			}
		}
	}
	if !strings.Contains(string(text), catalogueText(t, "zh", "sheet.signature")) {
		t.Error("the distribution lists are not printed")
	}
	if next != len(demoUnits) {
		t.Errorf("%d of %d units start a page", next, len(demoUnits))
	}
}

// firstLine is the first line of text of a page, its spaces trimmed.
func firstLine(page string) string {
	for _, l := range strings.Split(page, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			return l
		}
	}
	return ""
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}

// tool is the path of a command the test needs: skipped without it on a
// developer's machine, failed in CI (which installs it).
func tool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	missing(t, name+" is not installed")
	return ""
}
