package parse_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/parse"
)

// workbook returns an .xlsx whose first sheet holds rows from A1 down (a
// nil row left empty), and a second sheet that must be ignored.
func workbook(t *testing.T, rows ...[]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		if r == nil {
			continue
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.NewSheet("other"); err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellValue("other", "A1", "not a header"); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func readRecords(t *testing.T, data []byte, format parse.Format) []parse.RecordRow {
	t.Helper()
	next, err := parse.Records(bytes.NewReader(data), format)
	if err != nil {
		t.Fatal(err)
	}
	var out []parse.RecordRow
	for {
		rw, err := next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, rw)
	}
}

// A workbook with Chinese headers is read from its first sheet, told by
// its first bytes: each row's line is its row number, blank rows are
// skipped, and a date typed into a cell reads as the date it shows.
func TestWorkbookRecordsInChinese(t *testing.T) {
	day := time.Date(2026, 10, 5, 0, 0, 0, 0, time.UTC)
	data := workbook(t,
		[]any{"方案", "证件号码", "规则", "发生时间", "来源编号", "情节"},
		nil,
		[]any{"jiakuang-majia", "360402199001010071", "donation", day, "r-1", "amount=300;kind=cash"},
		[]any{"jiakuang-majia", "340521198506150014", "litter", "2026-10-06T09:30:00+08:00", 7},
		[]any{"jiakuang-majia", "340521198506150014", "litter", day.Add(14*time.Hour + 30*time.Minute), "r-3"},
	)
	rows := readRecords(t, data, "")
	if len(rows) != 3 {
		t.Fatalf("%d rows, want 3: %+v", len(rows), rows)
	}
	want := []struct {
		line       int
		subject    string
		at, ref    string
		factsCount int
	}{{3, "360402199001010071", "2026-10-05", "r-1", 2}, {4, "340521198506150014", "2026-10-06T09:30:00+08:00", "7", 0},
		{5, "340521198506150014", "2026-10-05 14:30:00", "r-3", 0}}
	for i, w := range want {
		rw := rows[i]
		if rw.Bad != nil || rw.Line != w.line || rw.Subject != w.subject || rw.At != w.at || rw.Ref != w.ref || len(rw.FactArgs) != w.factsCount || rw.Scheme != "jiakuang-majia" {
			t.Errorf("row %d = %+v (bad %v), want line %d, subject %s, at %q, ref %q, %d facts", i, rw, rw.Bad, w.line, w.subject, w.at, w.ref, w.factsCount)
		}
	}
	if again := readRecords(t, data, parse.XLSX); len(again) != 3 {
		t.Errorf("read as xlsx when told: %d rows, want 3", len(again))
	}
}

// A value in a column with no header is a malformed row: Check refuses
// the file naming the row, the column's number and its cell; English and
// Chinese header names may be mixed.
func TestWorkbookMalformedRowNamesRowAndCell(t *testing.T) {
	data := workbook(t,
		[]any{"scheme", "证件号码", "rule", "at", "ref"},
		[]any{"jiakuang-majia", "360402199001010071", "donation", "2026-10-05", "r-1"},
		[]any{"jiakuang-majia", "360402199001010071", "donation", "2026-10-05", "r-2", nil, nil, "stray"},
		[]any{"jiakuang-majia", "360402199001010071", "donation", "2026-10-05", "r-3"},
	)
	next, err := parse.Records(bytes.NewReader(data), "")
	if err != nil {
		t.Fatal(err)
	}
	err = parse.Check(next)
	var fe *parse.FileError
	if !errors.As(err, &fe) || fe.Count != 1 {
		t.Fatalf("check: %v, want one malformed row", err)
	}
	b := fe.Bad[0]
	if b.Line != 3 || b.Column != 8 || b.Cell != "H3" || !strings.Contains(fe.Error(), "row 3, cell H3") {
		t.Errorf("malformed row %+v (%v), want row 3, column 8, cell H3", b, fe)
	}
	var te *tally.Error
	if !errors.As(err, &te) || te.Code != tally.EInvalid {
		t.Errorf("%v: want invalid", err)
	}
}

// A header that names an unknown column or lacks a required one is
// refused on its row, in whichever language it is written.
func TestWorkbookHeaderErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		header []any
		want   string
	}{
		{"unknown", []any{"方案", "证件号码", "规则", "发生时间", "来源编号", "备注"}, `unknown column "备注"`},
		{"missing", []any{"方案", "证件号码", "规则", "发生时间"}, `missing column "ref" (来源编号)`},
		{"twice", []any{"方案", "scheme", "证件号码", "规则", "发生时间", "来源编号"}, `column "scheme" given twice`},
	} {
		data := workbook(t, nil, tc.header)
		_, err := parse.Records(bytes.NewReader(data), "")
		var te *tally.Error
		if !errors.As(err, &te) || te.Code != tally.EInvalid || te.Line != 2 || !strings.Contains(te.Message, tc.want) {
			t.Errorf("%s: %v, want invalid on row 2: %s", tc.name, err, tc.want)
		}
	}
}

// Subjects and list entries are read from workbooks too, with dates in
// list entries read as the dates they show.
func TestWorkbookPeopleAndListings(t *testing.T) {
	people := workbook(t,
		[]any{"类别", "证件号码", "姓名", "方案", "小组", "同意评分", "同意方式"},
		[]any{"person", "360402199001010071", "张三", "jiakuang-majia", "一组", "yes", "paper"},
	)
	nextP, err := parse.People(bytes.NewReader(people))
	if err != nil {
		t.Fatal(err)
	}
	p, err := nextP()
	if err != nil || p.Line != 2 || p.Name != "张三" || p.Unit != "一组" || p.Consent != "yes" || p.How != "paper" {
		t.Errorf("person %+v, %v", p, err)
	}
	if _, err := nextP(); err != io.EOF {
		t.Errorf("after the last person: %v, want io.EOF", err)
	}
	lists := workbook(t,
		[]any{"名单", "证件号码", "姓名", "案号", "法院", "决定日期", "送达日期", "事由", "依据", "加重年数"},
		[]any{"court", "360402199001010071", "张三", "(2026)赣0402执123号", "九江市浔阳区人民法院", time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), "2026-03-09", "拒不履行", "最高人民法院关于公布失信被执行人名单信息的若干规定 第一条", 1},
	)
	nextL, err := parse.Listings(bytes.NewReader(lists), "")
	if err != nil {
		t.Fatal(err)
	}
	l, err := nextL()
	if err != nil || l.Bad != nil || l.Line != 2 || l.CaseNumber != "(2026)赣0402执123号" || l.Decided != "2026-03-02" || l.Notice != "2026-03-09" || l.Aggravation != "1" {
		t.Errorf("listing %+v (bad %v), %v", l, l.Bad, err)
	}
}

// A file that is not a workbook, a workbook larger than MaxWorkbookBytes
// and one whose parts would unzip past MaxWorkbookUnzipped are refused as
// a whole, before anything is unzipped.
func TestWorkbookLimits(t *testing.T) {
	huge := bytes.NewBuffer([]byte("PK\x03\x04"))
	huge.Write(make([]byte, parse.MaxWorkbookBytes))
	var bomb bytes.Buffer
	zw := zip.NewWriter(&bomb)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Store, UncompressedSize64: parse.MaxWorkbookUnzipped + 1, CompressedSize64: 4})
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("<a/>"))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	// A part that says it unzips to 10 bytes and inflates to 64 MiB.
	var deflated bytes.Buffer
	fw, _ := flate.NewWriter(&deflated, flate.BestCompression)
	fw.Write(bytes.Repeat([]byte("<row/>"), 64<<20/6))
	fw.Close()
	var liar bytes.Buffer
	zw = zip.NewWriter(&liar)
	if w, err = zw.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate, UncompressedSize64: 10, CompressedSize64: uint64(deflated.Len())}); err != nil {
		t.Fatal(err)
	}
	w.Write(deflated.Bytes())
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"not a workbook", []byte("PK\x03\x04 not a zip"), "cannot read the Excel workbook"},
		{"too large", huge.Bytes(), "larger than 16 MiB"},
		{"a zip bomb", bomb.Bytes(), "unzip size exceeds"},
		{"a zip bomb that lies", liar.Bytes(), "cannot read the Excel workbook"},
	} {
		_, err := parse.Records(bytes.NewReader(tc.data), "")
		var te *tally.Error
		if !errors.As(err, &te) || te.Code != tally.EInvalid || te.Field != "file" || !strings.Contains(te.Message, tc.want) {
			t.Errorf("%s: %v, want invalid on the file: %s", tc.name, err, tc.want)
		}
	}
}

// The format of an upload is told by its content type or the extension
// of its name.
func TestFormatOf(t *testing.T) {
	for _, tc := range []struct {
		name, contentType string
		want              parse.Format
	}{
		{"a.xlsx", "", parse.XLSX},
		{"", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", parse.XLSX},
		{"A.CSV", "", parse.CSV},
		{"a", "text/csv; charset=utf-8", parse.CSV},
		{"a.jsonl", "", parse.JSONL},
		{"a", "application/x-ndjson", parse.JSONL},
		{"a.txt", "application/octet-stream", ""},
	} {
		if got := parse.FormatOf(tc.name, tc.contentType); got != tc.want {
			t.Errorf("FormatOf(%q, %q) = %q, want %q", tc.name, tc.contentType, got, tc.want)
		}
	}
}
