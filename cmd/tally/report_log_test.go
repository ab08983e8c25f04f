package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tallycredit/tally/report"
)

// loggedReport issues Zhang San's report on a logged instance and
// returns the file.
func loggedReport(t *testing.T, c *cli) string {
	t.Helper()
	if _, err := report.FindFont(""); err != nil {
		t.Fatal(err) // CI has the fonts; a report cannot be made without one
	}
	pdf := filepath.Join(t.TempDir(), "r.pdf")
	c.ok("report", "360426199101010071", "--purpose", "home loan", "--out", pdf)
	return pdf
}

// TestVerifyShowsReportLogProofs: a report carries the proofs of its
// records and of its subject's own entry, and tally verify of an untouched database finds each in the
// log, as it was.
func TestVerifyShowsReportLogProofs(t *testing.T) {
	c := loggedCLI(t)
	pdf := loggedReport(t, c)
	out := c.ok("verify", pdf)
	for _, want := range []string{"genuine and unaltered", "checkpoint of 5 entries", "signed with this instance's log key",
		"in the log: record 1, in the public log at position 3", "in the log: record 2, in the public log at position 4",
		"in the log: subject 1, in the public log at position 2"} {
		if !strings.Contains(out, want) {
			t.Errorf("verify of an untouched report: %s\nwant %q", out, want)
		}
	}
	var got struct {
		Log struct {
			Carried, Signed, Consistent bool
			Entries                     []struct{ Kind, Ref, Status string }
		}
	}
	if err := json.Unmarshal([]byte(c.ok("verify", pdf, "--json")), &got); err != nil || !got.Log.Carried || !got.Log.Signed || !got.Log.Consistent || len(got.Log.Entries) != 3 {
		t.Errorf("verify --json: %+v, %v", got, err)
	}
}

// TestVerifyFindsTamperingSinceTheReport: on either engine, a record the
// report lists, edited, backdated or deleted in the database directly
// after it was issued, is named by tally verify, which fails.
func TestVerifyFindsTamperingSinceTheReport(t *testing.T) {
	tests := []struct {
		name, stmt, want string
	}{
		{"edited", `UPDATE records SET awarded = 200 WHERE ref = 'recorder-7/2026-03-02'`, "changed since the report: record 1"},
		{"backdated", `UPDATE records SET happened_at = happened_at - 86400000000 WHERE ref = 'recorder-7/2026-03-03'`, "changed since the report: record 2"},
		{"deleted", `DELETE FROM records WHERE ref = 'recorder-7/2026-03-03'`, "missing: record 2"},
	}
	for engine, fresh := range cliEngines {
		t.Run(engine, func(t *testing.T) {
			for _, tc := range tests {
				t.Run(tc.name, func(t *testing.T) {
					c := logged(t, fresh(t))
					pdf := loggedReport(t, c)
					tamper(t, c, tc.stmt)
					code, out, errOut := c.run("verify", pdf)
					if code != exitConflict || !strings.Contains(out, tc.want) || !strings.Contains(errOut, "public-log check found 1 problems") {
						t.Errorf("verify after a row was %s: exit %d\n%s%s\nwant %d and %q", tc.name, code, out, errOut, exitConflict, tc.want)
					}
				})
			}
		})
	}
}
