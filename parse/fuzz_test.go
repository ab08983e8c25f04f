package parse

// Fuzz targets of the import file parsers: an importer runs them before
// it touches the store, so they are what a hostile file meets first. They
// are inside the package to write rows again with its column lists and
// JSON shapes. Run one with:
// go test -run='^$' -fuzz='^FuzzRecordsFile$' ./parse

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/tallycredit/tally"
)

// maxFuzzRows bounds a fuzz input's rows, so that one input stays quick.
const maxFuzzRows = 10000

// readAll reads every row next gives; a whole-file error ends it.
func readAll[T any](t *testing.T, next func() (T, error)) []T {
	t.Helper()
	var out []T
	for len(out) < maxFuzzRows {
		rw, err := next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("a row of an in-memory file failed: %v", err)
		}
		out = append(out, rw)
	}
	return out
}

// goodRows reads every row of a file and returns those that read as
// rows, checking the others' places (checkBad) and an error of the whole
// file (checkHeaderError).
func goodRows[T interface{ Malformed() *RowError }](t *testing.T, data []byte, next func() (T, error), err error) []T {
	t.Helper()
	if err != nil {
		checkHeaderError(t, err)
		return nil
	}
	var good []T
	for _, rw := range readAll(t, next) {
		if b := rw.Malformed(); b != nil {
			checkBad(t, data, b)
			continue
		}
		good = append(good, rw)
	}
	return good
}

// checkBad checks a malformed row's place: a line within the input, a
// column from 1 when given, an invalid code and a message.
func checkBad(t *testing.T, data []byte, b *RowError) {
	t.Helper()
	lines := bytes.Count(data, []byte{'\n'}) + 1
	if b.Line < 1 || b.Line > lines || b.Column < 0 || b.Code != string(tally.EInvalid) || b.Message == "" {
		t.Fatalf("malformed row %+v: want a line from 1 to %d, a column from 0, code invalid and a message", b, lines)
	}
}

// checkHeaderError checks an error of the file as a whole: invalid, with
// a line.
func checkHeaderError(t *testing.T, err error) {
	t.Helper()
	var te *tally.Error
	if !errors.As(err, &te) || te.Code != tally.EInvalid || te.Line != 1 {
		t.Fatalf("a whole-file error %v: want invalid on line 1", err)
	}
}

// csvFile writes a header and rows as CSV.
func csvFile(t *testing.T, header []string, rows ...[]string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write(header)
	for _, r := range rows {
		_ = w.Write(r)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

var recordSeeds = []string{
	"scheme,subject,rule,at,ref,facts,evidence\njiakuang-majia,360426199101010071,labour.volunteer,2026-03-02,imp/1,hours=8,\n",
	"scheme,subject,rule,at,ref\n\"jiakuang-majia,360426199101010071,labour.volunteer,2026-03-02,q/2\n",
	"scheme,subject,rule,at,ref\na,b,\"c\"d,e,f\na,b,c\n\n\na,b,c,d,e,f,g\n",
	"\ufeffScheme, Subject ,RULE,at,ref,by\r\nx,y,z,2026-01-01,r/1,\"张三\r\n\"\r\n",
	`{"scheme":"jiakuang-majia","subject":"360426199101010071","rule":"labour.volunteer","at":"2026-03-02","ref":"j/1","facts":{"hours":8}}` + "\n" +
		`{"scheme":"x","colour":"red"}` + "\nnot json\n" + `{"scheme": 5}` + "\n" + `{"scheme":"x"} y` + "\n",
	"scheme,subject,rule,when,ref\n",
	"",
}

// Every good row of a records file reads back the same after it is
// written again as CSV and as JSON Lines; every malformed row has a line
// in the file; nothing panics.
func FuzzRecordsFile(f *testing.F) {
	for _, s := range recordSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		next, err := Records(bytes.NewReader(data), "")
		for _, rw := range goodRows(t, data, next, err) {
			if rw.Line < 1 {
				t.Fatalf("row %+v: no line", rw)
			}
			if rw.FactArgs != nil { // read from CSV: write it again and read it back
				again := csvFile(t, recordColumns, []string{rw.Scheme, rw.Subject, rw.Rule, rw.At, rw.Ref, strings.Join(rw.FactArgs, ";"), rw.Evidence, rw.By})
				back := readAll(t, mustRecords(t, again, CSV))
				if len(back) != 1 || back[0].Bad != nil || !reflect.DeepEqual(recordContent(back[0]), recordContent(rw)) {
					t.Fatalf("row %+v written again as %q reads back as %+v", rw, again, back)
				}
				continue
			}
			line, err := json.Marshal(jsonRecord{Scheme: rw.Scheme, Subject: rw.Subject, Rule: rw.Rule, At: rw.At, Ref: rw.Ref, Facts: rw.Facts, Evidence: rw.Evidence, By: rw.By})
			if err != nil {
				t.Fatal(err)
			}
			back := readAll(t, mustRecords(t, append(line, '\n'), JSONL))
			if len(back) != 1 || back[0].Bad != nil || !reflect.DeepEqual(recordContent(back[0]), recordContent(rw)) {
				t.Fatalf("row %+v written again as %s reads back as %+v", rw, line, back)
			}
		}
	})
}

// recordContent is a record row without its place in the file and its
// content error: what writing the row again must keep.
func recordContent(rw RecordRow) RecordRow {
	rw.Row, rw.Err = Row{}, nil
	return rw
}

func mustRecords(t *testing.T, data []byte, format Format) func() (RecordRow, error) {
	t.Helper()
	next, err := Records(bytes.NewReader(data), format)
	if err != nil {
		t.Fatalf("%q: %v", data, err)
	}
	return next
}

var peopleSeeds = []string{
	"kind,id,name,scheme,unit,consent\nperson,360426199101010071,张三,jiakuang-majia,一组,yes\n",
	"kind,id,name\nperson,360426199101010071,张三\n\"person,34052419800101001X,李四\n",
	"kind,id,name\nperson,360426199101010071,\"张\"三\"\nperson,x\n",
	"kind,id,name,id\n",
	"kind,name\n",
}

// Every good row of a subjects file reads back the same after it is
// written again; every malformed row has a line in the file.
func FuzzSubjectsFile(f *testing.F) {
	for _, s := range peopleSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		next, err := People(bytes.NewReader(data))
		for _, rw := range goodRows(t, data, next, err) {
			again := csvFile(t, personColumns, []string{rw.Kind, rw.ID, rw.Name, rw.Scheme, rw.Unit, rw.Consent, rw.How})
			next, err := People(bytes.NewReader(again))
			if err != nil {
				t.Fatal(err)
			}
			back := readAll(t, next)
			rw.Line = 2
			if len(back) != 1 || !reflect.DeepEqual(back[0], rw) {
				t.Fatalf("row %+v written again as %q reads back as %+v", rw, again, back)
			}
		}
	})
}

var listSeeds = []string{
	"list,subject,name,case_number,court,decided,notice,grounds,basis\njudgment-defaulters,34052419800101001X,李四,(2025)鲁1082执7号,荣成市人民法院,2025-10-01,2025-10-02,refuses,SPC art. 1\n",
	"list,subject,name,case_number,court,decided,notice,grounds,basis,aggravation\njudgment-defaulters,34052419800101001X,\"李四,x\n",
	`{"list":"judgment-defaulters","subject":"34052419800101001X","name":"李四","case_number":"(2025)7","court":"c","decided":"2025-10-01","notice":"2025-10-02","grounds":"g","basis":"b","aggravation":1}` + "\n" +
		`{"list":"x","aggravation":"1"}` + "\n" + `{"list":"x"` + "\n",
}

// Every good row of a list-entries file reads back the same after it is
// written again as CSV; every malformed row has a line in the file.
func FuzzListEntriesFile(f *testing.F) {
	for _, s := range listSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		next, err := Listings(bytes.NewReader(data), "")
		format := detectFormat(bufio.NewReader(bytes.NewReader(data)), "")
		for _, rw := range goodRows(t, data, next, err) {
			// Write the row again in the format it was read in (CSV trims
			// its cells, JSON keeps its strings as they are).
			again := csvFile(t, listColumns, []string{rw.List, rw.Subject, rw.Name, rw.CaseNumber, rw.Court, rw.Decided, rw.Notice, rw.Grounds, rw.Basis, rw.Aggravation})
			if format == JSONL {
				jr := jsonListRow{List: rw.List, Subject: rw.Subject, Name: rw.Name, CaseNumber: rw.CaseNumber, Court: rw.Court,
					Decided: rw.Decided, Notice: rw.Notice, Grounds: rw.Grounds, Basis: rw.Basis}
				if rw.Aggravation != "" {
					n, err := strconv.Atoi(rw.Aggravation)
					if err != nil {
						t.Fatalf("aggravation %q read from JSON is not a number", rw.Aggravation)
					}
					jr.Aggravation = &n
				}
				line, err := json.Marshal(jr)
				if err != nil {
					t.Fatal(err)
				}
				again = append([]byte("\n"), append(line, '\n')...)
			}
			next, err := Listings(bytes.NewReader(again), format)
			if err != nil {
				t.Fatal(err)
			}
			back := readAll(t, next)
			want := rw
			want.Line = 2
			if len(back) != 1 || !reflect.DeepEqual(back[0], want) {
				t.Fatalf("row %+v written again as %q reads back as %+v", want, again, back)
			}
		}
	})
}

// FuzzRecordsWorkbook reads bytes as a records workbook: it must not
// panic, a whole-file error must be invalid, and every malformed row must
// name a row from 1 and an invalid code. Seeds are a good workbook and
// one with a stray cell.
func FuzzRecordsWorkbook(f *testing.F) {
	for _, rows := range [][][]string{
		{{"方案", "证件号码", "规则", "发生时间", "来源编号"}, {"s", "360402199001010071", "r", "46000", "x/1"}},
		{{"scheme", "subject", "rule", "at", "ref"}, {"s", "1", "r", "2026-10-05", "x/1", "", "stray"}},
	} {
		f.Add(seedWorkbook(f, rows))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		next, err := Records(bytes.NewReader(data), XLSX)
		if err != nil {
			var te *tally.Error
			if !errors.As(err, &te) || te.Code != tally.EInvalid {
				t.Fatalf("a whole-workbook error %v: want invalid", err)
			}
			return
		}
		for _, rw := range readAll(t, next) {
			if b := rw.Malformed(); b != nil && (b.Line < 1 || b.Code != string(tally.EInvalid) || b.Message == "") {
				t.Fatalf("malformed row %+v: want a row from 1, code invalid and a message", b)
			}
		}
	})
}

// seedWorkbook is a workbook of rows, as Excel would save it.
func seedWorkbook(tb testing.TB, rows [][]string) []byte {
	tb.Helper()
	x := excelize.NewFile()
	defer x.Close()
	for i, r := range rows {
		for j, v := range r {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if err := x.SetCellStr("Sheet1", cell, v); err != nil {
				tb.Fatal(err)
			}
		}
	}
	var b bytes.Buffer
	if err := x.Write(&b); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}
