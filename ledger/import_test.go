package ledger_test

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/parse"
)

const importCSV = `scheme,subject,rule,at,ref,facts,evidence
jiakuang-majia,360426199101010071,labour.volunteer,2026-03-02,imp/1,hours=8,
jiakuang-majia,360426199101010071,donation,2026-03-03,imp/2,value=3000,receipt 17
jiakuang-majia,360426199101010071,labour.sleeping,2026-03-03,imp/3,,
jiakuang-majia,360426199101010072,labour.volunteer,2026-03-04,imp/4,hours=4,
jiakuang-majia,360426199101010071,labour.volunteer,2026-13-01,imp/5,hours=4,
jiakuang-majia,360426199101010071,labour.volunteer,2026-03-05,imp/6,hours=lots,
jiakuang-majia,360426199101010071,family.military,2026-03-06,imp/7,,enlistment notice
`

func TestImportKeepsGoodRowsAndReportsBadOnes(t *testing.T) {
	f := newFixture(t)
	f.publishExample("village.yaml")
	f.person("jiakuang-majia", zhang, "张三")
	var progress []int
	rep, err := f.svc.Import(f.ctx, strings.NewReader(importCSV), ledger.ImportOptions{Batch: 2,
		Progress: func(r ledger.ImportReport) { progress = append(progress, r.Rows) }})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rows != 7 || rep.Recorded != 3 || len(rep.Bad) != 4 {
		t.Fatalf("report = %+v, want 7 rows, 3 recorded, 4 bad", rep)
	}
	wantLines := []int{4, 5, 6, 7}
	for i, b := range rep.Bad {
		if b.Line != wantLines[i] {
			t.Errorf("bad row %d at line %d, want line %d", i, b.Line, wantLines[i])
		}
	}
	if !strings.Contains(rep.Bad[1].Message, "3604**********0072") {
		t.Errorf("unknown subject row says %q, want the masked identifier", rep.Bad[1].Message)
	}
	if got, _ := f.score("jiakuang-majia", zhang, "2026-03-31"); got != 42 {
		t.Errorf("score = %d, want 42 from the three good rows", got)
	}
	if len(progress) == 0 || progress[len(progress)-1] != 7 {
		t.Errorf("progress = %v, want reports ending at 7 rows", progress)
	}

	// The same file again changes nothing.
	rep, err = f.svc.Import(f.ctx, strings.NewReader(importCSV), ledger.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Recorded != 0 || rep.Replayed != 3 || len(rep.Bad) != 4 {
		t.Errorf("second import = %+v, want 0 recorded, 3 unchanged, 4 bad", rep)
	}
	if _, records := f.counts("jiakuang-majia"); records != 3 {
		t.Errorf("records after importing twice = %d, want 3", records)
	}
}

func TestImportJSONLines(t *testing.T) {
	f := newFixture(t)
	f.publishExample("village.yaml")
	f.person("jiakuang-majia", zhang, "张三")
	good := `{"scheme":"jiakuang-majia","subject":"360426199101010071","rule":"labour.volunteer","at":"2026-03-02","ref":"j/1","facts":{"hours":8}}

{"scheme":"jiakuang-majia","subject":"360426199101010071","rule":"donation","at":"2026-03-02","ref":"j/2","facts":{"value":"3000"}}
`
	malformed := `{"scheme":"jiakuang-majia","subject":"360426199101010071","rule":"donation","at":"2026-03-02","ref":"j/3","facts":{"value":3000},"colour":"red"}
not json
`
	// A line that is not a row refuses the whole file, naming every such
	// line, and writes nothing.
	_, err := f.svc.Import(f.ctx, strings.NewReader(good+malformed), ledger.ImportOptions{})
	var fe *parse.FileError
	if !errors.As(err, &fe) || fe.Count != 2 || fe.Bad[0].Line != 4 || fe.Bad[0].Field != "colour" || fe.Bad[1].Line != 5 || fe.Bad[1].Column != 1 {
		t.Fatalf("import with malformed lines: %v %+v, want a FileError naming line 4 (colour) and line 5, column 1", err, fe)
	}
	if _, records := f.counts("jiakuang-majia"); records != 0 {
		t.Errorf("records after a refused file = %d, want 0", records)
	}

	// A row whose content is wrong is reported; the good rows are kept.
	rep, err := f.svc.Import(f.ctx, strings.NewReader(good), ledger.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Recorded != 1 || len(rep.Bad) != 1 || rep.Bad[0].Line != 3 {
		t.Fatalf("report = %+v, want 1 recorded and line 3 bad", rep)
	}
}

func TestImportRefusesABadHeader(t *testing.T) {
	f := newFixture(t)
	_, err := f.svc.Import(f.ctx, strings.NewReader("scheme,subject,rule,when,ref\n"), ledger.ImportOptions{})
	wantCode(t, err, "invalid", "when")
}

// Caps hold inside one import batch, where records are written together at
// the end, and across batches.
func TestImportAppliesCapsWithinABatch(t *testing.T) {
	f := newFixture(t)
	f.publish("capped.yaml", capped)
	f.person("capped", zhang, "张三")
	var csv strings.Builder
	csv.WriteString("scheme,subject,rule,at,ref\n")
	for i := 0; i < 95; i++ {
		fmt.Fprintf(&csv, "capped,%s,late-fee,2026-05-%02d,bulk/%d\n", zhang, 1+i%28, i)
	}
	for _, size := range []int{500, 7} {
		rep, err := f.svc.Import(f.ctx, strings.NewReader(csv.String()), ledger.ImportOptions{Batch: size})
		if err != nil || len(rep.Bad) > 0 {
			t.Fatalf("batch %d: %v %+v", size, err, rep.Bad)
		}
	}
	if got, _ := f.score("capped", zhang, "2026-05-31"); got != 90 {
		t.Errorf("score after 95 imported deductions = %d, want 100 - 10 = 90", got)
	}
	if _, records := f.counts("capped"); records != 95 {
		t.Errorf("records = %d, want 95 (the second import changes nothing)", records)
	}
}

// A file that cannot seek (standard input, a request body) is kept for
// the second reading in a temporary file that leaves nothing behind; its
// rows are recorded as from a file.
func TestImportFromAStreamLeavesNoFile(t *testing.T) {
	f := newFixture(t)
	f.publishExample("village.yaml")
	f.person("jiakuang-majia", zhang, "张三")
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	stream := struct{ io.Reader }{strings.NewReader(importCSV)}
	rep, err := f.svc.Import(f.ctx, stream, ledger.ImportOptions{})
	if err != nil || rep.Rows != 7 || rep.Recorded != 3 {
		t.Fatalf("import from a stream: %+v %v, want 7 rows, 3 recorded", rep, err)
	}
	if left, err := os.ReadDir(tmp); err != nil || len(left) != 0 {
		t.Errorf("temporary folder after an import: %v %v, want it empty", left, err)
	}
}

// A file of many malformed rows is refused listing the first
// MaxListedRows of them and counting them all; a row over MaxRowBytes
// is malformed and ends the reading.
func TestImportBoundsWhatARefusalHolds(t *testing.T) {
	f := newFixture(t)
	f.publishExample("village.yaml")
	var b strings.Builder
	b.WriteString("scheme,subject,rule,at,ref\n")
	for range parse.MaxListedRows + 500 {
		b.WriteString("a\"b,c,d,e,f\n")
	}
	_, err := f.svc.Import(f.ctx, strings.NewReader(b.String()), ledger.ImportOptions{})
	var fe *parse.FileError
	if !errors.As(err, &fe) || fe.Count != parse.MaxListedRows+500 || len(fe.Bad) != parse.MaxListedRows || fe.Bad[0].Line != 2 || fe.Bad[0].Column != 2 || fe.Bad[0].Field != "scheme" {
		t.Fatalf("import of bare quotes: %v, want every row counted, %d listed, the first at line 2, column 2 (scheme)", err, parse.MaxListedRows)
	}
	long := "scheme,subject,rule,at,ref,facts\njiakuang-majia,360426199101010071,labour.volunteer,2026-03-02,l/1,\"" + strings.Repeat("x", parse.MaxRowBytes) + "\"\n"
	_, err = f.svc.Import(f.ctx, strings.NewReader(long), ledger.ImportOptions{})
	if !errors.As(err, &fe) || fe.Count != 1 || fe.Bad[0].Line != 2 || !strings.Contains(fe.Bad[0].Message, "longer than") {
		t.Fatalf("import of a long row: %v %+v, want line 2 refused as too long", err, fe)
	}
	unclosed := strings.Replace(long, "\"\n", "\n", 1) + strings.Repeat("more,rows\n", 10000)
	_, err = f.svc.Import(f.ctx, strings.NewReader(unclosed), ledger.ImportOptions{})
	if !errors.As(err, &fe) || fe.Count != 1 || fe.Bad[0].Line != 2 || fe.Bad[0].Field != "facts" || fe.Bad[0].Column != 67 {
		t.Fatalf("import of a quote open past the bound: %v %+v, want line 2, column 67 (facts) refused", err, fe)
	}
}
