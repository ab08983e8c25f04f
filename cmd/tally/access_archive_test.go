package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/sqlite"
)

// tally access archive moves entries older than --before, refuses a day
// less than 5 years ago and bad input naming the flag, in both languages,
// moves nothing the second time; tally access still shows the archived
// entry, with its authority.
func TestAccessArchive(t *testing.T) {
	c := newCLI(t)
	c.ok("init")
	c.ok("rules", "publish", "../../examples/village.yaml")
	c.ok("subjects", "add", "--kind", "person", "--id", zhangID, "--name", "张三")
	c.ok("enrol", "--scheme", "jiakuang-majia", "--subject", zhangID, "--consent")
	long := time.Now().AddDate(-6, 0, 0)
	insertOldEntry(t, c.db, long)
	c.ok("score", zhangID, "--scheme", "jiakuang-majia") // the newest entry, which stays live

	recent := time.Now().AddDate(-4, 0, 0).Format("2006-01-02")
	for _, tc := range []struct {
		args       []string
		field, say string
	}{
		{[]string{"access", "archive", "--before", recent}, "before", "or earlier"},
		{[]string{"access", "archive", "--before", recent, "--lang", "zh"}, "before", "日期须不晚于"},
		{[]string{"access", "archive", "--before", "2020-13-45"}, "before", "is not a day"},
		{[]string{"access", "archive", "--before", "2020-13-45", "--lang", "zh"}, "before", "不是日期"},
		{[]string{"access", "archive"}, "before", "--before YYYY-MM-DD"},
		{[]string{"access", "archive", "--before", "2015-01-01", "--keep", "4y"}, "keep", "kept at least 5y"},
		{[]string{"access", "archive", "--before", "2015-01-01", "--keep", "4y", "--lang", "zh"}, "keep", "至少保存 5y"},
		{[]string{"access", "archive", "--before", "2015-01-01", "--keep", "forever"}, "keep", "is not a period"},
	} {
		code, out, errOut := c.run(tc.args...)
		if code != exitInvalid || !strings.Contains(errOut, "tally: "+tc.field) || !strings.Contains(errOut, tc.say) {
			t.Errorf("tally %s: exit %d, %q%q; want exit %d naming %s and saying %q", strings.Join(tc.args, " "), code, out, errOut, exitInvalid, tc.field, tc.say)
		}
	}
	t.Setenv("TALLY_ACCESS_KEEP", "4y") // the deployment's retention, as short as --keep 4y
	if code, _, errOut := c.run("access", "archive", "--before", "2015-01-01"); code != exitInvalid || !strings.Contains(errOut, "tally: keep") {
		t.Errorf("TALLY_ACCESS_KEEP=4y: exit %d, %q; want exit %d naming keep", code, errOut, exitInvalid)
	}
	t.Setenv("TALLY_ACCESS_KEEP", "")
	if got := archivedIn(t, c); got != 0 {
		t.Fatalf("after refused archiving, %d entries are archived", got)
	}

	day := time.Now().AddDate(-5, 0, -1).Format("2006-01-02")
	out := c.ok("access", "archive", "--before", day)
	if !strings.Contains(out, "1 access-log entries older than "+day+" moved") {
		t.Errorf("access archive printed %q, want 1 entry moved", out)
	}
	var again ledger.Archived
	if err := json.Unmarshal([]byte(c.ok("access", "archive", "--before", day, "--json")), &again); err != nil || again.Moved != 0 || again.Keep != "5y" {
		t.Errorf("access archive again = %+v, %v; want nothing moved, kept 5y", again, err)
	}
	if got := archivedIn(t, c); got != 1 {
		t.Errorf("after archiving, the subject's log shows %d archived entries, want 1", got)
	}

	table := c.ok("access", zhangID)
	if !strings.Contains(table, "subjects.read/any") || !strings.Contains(table, "archived") || !strings.Contains(table, "AUTHORITY") {
		t.Errorf("access printed:\n%s\nwant the authority of each entry and the archived one marked", table)
	}
	zh := c.ok("access", zhangID, "--lang", "zh")
	if !strings.Contains(zh, "已归档") || !strings.Contains(zh, "「查阅当事人的分数、说明、历史或趋势」权限，不限范围") {
		t.Errorf("access --lang zh printed:\n%s\nwant the authority and the archived mark in Chinese", zh)
	}
}

const zhangID = "360426199101010071"

// insertOldEntry writes an access-log entry for subject 1 at an instant
// past the retention period, as a tally of that time would have.
func insertOldEntry(t *testing.T, db string, at time.Time) {
	t.Helper()
	store, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	err = store.Update(context.Background(), func(tx ledger.Tx) error {
		return tx.InsertAccess(context.Background(), &tally.Access{At: at, SubjectID: 1, Actor: "auditor", Role: tally.Admin,
			Action: "history", Purpose: "audit of 2020", Op: string(ledger.OpReadSubject), Scope: string(ledger.Anywhere)})
	})
	if err != nil {
		t.Fatal(err)
	}
}

// archivedIn counts the archived entries in zhang's access log, as
// tally access --json shows them.
func archivedIn(t *testing.T, c *cli) int {
	t.Helper()
	var page struct {
		Items []ledger.AccessEntry `json:"items"`
	}
	if err := json.Unmarshal([]byte(c.ok("access", zhangID, "--json")), &page); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range page.Items {
		if e.Archived {
			n++
		}
	}
	return n
}
