package ledger

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/tallycredit/tally"
)

// MaxRowBytes is the most bytes one row of an import file may take. A
// longer row (most often a quote opened and never closed, which swallows
// the rest of the file) makes the file malformed; the bound keeps the
// memory an import needs independent of what it is sent.
const MaxRowBytes = 64 << 10

// MaxListedRows is how many malformed rows a FileError lists; it counts
// them all.
const MaxListedRows = 1000

// FileError refuses an import file that cannot be read as rows: a quote
// never closed or stray inside a field, a row with more or fewer fields
// than the header, a line that is not a JSON object of the known names, a
// row longer than MaxRowBytes. Every importer reads its whole file before
// it writes, so nothing of a refused file was written. errors.As finds an
// EInvalid *tally.Error in it.
type FileError struct {
	Bad   []RowError // the malformed rows in file order, at most MaxListedRows
	Count int        // how many rows are malformed in all
}

func (e *FileError) Error() string {
	if len(e.Bad) == 0 {
		return "the file is malformed; nothing was imported"
	}
	msg := fmt.Sprintf("the file is malformed, so nothing was imported: %s", e.Bad[0].Where())
	if e.Count > 1 {
		msg += fmt.Sprintf(" (and %d more malformed rows)", e.Count-1)
	}
	return msg
}

// As lets errors.As find an EInvalid *tally.Error in a FileError, so each
// edge maps it as it maps any bad input.
func (e *FileError) As(target any) bool {
	if t, ok := target.(**tally.Error); ok {
		*t = &tally.Error{Code: tally.EInvalid, Message: e.Error()}
		return true
	}
	return false
}

// Where says where a row is wrong and why, as "line 3, column 14
// (facts): reason".
func (b RowError) Where() string {
	at := fmt.Sprintf("line %d", b.Line)
	if b.Column > 0 {
		at += fmt.Sprintf(", column %d", b.Column)
	}
	if b.Field != "" {
		at += " (" + b.Field + ")"
	}
	return at + ": " + b.Message
}

// malformed gathers the malformed rows of a file's first reading.
type malformed struct {
	rows  []RowError
	count int
}

func (m *malformed) add(b *RowError) {
	if b == nil {
		return
	}
	m.count++
	if len(m.rows) < MaxListedRows {
		m.rows = append(m.rows, *b)
	}
}

// err is a *FileError when a row was malformed, else nil.
func (m *malformed) err() error {
	if m.count == 0 {
		return nil
	}
	return &FileError{Bad: m.rows, Count: m.count}
}

func badRow(line, column int, field, format string, args ...any) *RowError {
	return &RowError{Line: line, Column: column, Field: field, Code: string(tally.EInvalid), Message: fmt.Sprintf(format, args...)}
}

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

// newCSVRows reads the header: every column must be one of known, and the
// first required of known must be present.
func newCSVRows(r io.Reader, known []string, required int) (*csvRows, error) {
	src := &rawReader{r: r, line: 1}
	cr := csv.NewReader(src)
	cr.FieldsPerRecord = -1
	c := &csvRows{cr: cr, src: src}
	col, header, err := csvHeader(cr, known, required)
	if err != nil {
		return nil, err
	}
	src.advance(cr.InputOffset())
	c.col, c.header = col, header
	return c, nil
}

// csvHeader reads a CSV file's header and returns the index of each column
// by its lower-case name, and the names in order.
func csvHeader(cr *csv.Reader, known []string, required int) (map[string]int, []string, error) {
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, errRowTooLong) {
			err = fmt.Errorf("longer than %d bytes", MaxRowBytes)
		}
		return nil, nil, &tally.Error{Code: tally.EInvalid, Line: 1, Message: fmt.Sprintf("cannot read the CSV header: %v", err)}
	}
	col := map[string]int{}
	names := make([]string, len(header))
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if !contains(known, h) {
			return nil, nil, &tally.Error{Code: tally.EInvalid, Line: 1, Field: "header", Message: fmt.Sprintf("unknown column %q (want %s)", h, strings.Join(known, ", "))}
		}
		if _, twice := col[h]; twice {
			return nil, nil, &tally.Error{Code: tally.EInvalid, Line: 1, Field: "header", Message: fmt.Sprintf("column %q given twice", h)}
		}
		col[h] = i
		names[i] = h
	}
	for _, need := range known[:required] {
		if _, ok := col[need]; !ok {
			return nil, nil, &tally.Error{Code: tally.EInvalid, Line: 1, Field: "header", Message: fmt.Sprintf("missing column %q", need)}
		}
	}
	return col, names, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// get returns column name of a record, trimmed; "" when absent.
func (c *csvRows) get(rec []string, name string) string {
	if i, ok := c.col[name]; ok && i < len(rec) {
		return strings.TrimSpace(rec[i])
	}
	return ""
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

// jsonLines reads a JSON Lines file a line at a time, each within
// MaxRowBytes.
type jsonLines struct {
	br   *bufio.Reader
	line int
}

func newJSONLines(br *bufio.Reader) *jsonLines {
	if br.Size() < MaxRowBytes {
		br = bufio.NewReaderSize(br, MaxRowBytes)
	}
	return &jsonLines{br: br}
}

// next returns the next line that is not blank and its number, io.EOF at
// the end. A line over MaxRowBytes comes back as bad; the reading goes on
// after it.
func (j *jsonLines) next() (text []byte, line int, bad *RowError, err error) {
	for {
		text, err = j.br.ReadSlice('\n')
		j.line++
		if errors.Is(err, bufio.ErrBufferFull) {
			for errors.Is(err, bufio.ErrBufferFull) {
				_, err = j.br.ReadSlice('\n')
			}
			if err != nil && err != io.EOF {
				return nil, 0, nil, err
			}
			return nil, j.line, badRow(j.line, 0, "", "the line is longer than %d bytes", MaxRowBytes), nil
		}
		if len(text) == 0 && err != nil {
			return nil, 0, nil, err
		}
		if err != nil && err != io.EOF {
			return nil, 0, nil, err
		}
		if len(bytes.TrimSpace(text)) > 0 {
			return text, j.line, nil, nil
		}
		if err == io.EOF {
			return nil, 0, nil, io.EOF
		}
	}
}

// decodeLine decodes one JSON Lines row into v, allowing only v's names.
// A line that does not decode is malformed, with the column and field at
// fault where the decoder tells them.
func decodeLine(text []byte, line int, v any, numbers bool) *RowError {
	if t := bytes.TrimLeft(text, " \t\ufeff"); len(t) > 0 && t[0] != '{' {
		return badRow(line, utf8.RuneCount(text[:len(text)-len(t)])+1, "", "not a JSON object: a line of a JSON Lines file is one {...}")
	}
	dec := json.NewDecoder(bytes.NewReader(text))
	dec.DisallowUnknownFields()
	if numbers {
		dec.UseNumber()
	}
	err := dec.Decode(v)
	if err == nil {
		tail := text[dec.InputOffset():]
		if rest := bytes.TrimLeft(tail, " \t\r\n"); len(rest) > 0 {
			off := len(text) - len(rest)
			return badRow(line, utf8.RuneCount(text[:off])+1, "", "text after the row's object")
		}
		return nil
	}
	col := func(off int64) int {
		if off < 0 || int(off) > len(text) {
			return 0
		}
		return utf8.RuneCount(text[:off]) + 1
	}
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return badRow(line, col(se.Offset-1), "", "not a JSON object: %s", strings.TrimPrefix(se.Error(), "json: "))
	case errors.As(err, &te):
		return badRow(line, col(te.Offset-1), te.Field, "want a %s, not a JSON %s", te.Type, te.Value)
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return badRow(line, col(int64(len(bytes.TrimRight(text, " \t\r\n")))), "", "the object is not closed")
	}
	msg := strings.TrimPrefix(err.Error(), "json: ")
	field := ""
	if name, ok := strings.CutPrefix(msg, "unknown field "); ok {
		field = strings.Trim(name, `"`)
		msg = "unknown name " + name
	}
	return badRow(line, 0, field, "%s", msg)
}

// fieldOf is the field an error names, if any.
func fieldOf(err error) string {
	var te *tally.Error
	if errors.As(err, &te) {
		return te.Field
	}
	return ""
}
