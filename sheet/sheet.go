// Package sheet writes a closed period's tally sheet as CSV and as an
// Excel workbook (.xlsx). It only formats what the ledger computed
// (ledger.Sheet and its rows) and does no I/O of its own beyond the writer
// it is given; the same close always gives the same bytes.
package sheet

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// Rows yields a close's rows in order; ledger.Service.EachCloseRow fits.
type Rows func(fn func(*tally.CloseRow) error) error

// Header is the first line of a sheet: one column per field of a row.
var Header = []string{"unit", "subject", "name", "scored", "opening", "gains", "losses", "expired",
	"closing", "change", "grade", "flags", "stars", "records"}

// TotalsHeader is the first line of the totals.
var TotalsHeader = []string{"unit", "category", "category_title", "gains", "losses", "records"}

// columns says which columns of a table hold numbers: those are written
// as numbers; every other cell is text and passes through tally.SafeCell,
// so that a name such as =HYPERLINK(...) is shown, never run.
type columns []bool

var (
	sheetColumns   = columns{false, false, false, false, true, true, true, true, true, true, false, true, true, true}
	totalsColumns  = columns{false, false, false, true, true, true}
	rewardsColumns = columns{false, false, true, false, false, false, false, true, false}
	lateColumns    = columns{true, false, false, false, false, true}
)

// safe returns cells with every text cell made safe for a spreadsheet.
func (c columns) safe(cells []string) []string {
	out := make([]string, len(cells))
	for i, v := range cells {
		if i < len(c) && c[i] {
			out[i] = v
		} else {
			out[i] = tally.SafeCell(v)
		}
	}
	return out
}

// Line returns a row's cells in the order of Header. Unscored subjects
// have empty scores; their gains and losses are still shown.
func Line(r *tally.CloseRow) []string {
	return []string{r.Unit, r.Masked, r.Name, yesNo(r.Scored), num(r.Opening), itoa(r.Gains), itoa(r.Losses),
		scoredNum(r, r.Expired), num(r.Closing), num(r.Change()), r.Grade, scoredNum(r, r.Flags),
		scoredNum(r, r.Stars), itoa(r.Records)}
}

// WriteCSV writes the sheet: a header, one line per subject in the order
// of rows, and a last line "TOTAL" with the sums of gains, losses and
// records (which equal the sums of the period's records). A text cell
// that a spreadsheet would take for a formula starts with a single quote
// (tally.SafeCell); numbers are written as they are.
func WriteCSV(w io.Writer, s *ledger.Sheet, rows Rows) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(Header); err != nil {
		return err
	}
	var gains, losses, records int64
	err := rows(func(r *tally.CloseRow) error {
		gains, losses, records = gains+r.Gains, losses+r.Losses, records+r.Records
		return cw.Write(sheetColumns.safe(Line(r)))
	})
	if err != nil {
		return err
	}
	total := make([]string, len(Header))
	total[0], total[5], total[6], total[13] = "TOTAL", itoa(gains), itoa(losses), itoa(records)
	if err := cw.Write(total); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// WriteTotalsCSV writes the totals per unit and rule category, then per
// category over all units (unit "*"), with category titles in lang.
func WriteTotalsCSV(w io.Writer, s *ledger.Sheet, lang string) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(TotalsHeader); err != nil {
		return err
	}
	for _, t := range TotalLines(s, lang) {
		if err := cw.Write(totalsColumns.safe(t)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
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
	out[len(out)-1][1], out[len(out)-1][2] = "*", "TOTAL"
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

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// Filename is the base name of a sheet's files, e.g. "jiakuang-majia-2026-10".
func Filename(s *ledger.Sheet) string { return fmt.Sprintf("%s-%s", s.Scheme, s.Period) }
