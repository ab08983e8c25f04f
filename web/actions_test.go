package web_test

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/tallycredit/tally/catalog"
)

// loggedAction finds the action word of an access-log write in the
// ledger's source: logAccess(ctx, tx, subject, scheme, "action", ...) and
// logRead(ctx, subject, scheme, "action", ...).
var loggedAction = regexp.MustCompile(`log(?:Access\([^,]+, [^,]+, [^,]+, [^,]+|Read\([^,]+, [^,]+, [^,]+), "([a-z-]+)"`)

// Every action the ledger writes to the access log, and every purpose the
// system states for itself, has a name in each language, so that a
// resident's access log never shows the raw English word.
func TestAccessLogWordsHaveNames(t *testing.T) {
	set, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob("../ledger/*.go")
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range loggedAction.FindAllSubmatch(src, -1) {
			keys["action."+string(m[1])] = true
		}
	}
	if len(keys) < 10 {
		t.Fatalf("found only %v in the ledger's source; has the way it logs changed?", keys)
	}
	// Actions named by a variable, and the purposes the pages and the
	// ledger state (web/recorder.go purposeOf, ledger/report.go).
	for _, k := range []string{"action.score", "action.explain", "action.approve", "action.reject", "action.report", "action.report-verified", "action.commitment-fulfilled", "action.commitment-breached",
		"purpose.record", "purpose.review", "purpose.administration", "purpose.verify a credit report"} {
		keys[k] = true
	}
	for k := range keys {
		for _, lang := range catalog.Languages {
			if _, ok := set[lang][k]; !ok {
				t.Errorf("messages/%s.json has no %q", lang, k)
			}
		}
	}
}
