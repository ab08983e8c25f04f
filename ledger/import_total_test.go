package ledger_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tallycredit/tally/ledger"
)

// Every progress report of an import knows how many rows there are in
// all, so that a terminal can show how much is left.
func TestImportProgressKnowsTheTotal(t *testing.T) {
	f := newFixture(t)
	f.publishExample("village.yaml")
	f.person("jiakuang-majia", zhang, "张三")
	var totals []int
	progress := func(r ledger.ImportReport) { totals = append(totals, r.Total) }
	if _, err := f.svc.Import(f.ctx, strings.NewReader(importCSV), ledger.ImportOptions{Batch: 2, Progress: progress}); err != nil {
		t.Fatal(err)
	}
	conducts := []ledger.Conduct{{Scheme: "jiakuang-majia", Identifier: zhang, Rule: "labour.volunteer", FactArgs: []string{"hours=8"},
		At: time.Date(2026, 3, 9, 0, 0, 0, 0, time.UTC), Ref: "all/1"}}
	if _, err := f.svc.RecordAll(f.ctx, conducts, ledger.ImportOptions{Progress: progress}); err != nil {
		t.Fatal(err)
	}
	if want := []int{7, 7, 7, 7, 1}; fmt.Sprint(totals) != fmt.Sprint(want) {
		t.Errorf("totals in progress = %v, want %v", totals, want)
	}
}
