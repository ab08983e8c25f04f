// Package parse reads the files an importer is given (records, list
// entries, subjects; CSV or JSON Lines) into rows of text, each with its
// line, and tells a row that cannot be read as a row, with its line,
// column and field, from a good one. It knows no database and no use
// case: what a row means is the ledger's to decide.
package parse

import (
	"bufio"
	"bytes"
	"io"

	"github.com/tallycredit/tally"
)

// Format is the layout of an import file.
type Format string

// The import formats.
const (
	CSV   Format = "csv"   // a header of column names, then a row a line
	JSONL Format = "jsonl" // one JSON object a line, with the same names
)

// detectFormat reads the format from the first character when it is not
// given: "{" is JSON Lines, anything else CSV.
func detectFormat(br *bufio.Reader, format Format) Format {
	if format != "" {
		return format
	}
	head, _ := br.Peek(512)
	if t := bytes.TrimLeft(head, " \t\r\n\ufeff"); len(t) > 0 && t[0] == '{' {
		return JSONL
	}
	return CSV
}

// open buffers r and picks its format: format when given, else the one
// its first character shows. An unknown format is an EInvalid error on
// the field format.
func open(r io.Reader, format Format) (*bufio.Reader, Format, error) {
	br := bufio.NewReaderSize(r, MaxRowBytes)
	switch f := detectFormat(br, format); f {
	case CSV, JSONL:
		return br, f, nil
	}
	return nil, "", tally.FieldErrorf("format", "unknown import format %q (want csv or jsonl)", format)
}
