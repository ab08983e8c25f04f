package main

import (
	"bytes"
	"io"
	"strings"

	"golang.org/x/text/width"
)

// table lays out tab-separated cells in columns, as text/tabwriter does,
// but by display width: a terminal shows a Chinese character, or any
// East Asian wide or full-width one, in two columns, so a table of
// Chinese headers and names lines up. Each line's text after its last tab
// is not part of a column. Write it, then Flush.
type table struct {
	w   io.Writer
	buf bytes.Buffer
}

// tableGap is the space between two columns.
const tableGap = 2

func newTable(w io.Writer) *table { return &table{w: w} }

// Write keeps text for Flush; it never fails.
func (t *table) Write(p []byte) (int, error) { return t.buf.Write(p) }

// Flush writes the lines kept so far with their columns padded.
func (t *table) Flush() error {
	text := t.buf.String()
	t.buf.Reset()
	lines := strings.SplitAfter(text, "\n")
	rows := make([][]string, len(lines))
	var widths []int
	for i, line := range lines {
		rows[i] = strings.Split(line, "\t")
		for j, cell := range rows[i][:len(rows[i])-1] {
			if j == len(widths) {
				widths = append(widths, 0)
			}
			widths[j] = max(widths[j], displayWidth(cell))
		}
	}
	var out strings.Builder
	for _, cells := range rows {
		last := len(cells) - 1
		for j, cell := range cells[:last] {
			out.WriteString(cell)
			out.WriteString(strings.Repeat(" ", widths[j]-displayWidth(cell)+tableGap))
		}
		out.WriteString(cells[last])
	}
	_, err := io.WriteString(t.w, out.String())
	return err
}

// displayWidth is how many columns a terminal gives s: two for an East
// Asian wide or full-width character, one for any other.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}
