package parse

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/tallycredit/tally"
)

// MaxWorkbookBytes is the largest .xlsx file an import reads. A zip is
// read from its end, so the whole file is held in memory.
const MaxWorkbookBytes = 16 << 20

// MaxWorkbookUnzipped is the most bytes a workbook's parts may unzip to,
// as their sizes are declared (the zip reader fails a part that inflates
// past its declared size). A part over maxWorkbookXMLInMemory is unzipped
// to a temporary file rather than memory, so a zip bomb is refused before
// it fills either.
const MaxWorkbookUnzipped = 256 << 20

// maxWorkbookXMLInMemory is the largest part of a workbook unzipped into
// memory.
const maxWorkbookXMLInMemory = 16 << 20

// MaxWorkbookRows is the most rows the first sheet of a workbook may
// have, Excel's own limit; a row numbered past it refuses the file.
const MaxWorkbookRows = 1 << 20

// dateColumns are the columns that hold a date or a time: Excel keeps a
// date typed into a cell as a number of days, which is read back as the
// date it shows.
var dateColumns = map[string]bool{"at": true, "decided": true, "notice": true}

// xlsxRows reads the rows of the first sheet of an Excel workbook: the
// first row that is not blank is the header, and each row's line is its
// row number in the sheet.
type xlsxRows struct {
	f      *excelize.File
	rows   *excelize.Rows
	n      int      // the number of the row last read
	header []string // the English name of each column, "" for none
	col    map[string]int
	done   bool
}

// newXLSXRows opens a workbook read from r, within MaxWorkbookBytes and
// MaxWorkbookUnzipped, and reads its header as h.columns says, a blank
// header cell naming no column.
func newXLSXRows(r io.Reader, h headers) (*xlsxRows, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxWorkbookBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxWorkbookBytes {
		return nil, fileError("the workbook is larger than %d MiB; split it or save it as CSV", MaxWorkbookBytes>>20)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: MaxWorkbookUnzipped, UnzipXMLSizeLimit: maxWorkbookXMLInMemory})
	if err != nil {
		return nil, fileError("cannot read the Excel workbook (.xlsx): %v", err)
	}
	x := &xlsxRows{f: f}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		x.close()
		return nil, fileError("the workbook has no sheet")
	}
	if x.rows, err = f.Rows(sheets[0]); err != nil {
		x.close()
		return nil, fileError("cannot read the first sheet %q: %v", sheets[0], err)
	}
	for {
		cells, err := x.row()
		if err == io.EOF {
			x.close()
			return nil, headerError(1, "the first sheet %q is empty: want a header row", sheets[0])
		}
		if err != nil {
			x.close()
			return nil, headerError(x.n, "cannot read the header row: %v", err)
		}
		if blank(cells) {
			continue
		}
		if x.col, x.header, err = h.columns(cells, x.n, true); err != nil {
			x.close()
			return nil, err
		}
		return x, nil
	}
}

// row reads the next row's cells, as stored, io.EOF after the last.
func (x *xlsxRows) row() ([]string, error) {
	if x.done || !x.rows.Next() {
		if x.rows != nil && x.rows.Error() != nil {
			return nil, x.rows.Error()
		}
		return nil, io.EOF
	}
	x.n++
	if x.n > MaxWorkbookRows {
		return nil, fmt.Errorf("the sheet has more than %d rows", MaxWorkbookRows)
	}
	return x.rows.Columns(excelize.Options{RawCellValue: true})
}

func (x *xlsxRows) next() (cells []string, line int, bad *RowError, err error) {
	for {
		cells, err = x.row()
		if err == io.EOF {
			x.close()
			return nil, 0, nil, io.EOF
		}
		if err != nil {
			x.close()
			return nil, x.n, badRow(x.n, 0, "", "cannot read the row: %v; the rest of the sheet was not read", err), nil
		}
		if !blank(cells) {
			break
		}
	}
	if size := len(strings.Join(cells, "")); size > MaxRowBytes {
		return nil, x.n, badRow(x.n, 0, "", "the row is longer than %d bytes", MaxRowBytes), nil
	}
	for i, v := range cells {
		if strings.TrimSpace(v) == "" {
			continue
		}
		if i >= len(x.header) || x.header[i] == "" {
			return nil, x.n, x.badCell(i, "", "a value in a column with no header"), nil
		}
		if dateColumns[x.header[i]] {
			cells[i] = excelDate(v)
		}
	}
	return cells, x.n, nil, nil
}

// badCell is a malformed row at column i (from 0) of the row last read.
func (x *xlsxRows) badCell(i int, field, format string, args ...any) *RowError {
	b := badRow(x.n, i+1, field, format, args...)
	b.Cell, _ = excelize.CoordinatesToCellName(i+1, x.n)
	return b
}

func (x *xlsxRows) get(cells []string, name string) string {
	i, ok := x.col[name]
	return cell(cells, i, ok)
}

// close lets go of the workbook and its temporary files; the reading
// ends.
func (x *xlsxRows) close() {
	x.done = true
	if x.rows != nil {
		_ = x.rows.Close()
	}
	_ = x.f.Close()
}

// excelDate turns a cell holding an Excel date (a number of days since
// 1899-12-30, the fraction the time of day) into 2006-01-02 or
// 2006-01-02 15:04:05, a wall time the importer reads in its zone. Any
// other value is returned as it is.
func excelDate(v string) string {
	days, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || days <= 0 || days > 2958465 || math.IsNaN(days) { // 9999-12-31
		return v
	}
	t, err := excelize.ExcelDateToTime(days, false)
	if err != nil {
		return v
	}
	t = t.Round(time.Second)
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
		return t.Format(time.DateOnly)
	}
	return t.Format(time.DateTime)
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// fileError refuses a file that is not a workbook of rows at all.
func fileError(format string, args ...any) error {
	return tally.FieldErrorf("file", format, args...)
}
