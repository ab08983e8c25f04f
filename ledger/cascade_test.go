package ledger_test

import (
	"strings"
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/parse"
)

const listHeader = "list,subject,name,case_number,court,decided,notice,grounds,basis\n"

func listRow(list, id, name, caseNumber string) string {
	return strings.Join([]string{list, id, name, caseNumber, "荣成市人民法院", "2026-01-05", "2026-01-10", "refuses to perform", "SPC Provisions art. 1"}, ",") + "\n"
}

// TestSnapshotImportRevokesWhatItNoLongerNames: only an import the caller
// marks as a full snapshot of a list revokes the entries the file no
// longer names; an ordinary import of the same file only adds.
func TestSnapshotImportRevokesWhatItNoLongerNames(t *testing.T) {
	f := newListFixture(t)
	both := listHeader + listRow("judgment-defaulters", zhang, "张三", "(2026)鲁1082执1号") + listRow("judgment-defaulters", li, "李四", "(2026)鲁1082执2号")
	if rep, err := f.svc.ImportListings(f.ctx, strings.NewReader(both), parse.CSV, nil); err != nil || rep.Listed != 2 {
		t.Fatalf("import: %+v, %v", rep, err)
	}
	onlyLi := listHeader + listRow("judgment-defaulters", li, "李四", "(2026)鲁1082执2号")
	rep, err := f.svc.ImportListings(f.ctx, strings.NewReader(onlyLi), parse.CSV, nil)
	if err != nil || rep.Revoked != 0 || rep.Unchanged != 1 {
		t.Fatalf("an ordinary import: %+v, %v; want nothing revoked", rep, err)
	}
	if cs, _ := f.svc.Cascades(f.ctx, false); len(cs) != 0 {
		t.Fatalf("an ordinary import made cascades %+v", cs)
	}
	other := onlyLi + listRow("consumption-restricted", zhang, "张三", "(2026)鲁1082执3号")
	rep, err = f.svc.ImportListSnapshot(f.ctx, "judgment-defaulters", strings.NewReader(other), parse.CSV, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Revoked != 1 || rep.Unchanged != 1 || len(rep.Bad) != 1 || rep.Bad[0].Field != "list" {
		t.Errorf("snapshot: %+v, want 1 revoked, 1 unchanged, the other list's row bad", rep)
	}
	cs, err := f.svc.Cascades(f.ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 1 || cs[0].Source != "(2026)鲁1082执1号" || len(cs[0].EntriesRemoved) != 1 || cs[0].Overdue {
		t.Errorf("cascades %+v, want case 1 revoked on time", cs)
	}
	// A snapshot that names a case only in a bad row does not revoke it.
	bad := listHeader + strings.Replace(listRow("judgment-defaulters", li, "李四", "(2026)鲁1082执2号"), "2026-01-10", "not a date", 1)
	rep, err = f.svc.ImportListSnapshot(f.ctx, "judgment-defaulters", strings.NewReader(bad), parse.CSV, nil)
	if err != nil || rep.Revoked != 0 || len(rep.Bad) != 1 {
		t.Errorf("a snapshot naming a case in a bad row: %+v, %v; want it kept", rep, err)
	}
}

// TestRevocationIsChecked refuses a revocation without a source, in the
// future or of an unknown kind, and a second one with other content.
func TestRevocationIsChecked(t *testing.T) {
	f := newListFixture(t)
	for name, in := range map[string]ledger.Revocation{
		"no source": {},
		"future":    {Source: "x", RevokedOn: now.AddDate(0, 0, 1)},
		"kind":      {Source: "x", Change: "forgotten"},
	} {
		if _, err := f.svc.Revoke(f.ctx, in); tally.ErrorCodeOf(err) != tally.EInvalid {
			t.Errorf("%s: %v, want invalid", name, err)
		}
	}
	if _, err := f.svc.Revoke(f.ctx, ledger.Revocation{Source: "x", Note: "a"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Revoke(f.ctx, ledger.Revocation{Source: "x", Note: "b"}); tally.ErrorCodeOf(err) != tally.EConflict {
		t.Errorf("again with another note: %v, want conflict", err)
	}
}

// TestRevokedIsNotAHandRemoval: "revoked" is the reason only a cascade
// gives; removing an entry by hand with it would leave the records the
// decision derived in force.
func TestRevokedIsNotAHandRemoval(t *testing.T) {
	f := newListFixture(t)
	e, err := f.svc.List(f.ctx, defaulter())
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.Remove(f.ctx, ledger.Removal{List: e.List, CaseNumber: e.CaseNumber, Reason: tally.Revoked})
	if te, ok := err.(*tally.Error); !ok || te.Code != tally.EInvalid || te.Field != "reason" {
		t.Errorf("remove as revoked: %v, want invalid reason pointing to revoke", err)
	}
}
