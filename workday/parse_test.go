package workday_test

import (
	"os"
	"strings"
	"testing"

	"github.com/tallycredit/tally/workday"
)

// TestEmbeddedIsTheSharedData: the embedded file is the data file the
// project keeps, and it parses.
func TestEmbeddedIsTheSharedData(t *testing.T) {
	ys := workday.Embedded()
	if len(ys) != 2 || ys[0].Year != 2025 || ys[1].Year != 2026 {
		t.Fatalf("embedded years %+v, want 2025 and 2026", ys)
	}
	for _, y := range ys {
		if !strings.Contains(y.Source, "国务院办公厅") {
			t.Errorf("%d: source %q does not name the notice", y.Year, y.Source)
		}
	}
}

// TestParseRefuses: a calendar file is checked entry by entry, and the
// error names the file, the path and the entry, in Chinese and English.
func TestParseRefuses(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
	}{
		{"a date of another year", `{"years":{"2027":{"source":"s","off":{"春节":["2027-02-06","2026-02-07"]},"work":[]}}}`,
			[]string{"f.json: years.2027.off.春节[1]", "2026-02-07 不在 2027 年内", "is not in 2027"}},
		{"off and working", `{"years":{"2027":{"source":"s","off":{"国庆节":["2027-10-01"]},"work":["2027-10-01"]}}}`,
			[]string{"years.2027.work[0]", "already listed at off.国庆节[0]", "既放假又调休上班"}},
		{"not a date", `{"years":{"2027":{"source":"s","off":{},"work":["2027-02-30"]}}}`,
			[]string{"years.2027.work[0]", `"2027-02-30" is not a date`, "不是日期"}},
		{"no source", `{"years":{"2027":{"off":{},"work":[]}}}`, []string{"years.2027.source", "name the notice"}},
		{"a year out of range", `{"years":{"27":{"source":"s"}}}`, []string{"years.27", "want a year from 2000 to 2100"}},
		{"a misspelt field", `{"years":{"2027":{"source":"s","wrok":[]}}}`, []string{"f.json", "not a calendar file", "wrok"}},
		{"no years", `{"years":{}}`, []string{"f.json: years", "holds no year"}},
		{"not JSON", `years: 2027`, []string{"f.json", "不是有效的日历文件"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := workday.Parse("f.json", []byte(tt.src))
			if err == nil {
				t.Fatal("accepted")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%q does not say %q", err, w)
				}
			}
		})
	}
}

// TestParseAndMarshalYear: a year stored as MarshalYear writes it reads
// back the same, and a good file of a later year parses.
func TestParseAndMarshalYear(t *testing.T) {
	src, err := os.ReadFile("testdata/holidays-2027.json")
	if err != nil {
		t.Fatal(err)
	}
	ys, err := workday.Parse("holidays-2027.json", src)
	if err != nil {
		t.Fatal(err)
	}
	if len(ys) != 1 || ys[0].Year != 2027 {
		t.Fatalf("got %+v, want 2027", ys)
	}
	b, err := workday.MarshalYear(ys[0])
	if err != nil {
		t.Fatal(err)
	}
	back, err := workday.ParseYear(2027, b)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := back.Days(), ys[0].Days(); len(got) != len(want) || got[0] != want[0] || got[len(got)-1] != want[len(want)-1] {
		t.Errorf("read back %v, want %v", got, want)
	}
}
