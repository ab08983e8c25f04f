package ledger_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/examples"
	"github.com/tallycredit/tally/ledger"
)

// villageWith returns the village rulebook with one text replaced.
func villageWith(t *testing.T, old, new string) string {
	t.Helper()
	src, err := examples.Rulebooks.ReadFile("village.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(src), old) {
		t.Fatalf("village.yaml has no %q", old)
	}
	return strings.Replace(string(src), old, new, 1)
}

const neglectClass = "severity: general      # general deductions last 3 months to 1 year\n    lasts: 1y"

// Publish refuses a deduction outside its severity class, with the reason
// in Chinese and English naming the rule and the field.
func TestPublishRefusesADeductionOutsideItsClass(t *testing.T) {
	f := newFixture(t)
	for _, tt := range []struct{ class, want string }{
		{"severity: serious\n    lasts: 4y", "rule family.neglect-elderly: lasts: 4年：严重失信行为最长公示3年 / 4y is longer than a serious deduction may last (at most 3y)"},
		{"severity: general\n    lasts: 14d", "rule family.neglect-elderly: lasts: 14日：一般失信行为最短公示3个月 / 14d is shorter than a general deduction may last (at least 3m)"},
	} {
		_, err := f.svc.Publish(f.ctx, "village.yaml", []byte(villageWith(t, neglectClass, tt.class)))
		wantCode(t, err, tally.EInvalid, tt.want)
	}
	if vs, err := f.svc.Versions(f.ctx, "jiakuang-majia"); tally.ErrorCodeOf(err) != tally.ENotFound && len(vs) != 0 {
		t.Errorf("got versions %v (%v), want none stored", vs, err)
	}
}

// The notice of every deduction says from when and how it may be
// repaired: a general one 3 months after it happened, a minor one at once.
func TestDeductionNoticeSaysWhenRepairable(t *testing.T) {
	f := newFixture(t)
	f.publishExample("village.yaml")
	f.person("jiakuang-majia", zhang, "张三")
	neglect := f.record("jiakuang-majia", zhang, "family.neglect-elderly", "2026-09-10", "n/1")
	litter := f.record("jiakuang-majia", zhang, "conduct.littering", "2026-11-20", "n/2")
	award := f.record("jiakuang-majia", zhang, "neighbours.help", "2026-11-21", "n/3")
	bodies := map[int64]string{}
	if err := f.db.View(f.ctx, func(tx ledger.Tx) error {
		ns, err := tx.Notices(f.ctx, ledger.DueFilter{Limit: 10})
		for _, n := range ns {
			bodies[n.About] = n.Body
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		id   int64
		want string
	}{
		{neglect.ID, "信用修复：自 2026-12-10 起（一般失信行为公示满3个月后）"},
		{neglect.ID, "Repair: from 2026-12-10 (a general deduction, after 3m)"},
		{litter.ID, "信用修复：自 2026-11-20 起（轻微失信行为可随时申请）"},
		{litter.ID, "Repair: from 2026-11-20 (a minor deduction, at once)"},
		{neglect.ID, "tally repair apply --scheme jiakuang-majia --subject ... --record " + strconv.FormatInt(neglect.ID, 10)},
	} {
		if !strings.Contains(bodies[tt.id], tt.want) {
			t.Errorf("notice of record #%d:\n%s\nwant it to say %q", tt.id, bodies[tt.id], tt.want)
		}
	}
	if strings.Contains(bodies[award.ID], "Repair") || strings.Contains(bodies[award.ID], "信用修复") {
		t.Errorf("notice of an award:\n%s\nwant no word of repair", bodies[award.ID])
	}
}

// A minor deduction kept in the office (publish: false) counts in the
// office's score but is left out of the credit report, its score and
// records alike.
func TestUnpublishedDeductionStaysOutOfTheReport(t *testing.T) {
	f := newFixture(t)
	f.publish("village.yaml", villageWith(t, "    lasts: 3m\n", "    lasts: 3m\n    publish: false\n"))
	f.person("jiakuang-majia", zhang, "张三")
	f.record("jiakuang-majia", zhang, "neighbours.help", "2026-11-20", "u/1")
	f.record("jiakuang-majia", zhang, "conduct.littering", "2026-11-21", "u/2")
	office, _ := f.score("jiakuang-majia", zhang, "2026-11-26")
	rep := f.report()
	if len(rep.Schemes) != 1 {
		t.Fatalf("report schemes %+v, want one", rep.Schemes)
	}
	rs := rep.Schemes[0]
	for _, e := range rs.InEffect {
		if e.Rule == "conduct.littering" {
			t.Errorf("report shows the unpublished record %+v", e)
		}
	}
	if len(rs.InEffect) != 1 || rs.Score.Score == nil || *rs.Score.Score != office+10 {
		t.Errorf("report: %d records, score %v; want 1 record and %d (the office's %d without the -10 kept in the office)", len(rs.InEffect), rs.Score.Score, office+10, office)
	}
}

// The honour board draws a score without a deduction kept in the office.
func TestUnpublishedDeductionStaysOffTheBoard(t *testing.T) {
	f := newFixture(t)
	f.publish("village.yaml", villageWith(t, "    lasts: 3m\n", "    lasts: 3m\n    publish: false\n"))
	f.person("jiakuang-majia", zhang, "张三")
	if err := f.svc.SetPublication(f.ctx, "jiakuang-majia", zhang, true, "signed form"); err != nil {
		t.Fatal(err)
	}
	f.record("jiakuang-majia", zhang, "neighbours.help", "2026-09-20", "z/1")
	f.record("jiakuang-majia", zhang, "donation", "2026-10-05", "z/2", "value=1100")
	f.record("jiakuang-majia", zhang, "conduct.littering", "2026-10-25", "z/litter")
	if _, _, err := f.svc.Close(f.ctx, "jiakuang-majia", "2026-10", nil); err != nil {
		t.Fatal(err)
	}
	var closing int64
	if err := f.svc.EachCloseRow(f.ctx, "jiakuang-majia", "2026-10", func(r *tally.CloseRow) error {
		if r.Name == "张三" {
			closing = *r.Closing
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if closing != 3 {
		t.Fatalf("the office's sheet: 张三 closes with %d, want 3 (13 less the 10 kept in the office)", closing)
	}
	board, err := f.svc.HonourBoard(f.ctx, "jiakuang-majia", "2026-10", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(board.Entries) != 1 || board.Entries[0].Score != 13 || board.Entries[0].Flags != 2 || board.Entries[0].Stars != 1 {
		t.Errorf("board %+v: want 张三 with 13 points, 2 flags and 1 star, as if the unpublished deduction were not there", board.Entries)
	}
}
