package parse

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/tallycredit/tally"
)

var errRowTooLong = errors.New("row too long")

// rawReader feeds a csv.Reader and keeps the bytes it has taken since the
// end of the last row it returned, so that a malformed row's positions
// can be found in its text and no row grows past MaxRowBytes.
type rawReader struct {
	r     io.Reader
	raw   []byte // the input from offset start on
	start int64  // the offset of raw[0]
	line  int    // the line number of raw[0]
	eof   bool
	err   error // errRowTooLong, once met
}

func (s *rawReader) Read(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	if len(s.raw) > MaxRowBytes {
		s.err = errRowTooLong
		return 0, s.err
	}
	n, err := s.r.Read(p)
	s.raw = append(s.raw, p[:n]...)
	if err == io.EOF {
		s.eof = true
	}
	return n, err
}

// advance forgets the input before offset, counting its lines.
func (s *rawReader) advance(offset int64) {
	k := int(offset - s.start)
	if k <= 0 || k > len(s.raw) {
		return
	}
	s.line += bytes.Count(s.raw[:k], []byte{'\n'})
	s.raw = s.raw[k:]
	s.start = offset
}

// csvRows reads the rows of a CSV import file after its header, keeping
// each within MaxRowBytes and telling a malformed row, with its line,
// column and field, from a good one.
type csvRows struct {
	cr     *csv.Reader
	src    *rawReader
	header []string
	col    map[string]int
	done   bool
}

// newCSVRows reads the header, as h.columns says.
func newCSVRows(r io.Reader, h headers) (*csvRows, error) {
	src := &rawReader{r: r, line: 1}
	cr := csv.NewReader(src)
	cr.FieldsPerRecord = -1
	c := &csvRows{cr: cr, src: src}
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, errRowTooLong) {
			err = fmt.Errorf("longer than %d bytes", MaxRowBytes)
		}
		return nil, &tally.Error{Code: tally.EInvalid, Line: 1, Message: fmt.Sprintf("cannot read the CSV header: %v", err)}
	}
	if c.col, c.header, err = h.columns(header, 1, false); err != nil {
		return nil, err
	}
	src.advance(cr.InputOffset())
	return c, nil
}

func (c *csvRows) get(rec []string, name string) string {
	i, ok := c.col[name]
	return cell(rec, i, ok)
}

// next returns the next row and its first line, io.EOF at the end. A
// malformed row comes back as bad, with no record; any other error (the
// input failing) is returned as it is.
func (c *csvRows) next() (rec []string, line int, bad *RowError, err error) {
	if c.done {
		return nil, 0, nil, io.EOF
	}
	rec, err = c.cr.Read()
	if err == io.EOF {
		return nil, 0, nil, io.EOF
	}
	first := c.src.line // the line of the row's text, blank lines before it included
	text := c.src.raw
	if n := int(c.cr.InputOffset() - c.src.start); n >= 0 && n <= len(text) {
		text = text[:n]
	}
	defer c.src.advance(c.cr.InputOffset())
	var pe *csv.ParseError
	switch {
	case errors.As(err, &pe):
		return nil, pe.StartLine, c.quoteError(pe, rec, text, first), nil
	case errors.Is(err, errRowTooLong):
		c.done = true
		line, col := c.fieldStart(text, first, len(rec))
		if line == 0 {
			line = first + leadingBlankLines(text)
		}
		return nil, line, badRow(line, col, c.name(len(rec)),
			"the row is longer than %d bytes (is a quote left open?); the rest of the file was not read", MaxRowBytes), nil
	case err != nil:
		return nil, 0, nil, err
	}
	line, _ = c.cr.FieldPos(0)
	if len(text) > MaxRowBytes { // read whole, but over the bound all the same
		return nil, line, badRow(line, 0, "", "the row is longer than %d bytes", MaxRowBytes), nil
	}
	if len(rec) != len(c.header) {
		b := badRow(line, 0, "", "has %d fields, the header %d (%s)", len(rec), len(c.header), strings.Join(c.header, ","))
		if len(rec) > len(c.header) {
			l, byteCol := c.cr.FieldPos(len(c.header))
			b.Line, b.Column = l, charColumn(text, first, l, byteCol)
		}
		return nil, line, b, nil
	}
	return rec, line, nil, nil
}

// quoteError describes a quote out of place. A quote never closed is
// reported where it opens, not at the end of the file where it is found.
func (c *csvRows) quoteError(pe *csv.ParseError, rec []string, text []byte, first int) *RowError {
	field := c.name(len(rec))
	if errors.Is(pe.Err, csv.ErrQuote) && c.src.eof && len(c.src.raw) == len(text) {
		if line, col := c.fieldStart(text, first, len(rec)); line > 0 {
			return badRow(line, col, field, "a quote opens this field and is never closed")
		}
	}
	col := charColumn(text, first, pe.Line, pe.Column)
	if errors.Is(pe.Err, csv.ErrBareQuote) {
		return badRow(pe.Line, col, field, "a quote inside a field that does not start with one (put the field in quotes and double the quote: \"\")")
	}
	return badRow(pe.Line, col, field, "a quote inside a quoted field must be doubled (\"\") or end the field")
}

// name is the header name of column i, "" past the header.
func (c *csvRows) name(i int) string {
	if i < len(c.header) {
		return c.header[i]
	}
	return ""
}

// fieldStart finds where field k of a row begins, reading the row's text
// with lazy quotes, which reads every well-formed field as the strict
// reader does and an open quote to the end. It returns line 0 when the
// row has no field k.
func (c *csvRows) fieldStart(text []byte, first, k int) (line, col int) {
	lr := csv.NewReader(bytes.NewReader(text))
	lr.FieldsPerRecord, lr.LazyQuotes = -1, true
	rec, err := lr.Read()
	if err != nil && !errors.Is(err, io.EOF) || k >= len(rec) {
		return 0, 0
	}
	l, byteCol := lr.FieldPos(k)
	line = first + l - 1
	return line, charColumn(text, first, line, byteCol)
}

// charColumn turns a 1-based byte column of line (text starts at line
// first) into a 1-based count of characters, as an editor shows it.
func charColumn(text []byte, first, line, byteCol int) int {
	for i := first; i < line; i++ {
		nl := bytes.IndexByte(text, '\n')
		if nl < 0 {
			return byteCol
		}
		text = text[nl+1:]
	}
	if byteCol < 1 || byteCol-1 > len(text) {
		return byteCol
	}
	return utf8.RuneCount(text[:byteCol-1]) + 1
}

// leadingBlankLines counts the empty lines a CSV reader skips at the start
// of text.
func leadingBlankLines(text []byte) int {
	n := 0
	for {
		switch {
		case bytes.HasPrefix(text, []byte("\n")):
			text = text[1:]
		case bytes.HasPrefix(text, []byte("\r\n")):
			text = text[2:]
		default:
			return n
		}
		n++
	}
}
