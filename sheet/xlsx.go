package sheet

import (
	"io"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// WriteXLSX writes the sheet as an Excel workbook with three worksheets,
// headers and sheet names in lang: the sheet (as WriteCSV, numbers as
// numbers), the totals per unit and category (as WriteTotalsCSV) and the
// late records (with whether an objection to each is open). Rows are streamed into the workbook (excelize spills a
// large worksheet to a temporary file); the finished workbook is held
// compressed in memory while it is written out. The same close gives the
// same bytes.
func WriteXLSX(w io.Writer, s *ledger.Sheet, rows Rows, lang string) error {
	f := excelize.NewFile()
	defer f.Close()
	f.SetZipWriter(newSortedZip)
	names := []string{s.Period, tally.Text{Zh: "汇总", En: "totals"}.In(lang), tally.Text{Zh: "补录", En: "late"}.In(lang)}
	if err := f.SetSheetName(f.GetSheetName(0), names[0]); err != nil {
		return err
	}
	for _, n := range names[1:] {
		if _, err := f.NewSheet(n); err != nil {
			return err
		}
	}
	ws, err := newWorksheet(f, names[0], sheetColumns, lang)
	if err != nil {
		return err
	}
	var sum sheetSum
	err = rows(func(r *tally.CloseRow) error {
		sum.add(r)
		return ws.row(Line(r, lang))
	})
	if err != nil {
		return err
	}
	if err := ws.row(sum.line(lang)); err != nil {
		return err
	}
	if err := ws.flush(); err != nil {
		return err
	}
	if ws, err = newWorksheet(f, names[1], totalsColumns, lang); err != nil {
		return err
	}
	for _, t := range TotalLines(s, lang) {
		if err := ws.row(t); err != nil {
			return err
		}
	}
	if err := ws.flush(); err != nil {
		return err
	}
	if ws, err = newWorksheet(f, names[2], lateColumns, lang); err != nil {
		return err
	}
	for _, l := range s.Late {
		if err := ws.row([]string{itoa(l.ID), l.Subject, l.Rule, l.HappenedAt.Format(time.RFC3339), l.RecordedAt.Format(time.RFC3339), itoa(l.Awarded), yesNo(l.Disputed, lang)}); err != nil {
			return err
		}
	}
	if err := ws.flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

// worksheet streams one worksheet's rows.
type worksheet struct {
	sw   *excelize.StreamWriter
	cols columns
	n    int
}

// newWorksheet starts a worksheet with the header of cols in lang.
func newWorksheet(f *excelize.File, name string, cols columns, lang string) (*worksheet, error) {
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return nil, err
	}
	ws := &worksheet{sw: sw, cols: cols}
	return ws, ws.row(cols.header(lang))
}

// row writes cells: integers in the numeric columns as numbers, every
// other cell as a string made safe by tally.SafeCell. excelize writes a
// string as an inline string, which a spreadsheet never runs as a
// formula; the quote keeps it safe when the workbook is saved again as
// CSV, and makes the two formats agree.
func (ws *worksheet) row(cells []string) error {
	ws.n++
	values := make([]any, len(cells))
	for i, c := range ws.cols.safe(cells) {
		if c == "" {
			continue
		}
		values[i] = c
		if ws.n > 1 && i < len(ws.cols) && ws.cols[i].numeric {
			if n, err := strconv.ParseInt(c, 10, 64); err == nil {
				values[i] = n
			}
		}
	}
	cell, err := excelize.CoordinatesToCellName(1, ws.n)
	if err != nil {
		return err
	}
	return ws.sw.SetRow(cell, values)
}

func (ws *worksheet) flush() error { return ws.sw.Flush() }
