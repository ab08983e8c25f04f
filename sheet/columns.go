package sheet

import (
	"encoding/csv"
	"io"

	"github.com/tallycredit/tally"
)

// column is one column of an exported table: its header in Chinese and
// English, and whether it holds numbers. A number is written as it is;
// every other cell is text and passes through tally.SafeCell, so that a
// name such as =HYPERLINK(...) is shown, never run.
type column struct {
	title   tally.Text
	numeric bool
}

// columns are a table's columns in order.
type columns []column

func text(zh, en string) column { return column{title: tally.Text{Zh: zh, En: en}} }
func number(zh, en string) column {
	return column{title: tally.Text{Zh: zh, En: en}, numeric: true}
}

var (
	sheetColumns = columns{text("小组", "unit"), text("证件号码", "subject"), text("姓名", "name"), text("参与评分", "scored"),
		number("期初分", "opening"), number("加分", "gains"), number("减分", "losses"), number("到期", "expired"),
		number("期末分", "closing"), number("变化", "change"), text("等级", "grade"), number("红旗", "flags"),
		number("星", "stars"), number("记录数", "records")}
	totalsColumns = columns{text("小组", "unit"), text("类别", "category"), text("类别名称", "category_title"),
		number("加分", "gains"), number("减分", "losses"), number("记录数", "records")}
	rewardsColumns = columns{text("奖励", "reward"), text("奖品", "item"), number("数量", "amount"), text("计量单位", "unit"),
		text("小组", "unit_name"), text("证件号码", "subject"), text("姓名", "name"), number("依据分数", "basis"), text("签名", "signature")}
	lateColumns = columns{number("记录号", "record"), text("证件号码", "subject"), text("规则", "rule"),
		text("发生时间", "happened_at"), text("记录时间", "recorded_at"), number("分值", "awarded"), text("有异议", "disputed")}
)

func (c columns) header(lang string) []string {
	out := make([]string, len(c))
	for i, col := range c {
		out[i] = col.title.In(lang)
	}
	return out
}

// safe returns cells with every text cell made safe for a spreadsheet.
func (c columns) safe(cells []string) []string {
	out := make([]string, len(cells))
	for i, v := range cells {
		if i < len(c) && c[i].numeric {
			out[i] = v
		} else {
			out[i] = tally.SafeCell(v)
		}
	}
	return out
}

// bom is the UTF-8 byte order mark. Excel on Windows reads a CSV file
// without it in the machine's legacy code page, which garbles Chinese.
const bom = "\ufeff"

// tableCSV writes a CSV table: the byte order mark, the header of cols
// in lang, then each line that lines gives (made safe), to the end.
type tableCSV struct {
	cw   *csv.Writer
	cols columns
}

func newTableCSV(w io.Writer, cols columns, lang string) (*tableCSV, error) {
	if _, err := io.WriteString(w, bom); err != nil {
		return nil, err
	}
	t := &tableCSV{cw: csv.NewWriter(w), cols: cols}
	return t, t.cw.Write(cols.header(lang))
}

// line writes one line, its text cells made safe.
func (t *tableCSV) line(cells []string) error { return t.cw.Write(t.cols.safe(cells)) }

// close flushes the table and returns the first error of its writing.
func (t *tableCSV) close() error {
	t.cw.Flush()
	return t.cw.Error()
}

// total is the label of a table's grand total line in lang.
func total(lang string) string { return tally.Text{Zh: "合计", En: "TOTAL"}.In(lang) }
