package sheet_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/sheet"
)

// The late records of the workbook have a column that says whether an
// objection to each is open (有异议), in the language asked for.
func TestXLSXLateRecordsSayDisputed(t *testing.T) {
	s := &ledger.Sheet{Close: tally.Close{Scheme: "jiakuang-majia", Period: "2026-10", ClosedAt: time.Unix(0, 0)}}
	s.Late = []ledger.LateEntry{{Subject: "3604**********0071"}, {Subject: "3604**********0072"}}
	s.Late[0].ID, s.Late[1].ID, s.Late[1].Disputed = 7, 8, true
	none := func(func(*tally.CloseRow) error) error { return nil }
	for _, tc := range []struct{ lang, late, header, no, yes string }{{"zh", "补录", "有异议", "否", "是"}, {"en", "late", "disputed", "no", "yes"}} {
		var b bytes.Buffer
		if err := sheet.WriteXLSX(&b, s, none, tc.lang); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(&b)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := f.GetRows(tc.late)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 3 {
			t.Fatalf("%s: %d rows in %s, want a header and two records: %q", tc.lang, len(rows), tc.late, rows)
		}
		last := len(rows[0]) - 1
		if rows[0][last] != tc.header || len(rows[1]) != last+1 || rows[1][last] != tc.no || rows[2][last] != tc.yes {
			t.Errorf("%s: late records %q, want a last column %q with %q for #7 and %q for #8", tc.lang, rows, tc.header, tc.no, tc.yes)
		}
	}
}
