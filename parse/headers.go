package parse

import (
	"strings"

	"github.com/tallycredit/tally"
)

// headers are the columns a kind of file may have: their English names
// in order, the Chinese name of each (a header row may use either, column
// by column), and how many of the first are required.
type headers struct {
	names    []string
	chinese  []string
	required int
}

var (
	recordHeaders = headers{names: recordColumns, required: 5,
		chinese: []string{"方案", "证件号码", "规则", "发生时间", "来源编号", "情节", "证据", "记录人"}}
	personHeaders = headers{names: personColumns, required: 3,
		chinese: []string{"类别", "证件号码", "姓名", "方案", "小组", "同意评分", "同意方式"}}
	listHeaders = headers{names: listColumns, required: 9,
		chinese: []string{"名单", "证件号码", "姓名", "案号", "法院", "决定日期", "送达日期", "事由", "依据", "加重年数"}}
)

// name returns the English name of a header cell written in either
// language (trimmed, any case, a byte order mark dropped), or false.
func (h headers) name(cell string) (string, bool) {
	cell = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(cell, "\ufeff")))
	for i, n := range h.names {
		if cell == n || cell == h.chinese[i] {
			return n, true
		}
	}
	return cell, false
}

// columns reads a header row (on line) into the index of each column by
// its English name, and the names in order. Every cell must name a
// column, at most once, and the required columns must be there; an empty
// cell is allowed when blankOK, and names no column.
func (h headers) columns(row []string, line int, blankOK bool) (map[string]int, []string, error) {
	col := map[string]int{}
	names := make([]string, len(row))
	for i, cell := range row {
		if blankOK && strings.TrimSpace(cell) == "" {
			continue
		}
		n, ok := h.name(cell)
		if !ok {
			return nil, nil, headerError(line, "unknown column %q (want %s, or in Chinese %s)", n, strings.Join(h.names, ", "), strings.Join(h.chinese, "、"))
		}
		if _, twice := col[n]; twice {
			return nil, nil, headerError(line, "column %q given twice", n)
		}
		col[n], names[i] = i, n
	}
	for i, need := range h.names[:h.required] {
		if _, ok := col[need]; !ok {
			return nil, nil, headerError(line, "missing column %q (%s)", need, h.chinese[i])
		}
	}
	return col, names, nil
}

func headerError(line int, format string, args ...any) error {
	e := tally.FieldErrorf("header", format, args...)
	e.Line = line
	return e
}
