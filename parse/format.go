// Package parse reads the files an importer is given (records, list
// entries, subjects; CSV, JSON Lines or an Excel workbook) into rows of
// text, each with its line (a spreadsheet's row number), and tells a row that cannot be read as a row, with its line,
// column and field, from a good one. It knows no database and no use
// case: what a row means is the ledger's to decide.
package parse

import (
	"bufio"
	"bytes"
	"io"
	"path/filepath"
	"strings"

	"github.com/tallycredit/tally"
)

// Format is the layout of an import file.
type Format string

// The import formats.
const (
	CSV   Format = "csv"   // a header of column names, then a row a line
	JSONL Format = "jsonl" // one JSON object a line, with the same names
	XLSX  Format = "xlsx"  // an Excel workbook: its first sheet, a header row, then a row a row
)

// zipSignature starts every zip file, so every .xlsx workbook.
const zipSignature = "PK\x03\x04"

// FormatOf returns the format a file's name (its extension) or a content
// type says, "" when neither tells.
func FormatOf(name, contentType string) Format {
	mediaType, _, _ := strings.Cut(strings.ToLower(contentType), ";")
	switch strings.TrimSpace(mediaType) {
	case "text/csv":
		return CSV
	case "application/x-ndjson", "application/jsonl", "application/x-jsonlines":
		return JSONL
	case "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":
		return XLSX
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv":
		return CSV
	case ".jsonl", ".ndjson":
		return JSONL
	case ".xlsx":
		return XLSX
	}
	return ""
}

// detectFormat reads the format from the first bytes when it is not
// given: a zip is a workbook, "{" JSON Lines, anything else CSV.
func detectFormat(br *bufio.Reader, format Format) Format {
	if format != "" {
		return format
	}
	head, _ := br.Peek(512)
	if bytes.HasPrefix(head, []byte(zipSignature)) {
		return XLSX
	}
	if t := bytes.TrimLeft(head, " \t\r\n\ufeff"); len(t) > 0 && t[0] == '{' {
		return JSONL
	}
	return CSV
}

// Sniff returns the format r's first bytes show (as an importer reads a
// file whose format is not given) and a reader that still yields all of r:
// for a caller that must name the format before it hands the file on,
// such as a client sending it to a server.
func Sniff(r io.Reader) (Format, io.Reader) {
	br := bufio.NewReaderSize(r, MaxRowBytes)
	return detectFormat(br, ""), br
}

// open buffers r and picks its format: format when given, else the one
// its first character shows. An unknown format is an EInvalid error on
// the field format.
func open(r io.Reader, format Format) (*bufio.Reader, Format, error) {
	br := bufio.NewReaderSize(r, MaxRowBytes)
	switch f := detectFormat(br, format); f {
	case CSV, JSONL, XLSX:
		return br, f, nil
	}
	return nil, "", tally.FieldErrorf("format", "unknown import format %q (want csv, jsonl or xlsx)", format)
}
