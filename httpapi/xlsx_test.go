package httpapi_test

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/client"
	"github.com/tallycredit/tally/httpapi"
	"github.com/tallycredit/tally/ledger"
)

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// xlsxBody is an .xlsx whose first sheet holds rows from A1.
func xlsxBody(t *testing.T, rows ...[]any) *bytes.Reader {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &rows[i]); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return bytes.NewReader(b.Bytes())
}

// The import endpoints take an Excel workbook with Chinese headers: one
// with a malformed row is refused with a 400 naming its row and cell and
// writes nothing; a good one imports exactly its rows.
func TestImportWorkbooks(t *testing.T) {
	s := startServer(t, httpapi.Config{})
	s.publish("village.yaml")
	const scheme = "jiakuang-majia"
	ctx := context.Background()
	recorder := s.client(ledger.TokenSpec{Name: "recorder-7", Role: tally.Recorder, Schemes: []string{scheme}})
	admin := s.client(ledger.TokenSpec{Name: "registry", Role: tally.Admin})
	const zhang = "360426199101010071"

	people := [][]any{{"类别", "证件号码", "姓名", "方案", "小组", "同意评分"}, {"person", zhang, "张三", scheme, "一组", "yes"}}
	pr, err := admin.ImportSubjects(ctx, xlsxBody(t, people...), nil)
	if err != nil || pr.Rows != 1 || pr.Added != 1 || pr.Enrolled != 1 || len(pr.Bad) != 0 {
		t.Fatalf("import subjects from a workbook: %+v %v, want 1 added and enrolled", pr, err)
	}

	header := []any{"方案", "证件号码", "规则", "发生时间", "来源编号", "情节", "证据"}
	good := [][]any{header,
		{scheme, zhang, "labour.volunteer", time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC), "x/1", "hours=4"},
		{scheme, zhang, "donation", "2026-03-10", "x/2", "value=300", "receipt 88"}}
	bad := append(append([][]any{}, good...), []any{scheme, zhang, "donation", "2026-03-11", "x/3", nil, nil, nil, "stray"})
	before := s.records(scheme)
	_, err = recorder.Import(ctx, xlsxType, xlsxBody(t, bad...), nil)
	var e *client.Error
	if !errors.As(err, &e) || e.Status != 400 || len(e.Problems) != 1 || e.Problems[0].Line != 4 || e.Problems[0].Column != 9 || e.Problems[0].Cell != "I4" {
		t.Errorf("import a workbook with a malformed row: %v (%+v), want 400 naming row 4, column 9, cell I4", err, e)
	}
	if n := s.records(scheme); n != before {
		t.Errorf("a refused workbook wrote %d records", n-before)
	}
	rep, err := recorder.Import(ctx, xlsxType, xlsxBody(t, good...), nil)
	if err != nil || rep.Rows != 2 || rep.Recorded != 2 || len(rep.Bad) != 0 {
		t.Errorf("import a good workbook: %+v %v, want 2 rows recorded", rep, err)
	}
	if n := s.records(scheme); n != before+2 {
		t.Errorf("a good workbook wrote %d records, want 2", n-before)
	}
	// A workbook told by its first bytes alone is read the same.
	rep, err = recorder.Import(ctx, "text/plain", xlsxBody(t, good...), nil)
	if err != nil || rep.Rows != 2 || rep.Unchanged != 2 {
		t.Errorf("the same workbook again, sent as text/plain: %+v %v, want 2 unchanged", rep, err)
	}
}
