package sheet_test

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/sheet"
)

func i64(n int64) *int64 { return &n }

// fixture is a close of two subjects, one not scored.
func fixture() (*ledger.Sheet, sheet.Rows) {
	s := &ledger.Sheet{Close: tally.Close{Scheme: "jiakuang-majia", Period: "2026-10", ClosedAt: time.Unix(0, 0)},
		Totals: []tally.CategoryTotal{{Unit: "一组", Category: "donation", Gains: 13, Records: 1}, {Unit: "二组", Category: "environment", Losses: -10, Records: 1}}}
	rows := []tally.CloseRow{
		{SubjectID: 1, Unit: "一组", Masked: "3604**********0071", Name: "张三 & <b>", Scored: true, Opening: i64(0), Gains: 13, Closing: i64(13), Flags: 2, Stars: 1, Previous: i64(4), Records: 1},
		{SubjectID: 2, Unit: "二组", Masked: "3405**********001X", Name: "李四", Unscored: "no consent", Losses: -10, Records: 1},
	}
	return s, func(fn func(*tally.CloseRow) error) error {
		for i := range rows {
			if err := fn(&rows[i]); err != nil {
				return err
			}
		}
		return nil
	}
}

// The sheet's CSV starts with a byte order mark (so that Excel on
// Windows reads it as UTF-8) and has its header, yes and no and the total
// line in the language asked for, Chinese unless English is.
func TestCSV(t *testing.T) {
	s, rows := fixture()
	for _, tc := range []struct{ lang, want string }{
		{"en", "\ufeffunit,subject,name,scored,opening,gains,losses,expired,closing,change,grade,flags,stars,records\n" +
			"一组,3604**********0071,张三 & <b>,yes,0,13,0,0,13,9,,2,1,1\n" +
			"二组,3405**********001X,李四,no,,0,-10,,,,,,,1\n" +
			"TOTAL,,,,,13,-10,,,,,,,2\n"},
		{"zh", "\ufeff小组,证件号码,姓名,参与评分,期初分,加分,减分,到期,期末分,变化,等级,红旗,星,记录数\n" +
			"一组,3604**********0071,张三 & <b>,是,0,13,0,0,13,9,,2,1,1\n" +
			"二组,3405**********001X,李四,否,,0,-10,,,,,,,1\n" +
			"合计,,,,,13,-10,,,,,,,2\n"},
		{"", "\ufeff小组,证件号码,姓名,参与评分,期初分,加分,减分,到期,期末分,变化,等级,红旗,星,记录数\n" +
			"一组,3604**********0071,张三 & <b>,是,0,13,0,0,13,9,,2,1,1\n" +
			"二组,3405**********001X,李四,否,,0,-10,,,,,,,1\n" +
			"合计,,,,,13,-10,,,,,,,2\n"},
	} {
		var b bytes.Buffer
		if err := sheet.WriteCSV(&b, s, rows, tc.lang); err != nil {
			t.Fatal(err)
		}
		if b.String() != tc.want {
			t.Errorf("csv in %q:\n%s\nwant\n%s", tc.lang, b.String(), tc.want)
		}
	}
}

// The totals and the distribution list start with a byte order mark and
// have their headers in the language asked for.
func TestTotalsAndRewardsCSVHeaders(t *testing.T) {
	s, _ := fixture()
	for _, tc := range []struct{ lang, totals, rewards string }{
		{"zh", "\ufeff小组,类别,类别名称,加分,减分,记录数\n", "\ufeff奖励,奖品,数量,计量单位,小组,证件号码,姓名,依据分数,签名\n"},
		{"en", "\ufeffunit,category,category_title,gains,losses,records\n", "\ufeffreward,item,amount,unit,unit_name,subject,name,basis,signature\n"},
	} {
		var b bytes.Buffer
		if err := sheet.WriteTotalsCSV(&b, s, tc.lang); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(b.String(), tc.totals) {
			t.Errorf("totals in %s:\n%s\nwant it to start with\n%s", tc.lang, b.String(), tc.totals)
		}
		if last := total(tc.lang); !strings.Contains(b.String(), "*,*,"+last+",") {
			t.Errorf("totals in %s:\n%s\nwant a grand total line *,*,%s", tc.lang, b.String(), last)
		}
		b.Reset()
		if err := sheet.WriteRewardsCSV(&b, nil, tc.lang); err != nil {
			t.Fatal(err)
		}
		if b.String() != tc.rewards {
			t.Errorf("rewards in %s: %q, want %q", tc.lang, b.String(), tc.rewards)
		}
	}
}

func total(lang string) string {
	if lang == "en" {
		return "TOTAL"
	}
	return "合计"
}

// The workbook is a zip of well-formed XML parts, the same bytes each
// time, with the names escaped and the numbers as numbers.
func TestXLSX(t *testing.T) {
	s, rows := fixture()
	var a, b bytes.Buffer
	if err := sheet.WriteXLSX(&a, s, rows, "zh"); err != nil {
		t.Fatal(err)
	}
	if err := sheet.WriteXLSX(&b, s, rows, "zh"); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two workbooks of the same close differ")
	}
	z, err := zip.NewReader(bytes.NewReader(a.Bytes()), int64(a.Len()))
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string]string{}
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(r)
		r.Close()
		parts[f.Name] = string(body)
		d := xml.NewDecoder(bytes.NewReader(body))
		for {
			if _, err := d.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Errorf("%s is not well-formed XML: %v", f.Name, err)
				break
			}
		}
	}
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
		"xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "xl/worksheets/sheet3.xml"} {
		if _, ok := parts[name]; !ok {
			t.Errorf("no part %s", name)
		}
	}
	s1 := parts["xl/worksheets/sheet1.xml"]
	for _, want := range []string{`<t>张三 &amp; &lt;b&gt;</t>`, `<c r="F2"><v>13</v></c>`, `<c r="G4"><v>-10</v></c>`} {
		if !strings.Contains(s1, want) {
			t.Errorf("sheet1 lacks %s:\n%s", want, s1)
		}
	}
}
