package sheet_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/sheet"
)

// What a person may type that a spreadsheet would run as a formula.
var formulas = []string{`=HYPERLINK("http://x","y")`, "+1+1", "@SUM(A1)", "-2+3", "\tx"}

// hostile is a close whose names, units, grade, category and reward text
// are the formulas above, with negative points in the numeric columns.
func hostile() (*ledger.Sheet, sheet.Rows, []ledger.RewardLine) {
	s := &ledger.Sheet{Close: tally.Close{Scheme: "jiakuang-majia", Period: "2026-10", ClosedAt: time.Unix(0, 0)},
		Totals: []tally.CategoryTotal{{Unit: formulas[1], Category: formulas[3], Losses: -5, Records: 1}}}
	s.Late = []ledger.LateEntry{{Subject: formulas[2]}}
	s.Late[0].Rule, s.Late[0].Awarded = formulas[4], -5
	rows := make([]tally.CloseRow, len(formulas))
	for i, f := range formulas {
		rows[i] = tally.CloseRow{SubjectID: int64(i + 1), Unit: f, Masked: "3604**********0071", Name: f, Grade: f, Scored: true,
			Opening: i64(0), Losses: -5, Closing: i64(-5), Records: 1}
	}
	each := func(fn func(*tally.CloseRow) error) error {
		for i := range rows {
			if err := fn(&rows[i]); err != nil {
				return err
			}
		}
		return nil
	}
	rewards := []ledger.RewardLine{{Reward: formulas[0], Item: tally.Text{Zh: formulas[1], En: formulas[1]},
		Unit: tally.Text{Zh: formulas[2], En: formulas[2]}, Group: formulas[3], Subject: "3604**********0071", Name: formulas[4], Basis: -5, Amount: 1}}
	return s, each, rewards
}

// The numeric columns of the sheet and the totals, with the first row's
// numbers.
var (
	sheetNumbers  = map[int]string{4: "0", 5: "0", 6: "-5", 7: "0", 8: "-5", 9: "", 11: "0", 12: "0", 13: "1"}
	totalsNumbers = map[int]string{3: "0", 4: "-5", 5: "1"}
)

// neutral says whether a cell that held formula text is safe: it starts
// with a single quote followed by the text as entered.
func neutral(cell string) bool {
	if !strings.HasPrefix(cell, "'") {
		return false
	}
	for _, f := range formulas {
		if cell[1:] == f {
			return true
		}
	}
	return false
}

// checkCells checks every cell of a table read back: the numeric columns
// hold the numbers as written, every cell that held formula text is
// neutral, and no cell starts a formula.
func checkCells(t *testing.T, what string, table [][]string, numeric map[int]string) {
	t.Helper()
	if len(table) < 2 {
		t.Fatalf("%s: %d lines, want a header and rows", what, len(table))
	}
	neutralised := 0
	for r, line := range table[1:] {
		for c, cell := range line {
			if want, ok := numeric[c]; ok {
				if r == 0 && cell != want {
					t.Errorf("%s: row %d column %d = %q, want the number %s", what, r+2, c+1, cell, want)
				}
				continue
			}
			if strings.HasPrefix(cell, "'") {
				if !neutral(cell) {
					t.Errorf("%s: row %d column %d = %q, a quote not from SafeCell", what, r+2, c+1, cell)
				}
				neutralised++
				continue
			}
			if strings.TrimLeft(cell, " ") != "" && strings.ContainsRune("=+-@\t\r", rune(strings.TrimLeft(cell, " ")[0])) {
				t.Errorf("%s: row %d column %d = %q starts a formula", what, r+2, c+1, cell)
			}
		}
	}
	if neutralised == 0 {
		t.Errorf("%s: no cell was neutralised", what)
	}
}

func readCSV(t *testing.T, b []byte) [][]string {
	t.Helper()
	cr := csv.NewReader(bytes.NewReader(b))
	cr.FieldsPerRecord = -1
	table, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return table
}

// Every CSV export neutralises formula text and keeps its numbers.
func TestCSVExportsNeutraliseFormulas(t *testing.T) {
	s, rows, rewards := hostile()
	var b bytes.Buffer
	if err := sheet.WriteCSV(&b, s, rows, "zh"); err != nil {
		t.Fatal(err)
	}
	table := readCSV(t, b.Bytes())
	checkCells(t, "sheet", table[:len(table)-1], sheetNumbers)
	for r, line := range table[1 : len(table)-1] {
		if line[0] != "'"+formulas[r] || line[2] != "'"+formulas[r] || line[10] != "'"+formulas[r] {
			t.Errorf("sheet row %d = %q, want unit, name and grade %q behind a quote", r+2, line, formulas[r])
		}
	}
	b.Reset()
	if err := sheet.WriteTotalsCSV(&b, s, "zh"); err != nil {
		t.Fatal(err)
	}
	checkCells(t, "totals", readCSV(t, b.Bytes()), totalsNumbers)
	b.Reset()
	if err := sheet.WriteRewardsCSV(&b, rewards, "zh"); err != nil {
		t.Fatal(err)
	}
	table = readCSV(t, b.Bytes())
	checkCells(t, "rewards", table, map[int]string{2: "1", 7: "-5"})
	if got := table[1]; got[0] != "'"+formulas[0] || got[6] != "'"+formulas[4] {
		t.Errorf("rewards row = %q, want the reward and name behind a quote", got)
	}
}

// Every worksheet of the workbook neutralises formula text as text cells
// (never a formula), and keeps numbers as numbers.
func TestXLSXNeutralisesFormulas(t *testing.T) {
	s, rows, _ := hostile()
	var b bytes.Buffer
	if err := sheet.WriteXLSX(&b, s, rows, "zh"); err != nil {
		t.Fatal(err)
	}
	z, err := zip.NewReader(bytes.NewReader(b.Bytes()), int64(b.Len()))
	if err != nil {
		t.Fatal(err)
	}
	for _, part := range []struct {
		name    string
		numeric map[int]string
	}{
		{"xl/worksheets/sheet1.xml", sheetNumbers},
		{"xl/worksheets/sheet2.xml", totalsNumbers},
		{"xl/worksheets/sheet3.xml", map[int]string{0: "0", 5: "-5"}},
	} {
		f, err := z.Open(part.name)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(f)
		f.Close()
		table, kinds := readWorksheet(t, body)
		checkCells(t, part.name, table, part.numeric)
		for c, want := range part.numeric {
			if k := kinds[1][c]; want != "" && k != "n" {
				t.Errorf("%s: row 2 column %d is a %q cell, want a number", part.name, c+1, k)
			}
		}
		for r, line := range kinds {
			for c, k := range line {
				if _, isNum := part.numeric[c]; !isNum && k != "" && k != "inlineStr" {
					t.Errorf("%s: row %d column %d is a %q cell, want inline text", part.name, r+1, c+1, k)
				}
			}
		}
	}
}

// readWorksheet reads a worksheet's cells by row and column, with each
// cell's kind: "n" for a number, "inlineStr" for text, "f" for a formula.
func readWorksheet(t *testing.T, body []byte) (cells, kinds [][]string) {
	t.Helper()
	var ws struct {
		Rows []struct {
			Cells []struct {
				Ref     string    `xml:"r,attr"`
				Type    string    `xml:"t,attr"`
				Value   string    `xml:"v"`
				Text    string    `xml:"is>t"`
				Formula *struct{} `xml:"f"`
			} `xml:"c"`
		} `xml:"sheetData>row"`
	}
	if err := xml.Unmarshal(body, &ws); err != nil {
		t.Fatal(err)
	}
	for _, r := range ws.Rows {
		var line, kind []string
		for _, c := range r.Cells {
			col := 0
			for _, ch := range c.Ref {
				if ch >= 'A' && ch <= 'Z' {
					col = col*26 + int(ch-'A'+1)
				}
			}
			for len(line) < col {
				line, kind = append(line, ""), append(kind, "")
			}
			switch {
			case c.Formula != nil:
				line[col-1], kind[col-1] = c.Value, "f"
			case c.Type == "inlineStr":
				line[col-1], kind[col-1] = c.Text, "inlineStr"
			default:
				line[col-1], kind[col-1] = c.Value, "n"
			}
		}
		cells, kinds = append(cells, line), append(kinds, kind)
	}
	return cells, kinds
}

// Excel reading the workbook finds no formula in any cell: each text cell
// is a string holding the text behind a quote, each number a number, and
// the headers and sheet names are in the language asked for.
func TestXLSXReadBackHasNoFormula(t *testing.T) {
	s, rows, _ := hostile()
	for _, tc := range []struct{ lang, totals, name string }{{"zh", "汇总", "姓名"}, {"en", "totals", "name"}} {
		var b bytes.Buffer
		if err := sheet.WriteXLSX(&b, s, rows, tc.lang); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(&b)
		if err != nil {
			t.Fatal(err)
		}
		if got := f.GetSheetList(); len(got) != 3 || got[0] != "2026-10" || got[1] != tc.totals {
			t.Errorf("%s: sheets %q, want 2026-10, %s and the late records", tc.lang, got, tc.totals)
		}
		if v, _ := f.GetCellValue("2026-10", "C1"); v != tc.name {
			t.Errorf("%s: header C1 = %q, want %q", tc.lang, v, tc.name)
		}
		for r := range formulas {
			for _, col := range []string{"A", "C", "K"} {
				ref := fmt.Sprintf("%s%d", col, r+2)
				formula, _ := f.GetCellFormula("2026-10", ref)
				kind, _ := f.GetCellType("2026-10", ref)
				v, _ := f.GetCellValue("2026-10", ref)
				if formula != "" || kind != excelize.CellTypeInlineString || v != "'"+formulas[r] {
					t.Errorf("%s: %s is a %v cell %q with formula %q, want the string %q", tc.lang, ref, kind, v, formula, "'"+formulas[r])
				}
			}
			if kind, _ := f.GetCellType("2026-10", fmt.Sprintf("G%d", r+2)); kind != excelize.CellTypeUnset && kind != excelize.CellTypeNumber {
				t.Errorf("%s: G%d is a %v cell, want a number", tc.lang, r+2, kind)
			}
		}
		f.Close()
	}
}
