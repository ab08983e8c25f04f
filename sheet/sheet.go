// Package sheet writes a closed period's tally sheet as CSV and as an
// Excel workbook (.xlsx). It only formats what the ledger computed
// (ledger.Sheet and its rows) and does no I/O of its own beyond the writer
// it is given; the same close always gives the same bytes.
package sheet

import (
	"fmt"
	"io"
	"strconv"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// Rows yields a close's rows in order; ledger.Service.EachCloseRow fits.
type Rows func(fn func(*tally.CloseRow) error) error

// Line returns a row's cells in the order of Header, yes and no in lang.
// Unscored subjects have empty scores; their gains and losses are still
// shown.
func Line(r *tally.CloseRow, lang string) []string {
	return []string{r.Unit, r.Masked, r.Name, yesNo(r.Scored, lang), num(r.Opening), itoa(r.Gains), itoa(r.Losses),
		scoredNum(r, r.Expired), num(r.Closing), num(r.Change()), r.Grade, scoredNum(r, r.Flags),
		scoredNum(r, r.Stars), itoa(r.Records)}
}

// WriteCSV writes the sheet in lang: a byte order mark and the header,
// one line per subject in the order of rows, and a last line "合计"
// ("TOTAL") with the sums of gains, losses and records (which equal the
// sums of the period's records). A text cell that a spreadsheet would
// take for a formula starts with a single quote (tally.SafeCell); numbers
// are written as they are.
func WriteCSV(w io.Writer, s *ledger.Sheet, rows Rows, lang string) error {
	t, err := newTableCSV(w, sheetColumns, lang)
	if err != nil {
		return err
	}
	var sum sheetSum
	err = rows(func(r *tally.CloseRow) error {
		sum.add(r)
		return t.line(Line(r, lang))
	})
	if err != nil {
		return err
	}
	if err := t.line(sum.line(lang)); err != nil {
		return err
	}
	return t.close()
}

// sheetSum adds up a sheet's gains, losses and records.
type sheetSum struct{ gains, losses, records int64 }

func (s *sheetSum) add(r *tally.CloseRow) {
	s.gains, s.losses, s.records = s.gains+r.Gains, s.losses+r.Losses, s.records+r.Records
}

// line is the sheet's total line.
func (s *sheetSum) line(lang string) []string {
	out := make([]string, len(sheetColumns))
	out[0], out[5], out[6], out[13] = total(lang), itoa(s.gains), itoa(s.losses), itoa(s.records)
	return out
}

// WriteTotalsCSV writes, in lang, a byte order mark and the totals per
// unit and rule category, then per category over all units (unit "*").
func WriteTotalsCSV(w io.Writer, s *ledger.Sheet, lang string) error {
	t, err := newTableCSV(w, totalsColumns, lang)
	if err != nil {
		return err
	}
	for _, l := range TotalLines(s, lang) {
		if err := t.line(l); err != nil {
			return err
		}
	}
	return t.close()
}

// TotalLines returns the totals' cells: per unit and category, then per
// category over all units (unit "*"), then the grand total.
func TotalLines(s *ledger.Sheet, lang string) [][]string {
	var out [][]string
	line := func(unit string, t tally.CategoryTotal) {
		out = append(out, []string{unit, t.Category, CategoryTitle(s, t.Category, lang), itoa(t.Gains), itoa(t.Losses), itoa(t.Records)})
	}
	for _, t := range s.Totals {
		line(t.Unit, t)
	}
	for _, t := range ledger.ByCategory(s.Totals) {
		line("*", t)
	}
	line("*", ledger.Sum(s.Totals))
	out[len(out)-1][1], out[len(out)-1][2] = "*", total(lang)
	return out
}

// CategoryTitle is a category's title in lang from the close's rulebook,
// or its code.
func CategoryTitle(s *ledger.Sheet, code, lang string) string {
	if s.Book != nil {
		if c, ok := s.Book.Category(code); ok {
			return c.Title.In(lang)
		}
	}
	return code
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func num(n *int64) string {
	if n == nil {
		return ""
	}
	return itoa(*n)
}

func scoredNum(r *tally.CloseRow, n int64) string {
	if !r.Scored {
		return ""
	}
	return itoa(n)
}

func yesNo(b bool, lang string) string {
	if b {
		return tally.Text{Zh: "是", En: "yes"}.In(lang)
	}
	return tally.Text{Zh: "否", En: "no"}.In(lang)
}

// Filename is the base name of a sheet's files, e.g. "jiakuang-majia-2026-10".
func Filename(s *ledger.Sheet) string { return fmt.Sprintf("%s-%s", s.Scheme, s.Period) }
