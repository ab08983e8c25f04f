package web_test

import (
	"html"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/demo"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/web"
)

// demoVillagers is the size of the demo village whose sheet the tests
// read: `tally demo`'s default.
const demoVillagers = demo.DefaultVillagers

// demoUnits are the demo village's units in the order a clerk expects.
var demoUnits = []string{"一组", "二组", "三组", "四组", "五组"}

// sheetPath is the demo village's closed October.
const sheetPath = "/closes/" + village + "/2026-10"

// demoSheetSite is the pages over the demo database (a village of 300
// with a year of records) with October closed, and a clerk "clerk" who
// closes months, with the test password.
func demoSheetSite(t *testing.T) *site {
	t.Helper()
	s := &site{t: t, clock: &clock{}, log: &logBuffer{}}
	s.clock.t = mustShanghai(t, 2026, 11, 26)
	s.admin = ledger.WithPurpose(ledger.WithActor(t.Context(), &tally.Actor{Name: "test-admin", Role: tally.Admin}), "test")
	s.path = filepath.Join(t.TempDir(), "demo.db")
	s.db, s.svc = openLedger(t, s.admin, s.path, s.clock.Now)
	if _, err := demo.Build(s.admin, s.svc, demo.Options{Villagers: demoVillagers, Residents: 5, Shops: 4, Now: s.clock.Now()}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.svc.Close(s.admin, village, "2026-10", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.CreateAccount(s.admin, ledger.AccountSpec{Name: "clerk", Role: tally.Recorder, Schemes: []string{village}, Password: password}); err != nil {
		t.Fatal(err)
	}
	pages, err := web.New(s.svc, slog.New(slog.NewJSONHandler(io.Discard, nil)), web.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(pages)
	t.Cleanup(srv.Close)
	s.url = srv.URL
	return s
}

// sheetGroup is one unit's part of a sheet page, as the page shows it.
type sheetGroup struct {
	unit                   string
	names                  []string
	gains, losses, records []int64  // one per person
	total                  [3]int64 // the group's total row: gains, losses, records
}

var (
	groupSection = regexp.MustCompile(`(?s)<section class="unit"[^>]*>(.*?)</section>`)
	groupHeading = regexp.MustCompile(`<h2[^>]*>([^<]*)</h2>`)
	personRow    = regexp.MustCompile(`(?s)<tr class="person">(.*?)</tr>`)
	totalRow     = regexp.MustCompile(`(?s)<tr class="group-total">(.*?)</tr>`)
	personName   = regexp.MustCompile(`<th scope="row">([^<]*)<`)
)

// cell is the number in a row's cell of class name.
func cell(t *testing.T, row, name string) int64 {
	t.Helper()
	m := regexp.MustCompile(`<td class="` + name + `">([^<]*)</td>`).FindStringSubmatch(row)
	if m == nil {
		t.Fatalf("no %s cell in %s", name, row)
	}
	n, err := strconv.ParseInt(strings.TrimSpace(m[1]), 10, 64)
	if err != nil {
		t.Fatalf("%s cell %q: %v", name, m[1], err)
	}
	return n
}

// sheetGroups reads the unit sections of a sheet page.
func sheetGroups(t *testing.T, page string) []sheetGroup {
	t.Helper()
	var out []sheetGroup
	for _, sec := range groupSection.FindAllStringSubmatch(page, -1) {
		h := groupHeading.FindStringSubmatch(sec[1])
		if h == nil {
			t.Fatalf("a unit section without a heading: %.300s", sec[1])
		}
		g := sheetGroup{unit: html.UnescapeString(h[1])}
		for _, row := range personRow.FindAllStringSubmatch(sec[1], -1) {
			n := personName.FindStringSubmatch(row[1])
			if n == nil {
				t.Fatalf("a row without a name: %s", row[1])
			}
			g.names = append(g.names, html.UnescapeString(n[1]))
			g.gains = append(g.gains, cell(t, row[1], "gains"))
			g.losses = append(g.losses, cell(t, row[1], "losses"))
			g.records = append(g.records, cell(t, row[1], "records"))
		}
		tr := totalRow.FindStringSubmatch(sec[1])
		if tr == nil {
			t.Fatalf("unit %s has no total row", g.unit)
		}
		g.total = [3]int64{cell(t, tr[1], "gains"), cell(t, tr[1], "losses"), cell(t, tr[1], "records")}
		out = append(out, g)
	}
	return out
}

func sum(ns []int64) int64 {
	var s int64
	for _, n := range ns {
		s += n
	}
	return s
}

// The whole sheet shows every villager once, under their unit, the units
// in order (一组 to 五组), names in pinyin order, and a total row per unit
// that adds up its rows; the units' totals add up to the CSV's.
func TestSheetGroupedByUnit(t *testing.T) {
	s := demoSheetSite(t)
	clerk := s.signIn("clerk", "zh")
	clerk.get(sheetPath + "?group=all")
	if clerk.status != 200 {
		t.Fatalf("whole sheet: %d %.300s", clerk.status, clerk.page)
	}
	groups := sheetGroups(t, clerk.page)
	var units []string
	people := 0
	var gains, losses, records int64
	zh := collate.New(language.Chinese, collate.Numeric)
	for _, g := range groups {
		units = append(units, g.unit)
		people += len(g.names)
		for i := 1; i < len(g.names); i++ {
			if zh.CompareString(g.names[i-1], g.names[i]) > 0 {
				t.Errorf("unit %s: %s before %s, want pinyin order", g.unit, g.names[i-1], g.names[i])
			}
		}
		if got := [3]int64{sum(g.gains), sum(g.losses), sum(g.records)}; got != g.total {
			t.Errorf("unit %s: total row %v, its rows add up to %v", g.unit, g.total, got)
		}
		gains, losses, records = gains+g.total[0], losses+g.total[1], records+g.total[2]
	}
	if strings.Join(units, " ") != strings.Join(demoUnits, " ") {
		t.Errorf("units %v, want %v", units, demoUnits)
	}
	if people != demoVillagers {
		t.Errorf("%d people on the sheet, want %d", people, demoVillagers)
	}
	if gains == 0 || losses == 0 {
		t.Errorf("October's gains %d and losses %d: want some of each", gains, losses)
	}
	clerk.get(sheetPath + "/sheet.csv")
	want := "合计,,,,," + strconv.FormatInt(gains, 10) + "," + strconv.FormatInt(losses, 10) + ",,,,,,," + strconv.FormatInt(records, 10)
	if !strings.Contains(clerk.page, want) {
		t.Errorf("the CSV's total line is not the units' totals %q:\n%s", want, clerk.page[max(0, len(clerk.page)-300):])
	}
}

// On a phone the sheet shows one unit at a time: the first by default,
// the others through a picker that names each unit; an unknown unit is
// not found. The headings are in the reader's language.
func TestSheetOneUnitAPage(t *testing.T) {
	s := demoSheetSite(t)
	clerk := s.signIn("clerk", "zh")
	clerk.get(sheetPath)
	if g := sheetGroups(t, clerk.page); len(g) != 1 || g[0].unit != demoUnits[0] {
		t.Errorf("the sheet's first page shows %d units, want only %s", len(g), demoUnits[0])
	}
	for i, u := range demoUnits {
		clerk.has("unit picker", `href="`+sheetPath+`?group=`+strconv.Itoa(i+1)+`"`, ">"+u)
	}
	clerk.has("print link", `href="`+sheetPath+`?group=all"`, "打印整表")
	clerk.get(sheetPath + "?group=3")
	if g := sheetGroups(t, clerk.page); len(g) != 1 || g[0].unit != demoUnits[2] {
		t.Errorf("?group=3 shows %+v, want only %s", g, demoUnits[2])
	}
	clerk.has("group total", "本组合计")
	clerk.get(sheetPath + "?group=6")
	if clerk.status != 404 {
		t.Errorf("?group=6 of 5: %d, want 404", clerk.status)
	}
	en := s.signIn("clerk", "en")
	en.get(sheetPath + "?group=2")
	en.has("English sheet", "Print the whole sheet", "Unit total")
}

// mustShanghai is 10:00 on a day in Beijing time.
func mustShanghai(t *testing.T, y int, m time.Month, d int) time.Time {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	return time.Date(y, m, d, 10, 0, 0, 0, loc)
}
