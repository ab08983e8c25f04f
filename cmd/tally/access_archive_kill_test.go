//go:build linux

package main

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/sqlite"
)

// archiveShown is the progress line of tally access archive.
var archiveShown = regexp.MustCompile(`archiving: (\d+) / (\d+) entries`)

// tally access archive is one transaction: killed with SIGKILL once its
// progress shows entries moved, it has moved none; run again, it moves
// them all.
func TestKillDuringAccessArchive(t *testing.T) {
	const old = 60_000
	r := newRig(t)
	db := filepath.Join(t.TempDir(), "tally.db")
	r.ok(db, "init")
	r.ok(db, "subjects", "add", "--kind", "person", "--id", zhangID, "--name", "张三")
	insertOldEntries(t, db, old, time.Now().AddDate(-6, 0, 0))
	r.ok(db, "access", zhangID) // the newest entry, which stays live
	before := countAccess(t, db)

	day := time.Now().AddDate(-5, 0, -1).Format("2006-01-02")
	movedSome := func(line string) bool {
		m := archiveShown.FindStringSubmatch(line)
		return m != nil && m[1] != "0"
	}
	if !r.killWhen(db, movedSome, "access", "archive", "--before", day) {
		t.Fatalf("the archiving of %d entries ended before its progress showed on the terminal: the kill came too late to test anything", old)
	}
	if got := countAccess(t, db); got != before {
		t.Errorf("after the kill: %v, want %v (nothing moved)", got, before)
	}
	out := r.ok(db, "access", "archive", "--before", day)
	if want := fmt.Sprintf("%d access-log entries", old); !strings.Contains(out, want) {
		t.Errorf("archive again: %q, want %q", out, want)
	}
	if got := countAccess(t, db); got[1] != old || got[0]+got[1] != before[0] {
		t.Errorf("after archiving: live and archived %v, want %d archived of %d", got, old, before[0])
	}
}

// insertOldEntries writes n access-log entries for subject 1 at an
// instant past the retention period.
func insertOldEntries(t *testing.T, db string, n int, at time.Time) {
	t.Helper()
	store, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	entries := make([]*tally.Access, n)
	for i := range entries {
		entries[i] = &tally.Access{At: at.Add(time.Duration(i) * time.Second), SubjectID: 1, Actor: "auditor", Role: tally.Admin,
			Action: "history", Purpose: "audit", Op: string(ledger.OpReadSubject), Scope: string(ledger.Anywhere)}
	}
	if err := store.Update(context.Background(), func(tx ledger.Tx) error { return tx.InsertAccesses(context.Background(), entries) }); err != nil {
		t.Fatal(err)
	}
}

// countAccess returns how many entries the live log and the archive hold.
func countAccess(t *testing.T, db string) [2]int {
	t.Helper()
	conn, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var out [2]int
	for i, table := range []string{"access_log", "access_log_archive"} {
		if err := conn.QueryRow("SELECT COUNT(*) FROM " + table).Scan(&out[i]); err != nil {
			t.Fatal(err)
		}
	}
	return out
}
