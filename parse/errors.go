package parse

import (
	"errors"
	"io"

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

// RowError is one bad row of an import: nothing of it was written. Line
// is where the fault is (in a workbook, the row number); Column (a count
// of characters from 1; in a workbook the column's number), Cell (in a
// workbook, such as H3) and Field (the column's name) say where in the
// line, when known. The readers of
// this package return the rows that cannot be read as rows; an importer
// reports with the same type the rows whose content it refuses.
type RowError struct {
	Line    int    `json:"line"`
	Column  int    `json:"column,omitempty"`
	Field   string `json:"field,omitempty"`
	Cell    string `json:"cell,omitempty"`
	Ref     string `json:"ref,omitempty"`
	Code    string `json:"code"`
	Message string `json:"message"` // in English
	// Err is the error the row is refused with, when known, so that an
	// edge can say it in the reader's language.
	Err error `json:"-"`
}

// Say is why the row is refused, in tr's language.
func (b RowError) Say(tr tally.Translator) string {
	var r tally.Renderer
	if errors.As(b.Err, &r) {
		return r.Render(tr)
	}
	return b.Message
}

// Where says where a row is wrong and why, as "line 3, column 14
// (facts): reason", or in a workbook "row 3, cell H3 (facts): reason".
func (b RowError) Where() string { return b.Render(tally.English) }

// Render says where the row is wrong and why, as Where does, in tr's
// language.
func (b RowError) Render(tr tally.Translator) string {
	at := tr("line %d", b.Line)
	if b.Cell != "" {
		at = tr("row %d, cell %s", b.Line, b.Cell)
	} else if b.Column > 0 {
		at = tr("line %d, column %d", b.Line, b.Column)
	}
	if b.Field != "" {
		return tr("%s (%s): %s", at, b.Field, b.Say(tr))
	}
	return tr("%s: %s", at, b.Say(tr))
}

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

func (e *FileError) Error() string { return e.Render(tally.English) }

// Render says what Error says in tr's language.
func (e *FileError) Render(tr tally.Translator) string {
	if len(e.Bad) == 0 {
		return tr("the file is malformed; nothing was imported")
	}
	if e.Count > 1 {
		return tr("the file is malformed, so nothing was imported: %s (and %d more malformed rows)", e.Bad[0].Render(tr), e.Count-1)
	}
	return tr("the file is malformed, so nothing was imported: %s", e.Bad[0].Render(tr))
}

// As lets errors.As find an EInvalid *tally.Error in a FileError, so each
// edge maps it as it maps any bad input.
func (e *FileError) As(target any) bool {
	if t, ok := target.(**tally.Error); ok {
		*t = &tally.Error{Code: tally.EInvalid, Message: e.Error(), Format: "%s", Args: []any{e}}
		return true
	}
	return false
}

// Row is what every row of a file has: the line it starts on and, when it
// cannot be read as a row, why (Bad).
type Row struct {
	Line int
	Bad  *RowError
}

// Malformed returns why the row cannot be read as a row, or nil.
func (r Row) Malformed() *RowError { return r.Bad }

// Check reads every row next gives, to io.EOF, and returns a *FileError
// listing the malformed ones, if any; any other error of the reading is
// returned as it is. An importer checks its whole file this way before it
// writes anything.
func Check[T interface{ Malformed() *RowError }](next func() (T, error)) error {
	var m malformed
	for {
		rw, err := next()
		if err == io.EOF {
			return m.err()
		}
		if err != nil {
			return err
		}
		m.add(rw.Malformed())
	}
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
	err := tally.Errorf(tally.EInvalid, format, args...)
	return &RowError{Line: line, Column: column, Field: field, Code: string(tally.EInvalid), Message: err.Message, Err: err}
}
