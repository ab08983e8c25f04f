package ledger

// Fuzz targets of the import file parsers. They are inside the package
// because the parsers are not exported: an importer runs them before it
// touches the store, so they are what a hostile file meets first.
// Run one with: go test -run='^$' -fuzz='^FuzzRecordsFile$' ./ledger

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
		next, err := reader(bytes.NewReader(data), "")
		if err != nil {
			checkHeaderError(t, err)
			return
		}
		for _, rw := range readAll(t, next) {
			if rw.bad != nil {
				checkBad(t, data, rw.bad)
				continue
			}
			if rw.line < 1 {
				t.Fatalf("row %+v: no line", rw)
			}
			c := rw.conduct
			if c.FactArgs != nil { // read from CSV: write it again and read it back
				again := csvFile(t, recordColumns, []string{c.Scheme, c.Identifier, c.Rule, rw.at, c.Ref, strings.Join(c.FactArgs, ";"), c.Evidence, c.By})
				back := readAll(t, mustReader(t, again, CSV))
				if len(back) != 1 || back[0].bad != nil || !reflect.DeepEqual(back[0].conduct, c) || back[0].at != rw.at {
					t.Fatalf("row %+v written again as %q reads back as %+v", rw, again, back)
				}
				continue
			}
			line, err := json.Marshal(jsonRow{Scheme: c.Scheme, Subject: c.Identifier, Rule: c.Rule, At: rw.at, Ref: c.Ref, Facts: c.Facts, Evidence: c.Evidence, By: c.By})
			if err != nil {
				t.Fatal(err)
			}
			back := readAll(t, mustReader(t, append(line, '\n'), JSONL))
			if len(back) != 1 || back[0].bad != nil || !reflect.DeepEqual(back[0].conduct, c) || back[0].at != rw.at {
				t.Fatalf("row %+v written again as %s reads back as %+v", rw, line, back)
			}
		}
	})
}

func mustReader(t *testing.T, data []byte, format Format) func() (row, error) {
	t.Helper()
	next, err := reader(bytes.NewReader(data), format)
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
		next, err := peopleReader(bytes.NewReader(data))
		if err != nil {
			checkHeaderError(t, err)
			return
		}
		for _, rw := range readAll(t, next) {
			if rw.bad != nil {
				checkBad(t, data, rw.bad)
				continue
			}
			again := csvFile(t, peopleColumns, []string{rw.kind, rw.id, rw.name, rw.scheme, rw.unit, rw.consent, rw.how})
			next, err := peopleReader(bytes.NewReader(again))
			if err != nil {
				t.Fatal(err)
			}
			back := readAll(t, next)
			rw.line = 2
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
		next, err := listReader(bytes.NewReader(data), "")
		if err != nil {
			checkHeaderError(t, err)
			return
		}
		format := detectFormat(bufio.NewReader(bytes.NewReader(data)), "")
		for _, rw := range readAll(t, next) {
			if rw.bad != nil {
				checkBad(t, data, rw.bad)
				continue
			}
			// Write the row again in the format it was read in (CSV trims
			// its cells, JSON keeps its strings as they are).
			again := csvFile(t, listColumns, []string{rw.list, rw.subject, rw.name, rw.caseNumber, rw.court, rw.decided, rw.notice, rw.grounds, rw.basis, rw.aggravation})
			if format == JSONL {
				jr := jsonListRow{List: rw.list, Subject: rw.subject, Name: rw.name, CaseNumber: rw.caseNumber, Court: rw.court,
					Decided: rw.decided, Notice: rw.notice, Grounds: rw.grounds, Basis: rw.basis}
				if rw.aggravation != "" {
					n, err := strconv.Atoi(rw.aggravation)
					if err != nil {
						t.Fatalf("aggravation %q read from JSON is not a number", rw.aggravation)
					}
					jr.Aggravation = &n
				}
				line, err := json.Marshal(jr)
				if err != nil {
					t.Fatal(err)
				}
				again = append([]byte("\n"), append(line, '\n')...)
			}
			next, err := listReader(bytes.NewReader(again), format)
			if err != nil {
				t.Fatal(err)
			}
			back := readAll(t, next)
			want := *rw
			want.line = 2
			if len(back) != 1 || !reflect.DeepEqual(*back[0], want) {
				t.Fatalf("row %+v written again as %q reads back as %+v", want, again, back)
			}
		}
	})
}
