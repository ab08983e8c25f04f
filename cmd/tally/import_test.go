package main

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"
)

// tableCounts counts the rows of every table of a SQLite file.
func tableCounts(t *testing.T, path string) map[string]int {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		names = append(names, name)
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, name := range names {
		var n int
		if err := db.QueryRow(fmt.Sprintf(`SELECT count(*) FROM "%s"`, name)).Scan(&n); err != nil {
			t.Fatal(err)
		}
		counts[name] = n
	}
	return counts
}

// appendTo writes a file's text with more lines after it.
func appendTo(t *testing.T, from, to, more string) int {
	t.Helper()
	text, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, to, string(text)+more)
	return strings.Count(string(text), "\n") + 1 // the line the more text starts on
}

// A file whose good rows (more than a batch of them) are followed by a
// quote that is never closed is refused by each of the three importers:
// no panic, an error naming the line, column and field of the quote, and
// not one row of the database changed.
func TestImportsRefuseAnUnclosedQuoteAndChangeNothing(t *testing.T) {
	c := newCLI(t)
	c.ok("init")
	c.ok("rules", "publish", "../../examples/city.yaml")
	c.ok("rules", "publish", "../../examples/market.yaml")
	gen := t.TempDir()
	c.ok("gen", "--out", gen, "--persons", "600", "--shops", "10", "--records", "700", "--list-entries", "600", "--end", "2026-11-01")
	dir := t.TempDir()
	for _, tc := range []struct {
		name    string
		args    []string
		file    string
		broken  string // a row with a quote opened in its third field
		field   string
		column  int
		prepare func()
	}{
		{"subjects", []string{"subjects", "import"}, "people.csv",
			"person,360426199101010071,\"张三,rongcheng-city,一组,yes\nperson,34052419800101001X,李四,rongcheng-city,一组,yes\n", "name", 27, nil},
		{"records", []string{"import"}, "records.csv",
			"rongcheng-city,360426199101010071,\"labour.volunteer,2026-03-02,broken/1\n", "rule", 35, func() {
				c.ok("subjects", "import", filepath.Join(gen, "people.csv"))
			}},
		{"lists", []string{"lists", "import"}, "lists.csv",
			"judgment-defaulters,34052419800101001X,\"李四,(2025)鲁1082执7号,荣成市人民法院,2025-10-01,2025-10-02,refuses,SPC\n", "name", 40, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.prepare != nil {
				tc.prepare()
			}
			file := filepath.Join(dir, tc.file)
			line := appendTo(t, filepath.Join(gen, tc.file), file, tc.broken)
			before := tableCounts(t, c.db)
			code, out, errOut := c.run(append(tc.args, file)...)
			want := fmt.Sprintf("%s:%d:%d: %s: a quote opens this field and is never closed", tc.file, line, tc.column, tc.field)
			if code != exitInvalid || !strings.Contains(out, want) || !strings.Contains(errOut, "nothing was imported") {
				t.Errorf("tally %s: exit %d\n%s%s\nwant exit 2 with %q and nothing imported", tc.name, code, out, errOut, want)
			}
			after := tableCounts(t, c.db)
			for table, n := range before {
				if after[table] != n {
					t.Errorf("table %s: %d rows before, %d after a refused file", table, n, after[table])
				}
			}
			// The same file from standard input is refused alike.
			code, out, _ = c.runWithInput(string(mustRead(t, file)), append(tc.args, "-")...)
			if code != exitInvalid || !strings.Contains(out, fmt.Sprintf("-:%d:%d:", line, tc.column)) {
				t.Errorf("tally %s -: exit %d %q, want 2 naming line %d", tc.name, code, out, line)
			}
			if after := tableCounts(t, c.db); after["records"] != before["records"] || after["subjects"] != before["subjects"] || after["list_entries"] != before["list_entries"] {
				t.Errorf("standard input: rows changed")
			}
		})
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A quote that opens a row's first field and never closes used to crash
// each importer (the CSV reader gives back no field to place); now each
// refuses the file with the line and column 1.
func TestImportsDoNotPanicOnAQuoteOpeningARow(t *testing.T) {
	c := newCLI(t)
	c.ok("init")
	c.ok("rules", "publish", "../../examples/village.yaml")
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		file string
		text string
	}{
		{[]string{"subjects", "import"}, "people.csv", "kind,id,name\nperson,360426199101010071,张三\n\"person,34052419800101001X,李四\n"},
		{[]string{"import"}, "records.csv", "scheme,subject,rule,at,ref\njiakuang-majia,360426199101010071,labour.volunteer,2026-03-02,q/1\n\"jiakuang-majia,360426199101010071,labour.volunteer,2026-03-02,q/2\n"},
		{[]string{"lists", "import"}, "lists.csv", "list,subject,name,case_number,court,decided,notice,grounds,basis\n\"judgment-defaulters,34052419800101001X,李四,(2025)鲁1082执7号,荣成市人民法院,2025-10-01,2025-10-02,refuses,SPC\n"},
	} {
		file := filepath.Join(dir, tc.file)
		writeFile(t, file, tc.text)
		line := strings.Count(tc.text, "\n")
		before := tableCounts(t, c.db)
		code, out, errOut := c.run(append(tc.args, file)...)
		if want := fmt.Sprintf("%s:%d:1: ", tc.file, line); code != exitInvalid || !strings.Contains(out, want) {
			t.Errorf("tally %s: exit %d %q %q, want exit 2 naming %q", strings.Join(tc.args, " "), code, out, errOut, want)
		}
		if after := tableCounts(t, c.db); fmt.Sprint(after) != fmt.Sprint(before) {
			t.Errorf("tally %s: rows %v before, %v after a refused file", strings.Join(tc.args, " "), before, after)
		}
	}
}
