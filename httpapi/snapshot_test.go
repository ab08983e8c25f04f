package httpapi_test

import (
	"context"
	"strings"
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/client"
	"github.com/tallycredit/tally/ledger"
)

// A list file sent through the client as the full snapshot of one list
// revokes that list's entries the file no longer names; the same file
// sent as an ordinary import revokes nothing.
func TestListSnapshotThroughTheClient(t *testing.T) {
	s := startListServer(t)
	court := client.New(s.url, s.token(ledger.TokenSpec{Name: "荣成市人民法院", Role: tally.Agency, Categories: []string{"judgment-defaulters"}}), nil)
	ctx := context.Background()
	const header = "list,subject,name,case_number,court,decided,notice,grounds,basis\n"
	row := func(caseNumber string) string {
		return "judgment-defaulters,34052419800101001X,李四," + caseNumber + ",荣成市人民法院,2025-10-01,2025-10-02,refuses,SPC art. 1\n"
	}
	both := header + row("(2025)鲁1082执7号") + row("(2025)鲁1082执8号")
	if rep, err := court.ImportListEntries(ctx, "text/csv", strings.NewReader(both), nil); err != nil || rep.Listed != 2 {
		t.Fatalf("import: %+v, %v; want 2 listed", rep, err)
	}
	one := header + row("(2025)鲁1082执8号")
	if rep, err := court.ImportListEntries(ctx, "text/csv", strings.NewReader(one), nil); err != nil || rep.Revoked != 0 {
		t.Fatalf("an ordinary import: %+v, %v; want nothing revoked", rep, err)
	}
	rep, err := court.ImportListSnapshot(ctx, "judgment-defaulters", "text/csv", strings.NewReader(one), nil)
	if err != nil || rep.Revoked != 1 || rep.Unchanged != 1 {
		t.Fatalf("the snapshot: %+v, %v; want case 7 revoked and case 8 unchanged", rep, err)
	}
}
