package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// writeWorkbook writes an .xlsx whose first sheet holds rows from A1.
func writeWorkbook(t *testing.T, path string, rows ...[]any) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &rows[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

// Each importer reads an Excel workbook with Chinese or English headers:
// one with a malformed row (a value in a column with no header) is
// refused naming its row and cell, and changes nothing; a good one
// imports exactly its rows, and again changes nothing.
func TestImportsReadWorkbooks(t *testing.T) {
	c := newCLI(t)
	c.ok("init")
	c.ok("rules", "publish", "../../examples/city.yaml")
	dir := t.TempDir()
	stray := []any{nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, "stray"} // column L
	people := [][]any{{"类别", "证件号码", "姓名", "方案", "小组", "同意评分"},
		{"person", "360426199101010071", "张三", "rongcheng-city", "一组", "yes"},
		{"person", "34052419800101001X", "李四", "rongcheng-city", "一组", "yes"}}
	records := [][]any{{"方案", "证件号码", "规则", "发生时间", "来源编号", "情节", "证据"},
		{"rongcheng-city", "360426199101010071", "health.blood-donation", time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), "xlsx/1", nil, "certificate 1"},
		{"rongcheng-city", "360426199101010071", "volunteering.hours", "2026-03-03", "xlsx/2", "hours=8", "platform 7"}}
	lists := [][]any{{"list", "subject", "name", "case_number", "court", "decided", "notice", "grounds", "basis"},
		{"judgment-defaulters", "34052419800101001X", "李四", "(2025)鲁1082执7号", "荣成市人民法院", time.Date(2025, 10, 1, 0, 0, 0, 0, time.UTC), "2025-10-02", "refuses", "SPC"}}
	for _, tc := range []struct {
		name, file, table, done string
		args                    []string
		rows                    [][]any
	}{
		{"subjects", "people.xlsx", "subjects", "2 added", []string{"subjects", "import"}, people},
		{"records", "records.xlsx", "records", "2 recorded", []string{"import"}, records},
		{"lists", "lists.xlsx", "list_entries", "1 listed", []string{"lists", "import"}, lists},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := writeWorkbook(t, filepath.Join(dir, "bad-"+tc.file), append(append([][]any{}, tc.rows...), stray)...)
			before := tableCounts(t, c.db)
			code, out, errOut := c.run(append(tc.args, bad)...)
			n := len(tc.rows) + 1
			want := fmt.Sprintf("bad-%s:%d: cell L%d: a value in a column with no header", tc.file, n, n)
			if code != exitInvalid || !strings.Contains(out, want) || !strings.Contains(errOut, "nothing was imported") {
				t.Errorf("tally %s bad-%s: exit %d\n%s%s\nwant exit 2 with %q and nothing imported", tc.name, tc.file, code, out, errOut, want)
			}
			if after := tableCounts(t, c.db); after[tc.table] != before[tc.table] || after["records"] != before["records"] {
				t.Errorf("%s: %d rows before, %d after a refused workbook", tc.table, before[tc.table], after[tc.table])
			}
			good := writeWorkbook(t, filepath.Join(dir, tc.file), tc.rows...)
			if out := c.ok(append(tc.args, good)...); !strings.Contains(out, tc.done) {
				t.Errorf("tally %s %s:\n%s\nwant %s", tc.name, tc.file, out, tc.done)
			}
			after := tableCounts(t, c.db)
			if got, want := after[tc.table]-before[tc.table], len(tc.rows)-1; got != want {
				t.Errorf("%s: %d rows added, want %d", tc.table, got, want)
			}
			c.ok(append(tc.args, good)...)
			if again := tableCounts(t, c.db); again[tc.table] != after[tc.table] {
				t.Errorf("%s: importing the workbook again added %d rows", tc.table, again[tc.table]-after[tc.table])
			}
		})
	}
}

// A workbook is known by its bytes, not its name: given on standard input
// to a local or a remote import, or under a name that says CSV, it is
// read as a workbook.
func TestImportKnowsAWorkbookByItsBytes(t *testing.T) {
	c := newCLI(t)
	c.ok("init")
	c.ok("rules", "publish", "../../examples/city.yaml")
	c.ok("subjects", "add", "--kind", "person", "--id", "360426199101010071", "--name", "张三")
	c.ok("enrol", "--scheme", "rongcheng-city", "--subject", "360426199101010071", "--consent")
	var tok struct{ Token string }
	if err := json.Unmarshal([]byte(c.ok("tokens", "create", "--name", "recorder-7", "--role", "recorder",
		"--schemes", "rongcheng-city", "--json")), &tok); err != nil {
		t.Fatal(err)
	}
	server := serveCLI(t, c)
	dir := t.TempDir()
	book := func(ref string) []byte {
		return mustRead(t, writeWorkbook(t, filepath.Join(dir, strings.ReplaceAll(ref, "/", "-")+".xlsx"),
			[]any{"方案", "证件号码", "规则", "发生时间", "来源编号", "证据"},
			[]any{"rongcheng-city", "360426199101010071", "health.blood-donation", "2026-03-02", ref, "certificate"}))
	}
	misnamed := filepath.Join(dir, "records.csv")
	if err := os.WriteFile(misnamed, book("named/1"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		stdin []byte
		args  []string
	}{
		{"local, standard input", book("local/1"), []string{"import", "-"}},
		{"remote, standard input", book("remote/1"), []string{"import", "-", "--server", server, "--token", tok.Token}},
		{"local, named .csv", nil, []string{"import", misnamed}},
		{"lists, standard input", mustRead(t, writeWorkbook(t, filepath.Join(dir, "lists.xlsx"),
			[]any{"list", "subject", "name", "case_number", "court", "decided", "notice", "grounds", "basis"},
			[]any{"judgment-defaulters", "34052419800101001X", "李四", "(2025)鲁1082执7号", "荣成市人民法院", "2025-10-01", "2025-10-02", "refuses", "SPC"})),
			[]string{"lists", "import", "-"}},
	} {
		code, out, errOut := c.runWithInput(string(tc.stdin), tc.args...)
		if code != 0 || !(strings.Contains(out, "1 recorded") || strings.Contains(out, "1 listed")) {
			t.Errorf("%s: exit %d\n%s%s\nwant the workbook's row imported", tc.name, code, out, errOut)
		}
	}
}
