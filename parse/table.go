package parse

import (
	"bufio"
	"strings"
)

// table is a file of rows under a header row: CSV or an Excel workbook.
type table interface {
	// next returns the next row's cells and its line (a spreadsheet's
	// row number), io.EOF at the end. A row that cannot be read as a row
	// comes back as bad, with no cells; any other error (the input
	// failing) is returned as it is.
	next() (cells []string, line int, bad *RowError, err error)
	// get returns the cell of a row in the column of that English name,
	// trimmed; "" when the file has no such column.
	get(cells []string, name string) string
}

// newTable reads the header of a CSV file or a workbook.
func newTable(br *bufio.Reader, format Format, h headers) (table, error) {
	if format == XLSX {
		return newXLSXRows(br, h)
	}
	return newCSVRows(br, h)
}

// cell returns cells[i] trimmed, "" past the end.
func cell(cells []string, i int, ok bool) string {
	if ok && i < len(cells) {
		return strings.TrimSpace(cells[i])
	}
	return ""
}
