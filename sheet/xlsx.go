package sheet

import (
	"archive/zip"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// WriteXLSX writes the sheet as an Office Open XML workbook with three
// worksheets: the sheet (as WriteCSV, numbers as numbers), the totals per
// unit and category (as WriteTotalsCSV) and the late records. It streams
// the rows, so a million subjects need no more memory than ten. The
// workbook is written with archive/zip and encoding/xml: the format's
// minimal parts are few, and a spreadsheet library would be a large
// dependency for them. The same close gives the same bytes.
func WriteXLSX(w io.Writer, s *ledger.Sheet, rows Rows, lang string) error {
	z := zip.NewWriter(w)
	names := []string{s.Period, "totals", "late"}
	if err := writeParts(z, names); err != nil {
		return err
	}
	ws, err := newWorksheet(z, 1)
	if err != nil {
		return err
	}
	ws.row(Header, nil)
	var gains, losses, records int64
	err = rows(func(r *tally.CloseRow) error {
		gains, losses, records = gains+r.Gains, losses+r.Losses, records+r.Records
		ws.row(Line(r), sheetColumns)
		return ws.err
	})
	if err != nil {
		return err
	}
	total := make([]string, len(Header))
	total[0], total[5], total[6], total[13] = "TOTAL", itoa(gains), itoa(losses), itoa(records)
	ws.row(total, sheetColumns)
	if err := ws.close(); err != nil {
		return err
	}
	if ws, err = newWorksheet(z, 2); err != nil {
		return err
	}
	ws.row(TotalsHeader, nil)
	for _, t := range TotalLines(s, lang) {
		ws.row(t, totalsColumns)
	}
	if err := ws.close(); err != nil {
		return err
	}
	if ws, err = newWorksheet(z, 3); err != nil {
		return err
	}
	ws.row([]string{"record", "subject", "rule", "happened_at", "recorded_at", "awarded"}, nil)
	for _, l := range s.Late {
		ws.row([]string{itoa(l.ID), l.Subject, l.Rule, l.HappenedAt.Format(time.RFC3339), l.RecordedAt.Format(time.RFC3339), itoa(l.Awarded)}, lateColumns)
	}
	if err := ws.close(); err != nil {
		return err
	}
	return z.Close()
}

// epoch is the fixed modification time of every part, so that the same
// content gives the same bytes.
var epoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

func create(z *zip.Writer, name string) (io.Writer, error) {
	return z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: epoch})
}

// writeParts writes the package's fixed parts for the named worksheets.
func writeParts(z *zip.Writer, names []string) error {
	var types, sheets, rels strings.Builder
	for i, n := range names {
		fmt.Fprintf(&types, `<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`, i+1)
		fmt.Fprintf(&sheets, `<sheet name="%s" sheetId="%d" r:id="rId%d"/>`, escape(n), i+1, i+1)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>`, i+1, i+1)
	}
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", xml.Header + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
			types.String() + `</Types>`},
		{"_rels/.rels", xml.Header + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", xml.Header + `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>` +
			sheets.String() + `</sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", xml.Header + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			rels.String() + `</Relationships>`},
	}
	for _, p := range parts {
		f, err := create(z, p.name)
		if err != nil {
			return err
		}
		if _, err := io.WriteString(f, p.body); err != nil {
			return err
		}
	}
	return nil
}

// worksheet streams one worksheet's rows; the first error sticks.
type worksheet struct {
	w   io.Writer
	n   int
	err error
}

func newWorksheet(z *zip.Writer, i int) (*worksheet, error) {
	f, err := create(z, fmt.Sprintf("xl/worksheets/sheet%d.xml", i))
	if err != nil {
		return nil, err
	}
	ws := &worksheet{w: f}
	_, ws.err = io.WriteString(f, xml.Header+`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	return ws, ws.err
}

// row writes cells: integers in the numeric columns of kinds as numbers,
// everything else as inline text made safe by tally.SafeCell. An inline
// string is never a formula in a workbook; the quote keeps it safe when
// the workbook is saved again as CSV, and makes the two formats agree.
func (ws *worksheet) row(cells []string, kinds columns) {
	if ws.err != nil {
		return
	}
	ws.n++
	var b strings.Builder
	fmt.Fprintf(&b, `<row r="%d">`, ws.n)
	for i, c := range cells {
		ref := column(i) + strconv.Itoa(ws.n)
		if c == "" {
			continue
		}
		numeric := i < len(kinds) && kinds[i]
		if !numeric {
			c = tally.SafeCell(c)
		}
		if _, err := strconv.ParseInt(c, 10, 64); err == nil && numeric {
			fmt.Fprintf(&b, `<c r="%s"><v>%s</v></c>`, ref, c)
		} else {
			fmt.Fprintf(&b, `<c r="%s" t="inlineStr"><is><t>%s</t></is></c>`, ref, escape(c))
		}
	}
	b.WriteString(`</row>`)
	_, ws.err = io.WriteString(ws.w, b.String())
}

func (ws *worksheet) close() error {
	if ws.err != nil {
		return ws.err
	}
	_, err := io.WriteString(ws.w, `</sheetData></worksheet>`)
	return err
}

// column is a column's letters: 0 is A, 25 Z, 26 AA.
func column(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

func escape(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}
