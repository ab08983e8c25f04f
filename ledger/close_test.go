package ledger_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/sheet"
)

const wang = "110101199003070070"

// closeFixture is a village with three people and a movable clock: 张三
// ends October with 13 points, 李四 gains and loses, 王五 has records but
// no consent to be scored.
type closeFixture struct {
	*fixture
	clock time.Time
	svc   *ledger.Service
}

func newCloseFixture(t *testing.T) *closeFixture {
	f := &closeFixture{fixture: newFixture(t), clock: now}
	f.svc = ledger.New(f.db, f.vault, ledger.Options{Now: func() time.Time { return f.clock }})
	f.fixture.svc = f.svc
	f.publishExample("village.yaml")
	f.person("jiakuang-majia", zhang, "张三")
	f.person("jiakuang-majia", li, "李四")
	if _, err := f.svc.AddSubject(f.ctx, ledger.NewSubject{Kind: tally.Person, Identifier: wang, Name: "王五"}); err != nil {
		t.Fatal(err)
	}
	f.enrol("jiakuang-majia", wang, false)
	if err := f.svc.SetPublication(f.ctx, "jiakuang-majia", zhang, true, "signed form"); err != nil {
		t.Fatal(err)
	}
	f.record("jiakuang-majia", zhang, "neighbours.help", "2026-09-20", "z/1")
	f.record("jiakuang-majia", zhang, "donation", "2026-10-05", "z/2", "value=1100")
	f.record("jiakuang-majia", li, "labour.volunteer", "2026-10-10", "l/1", "hours=8")
	f.record("jiakuang-majia", li, "conduct.littering", "2026-10-12", "l/2")
	f.record("jiakuang-majia", li, "environment.courtyard", "2026-10-31T23:59", "l/3")
	f.record("jiakuang-majia", wang, "neighbours.help", "2026-10-03", "w/1")
	undone := f.record("jiakuang-majia", li, "neighbours.help", "2026-10-20", "l/4")
	if _, err := f.svc.Reverse(f.ctx, ledger.Reversal{Scheme: "jiakuang-majia", Record: undone.ID, Reason: "wrong person", Ref: "l/4-undo"}); err != nil {
		t.Fatal(err)
	}
	f.record("jiakuang-majia", li, "neighbours.help", "2026-11-02", "l/5") // next period
	return f
}

// periodSum adds the awarded points of a subject's October records that
// count (originals nobody reversed), from its history.
func (f *closeFixture) periodSum(id string) (gains, losses, n int64) {
	f.t.Helper()
	h, err := f.svc.History(f.ctx, "jiakuang-majia", id, 0, 500)
	if err != nil {
		f.t.Fatal(err)
	}
	from := time.Date(2026, 10, 1, 0, 0, 0, 0, shanghai)
	to := from.AddDate(0, 1, 0)
	for _, e := range h {
		if e.IsReversal() || e.Reversed || e.HappenedAt.Before(from) || !e.HappenedAt.Before(to) {
			continue
		}
		n++
		if e.Awarded >= 0 {
			gains += e.Awarded
		} else {
			losses += e.Awarded
		}
	}
	return gains, losses, n
}

func (f *closeFixture) csv(period string) string {
	f.t.Helper()
	s, err := f.svc.Sheet(f.ctx, "jiakuang-majia", period)
	if err != nil {
		f.t.Fatal(err)
	}
	var b bytes.Buffer
	err = sheet.WriteCSV(&b, s, func(fn func(*tally.CloseRow) error) error {
		return f.svc.EachCloseRow(f.ctx, "jiakuang-majia", period, fn)
	}, "en")
	if err != nil {
		f.t.Fatal(err)
	}
	if err := sheet.WriteTotalsCSV(&b, s, "en"); err != nil {
		f.t.Fatal(err)
	}
	return b.String()
}

func TestCloseVillageMonth(t *testing.T) {
	f := newCloseFixture(t)
	c, made, err := f.svc.Close(f.ctx, "jiakuang-majia", "2026-10", nil)
	if err != nil || !made {
		t.Fatalf("close: %v (made %v)", err, made)
	}
	s, err := f.svc.Sheet(f.ctx, "jiakuang-majia", "2026-10")
	if err != nil {
		t.Fatal(err)
	}
	var wantGains, wantLosses, wantN int64
	for _, id := range []string{zhang, li, wang} {
		g, l, n := f.periodSum(id)
		wantGains, wantLosses, wantN = wantGains+g, wantLosses+l, wantN+n
	}
	sum := ledger.Sum(s.Totals)
	if sum.Gains != wantGains || sum.Losses != wantLosses || sum.Records != wantN || c.Records != wantN {
		t.Errorf("totals: gains %d losses %d records %d (close says %d), want the period's records: %d, %d, %d",
			sum.Gains, sum.Losses, sum.Records, c.Records, wantGains, wantLosses, wantN)
	}
	if wantGains != 11+2+1+2 || wantLosses != -10 || wantN != 5 {
		t.Errorf("fixture: period sums %d %d %d, want 16 -10 5", wantGains, wantLosses, wantN)
	}
	rows := map[string]tally.CloseRow{}
	var rowGains int64
	err = f.svc.EachCloseRow(f.ctx, "jiakuang-majia", "2026-10", func(r *tally.CloseRow) error {
		rows[r.Name] = *r
		rowGains += r.Gains
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if rowGains != wantGains {
		t.Errorf("rows' gains add up to %d, want %d", rowGains, wantGains)
	}
	z := rows["张三"]
	if !z.Scored || *z.Opening != 2 || z.Gains != 11 || *z.Closing != 13 || z.Flags != 2 || z.Stars != 1 {
		t.Errorf("张三: %+v, want opening 2, gains 11, closing 13: 2 flags and 1 star", z)
	}
	if l := rows["李四"]; *l.Closing != -7 || l.Gains != 3 || l.Losses != -10 || l.Flags != 0 || l.Stars != 0 {
		t.Errorf("李四: %+v, want closing -7: gains 3, losses -10", l)
	}
	if w := rows["王五"]; w.Scored || w.Closing != nil || w.Gains != 2 || w.Unscored == "" {
		t.Errorf("王五 (no consent): %+v, want unscored with gains 2", w)
	}
	// The score the ledger gives at the period's end is the frozen one.
	if got, _ := f.score("jiakuang-majia", zhang, "2026-10-31"); got != *z.Closing {
		t.Errorf("score at the end of October %d, close says %d", got, *z.Closing)
	}

	rewards, err := f.svc.Rewards(f.ctx, "jiakuang-majia", "2026-10")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int64{}
	for _, l := range rewards {
		got[l.Name+" "+l.Reward] += l.Amount
	}
	want := map[string]int64{"张三 rice": 1, "张三 flag-cash": 100, "张三 role-model": 1}
	if len(got) != len(want) {
		t.Errorf("rewards %v, want %v (李四 gained 3 and ends below the base; 王五 is not scored)", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("rewards %v, want %v", got, want)
		}
	}

	board, err := f.svc.HonourBoard(f.ctx, "jiakuang-majia", "2026-10", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(board.Entries) != 1 || board.Entries[0].Name != "张三" || board.Entries[0].Flags != 2 || board.Entries[0].Stars != 1 {
		t.Errorf("board %+v: want only 张三 (who consented to publication) with 2 flags and 1 star", board.Entries)
	}
}

// TestCloseTwice: a second close returns the first, and its sheet is the
// same bytes; a close before the period's end is refused.
func TestCloseTwice(t *testing.T) {
	f := newCloseFixture(t)
	first, _, err := f.svc.Close(f.ctx, "jiakuang-majia", "2026-10", nil)
	if err != nil {
		t.Fatal(err)
	}
	before := f.csv("2026-10")
	f.clock = f.clock.Add(time.Hour)
	again, made, err := f.svc.Close(f.ctx, "jiakuang-majia", "2026-10", nil)
	if err != nil || made {
		t.Fatalf("close again: %v (made %v), want the first close", err, made)
	}
	if *again != *first {
		t.Errorf("close again %+v, want %+v", again, first)
	}
	if after := f.csv("2026-10"); after != before {
		t.Errorf("sheet changed:\n%s\nwant\n%s", after, before)
	}
	if !strings.Contains(before, "TOTAL,,,,,16,-10,,,,,,,5") {
		t.Errorf("sheet has no total line of 16 gained, -10 lost, 5 records:\n%s", before)
	}
	_, _, err = f.svc.Close(f.ctx, "jiakuang-majia", "2026-11", nil)
	if tally.ErrorCodeOf(err) != tally.EInvalid || !strings.Contains(err.Error(), "has not ended") {
		t.Errorf("close of the current month: %v, want invalid: has not ended", err)
	}
	_, _, err = f.svc.Close(f.ctx, "jiakuang-majia", "2026-13", nil)
	if tally.ErrorCodeOf(err) != tally.EInvalid {
		t.Errorf("close of 2026-13: %v, want invalid", err)
	}
}

// TestCloseLate: a record for October that arrives after October was
// closed scores as usual and is listed in November's close.
func TestCloseLate(t *testing.T) {
	f := newCloseFixture(t)
	if _, _, err := f.svc.Close(f.ctx, "jiakuang-majia", "2026-10", nil); err != nil {
		t.Fatal(err)
	}
	f.clock = time.Date(2026, 11, 27, 9, 0, 0, 0, shanghai)
	late := f.record("jiakuang-majia", zhang, "neighbours.help", "2026-10-30", "z/late")
	f.clock = time.Date(2026, 12, 1, 9, 0, 0, 0, shanghai)
	c, _, err := f.svc.Close(f.ctx, "jiakuang-majia", "2026-11", nil)
	if err != nil {
		t.Fatal(err)
	}
	s, err := f.svc.Sheet(f.ctx, "jiakuang-majia", "2026-11")
	if err != nil {
		t.Fatal(err)
	}
	if c.Late != 1 || len(s.Late) != 1 || s.Late[0].ID != late.ID || s.Late[0].Subject == "" {
		t.Fatalf("late: %d %+v, want record %d", c.Late, s.Late, late.ID)
	}
	err = f.svc.EachCloseRow(f.ctx, "jiakuang-majia", "2026-11", func(r *tally.CloseRow) error {
		if r.Name == "张三" && (*r.Opening != 15 || *r.Previous != 13 || *r.Change() != 2) {
			t.Errorf("张三 in November: opening %d previous %d change %d, want 15, 13 and +2 (the late record)", *r.Opening, *r.Previous, *r.Change())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = f.svc.Close(f.ctx, "jiakuang-majia", "2026-09", nil)
	if tally.ErrorCodeOf(err) != tally.EInvalid {
		t.Errorf("closing September after November: %v, want invalid", err)
	}
}

// TestCloseForbidden: a verifier may not close.
func TestCloseForbidden(t *testing.T) {
	f := newCloseFixture(t)
	ctx := ledger.WithActor(f.ctx, &tally.Actor{Name: "bank", Role: tally.Verifier})
	if _, _, err := f.svc.Close(ctx, "jiakuang-majia", "2026-10", nil); tally.ErrorCodeOf(err) != tally.EForbidden {
		t.Errorf("verifier closes: %v, want forbidden", err)
	}
}

// A close counts what a score counts: a deduction still waiting for a
// second person is left out of the closing score, as Score leaves it out;
// once approved it counts in the next close.
func TestCloseLeavesOutHeldRecords(t *testing.T) {
	f := &closeFixture{fixture: newFixture(t), clock: now}
	f.svc = ledger.New(f.db, f.vault, ledger.Options{Now: func() time.Time { return f.clock }})
	f.fixture.svc = f.svc
	f.publishExample("city.yaml")
	f.person("rongcheng-city", zhang, "张三")
	f.record("rongcheng-city", zhang, "utilities.late-fees", "2026-10-05", "late-1")
	theft := f.record("rongcheng-city", zhang, "utilities.theft", "2026-10-20", "theft-1")
	closing := func(period string) int64 {
		t.Helper()
		if _, _, err := f.svc.Close(f.ctx, "rongcheng-city", period, nil); err != nil {
			t.Fatal(err)
		}
		var got *int64
		err := f.svc.EachCloseRow(f.ctx, "rongcheng-city", period, func(r *tally.CloseRow) error {
			got = r.Closing
			return nil
		})
		if err != nil || got == nil {
			t.Fatalf("close %s: row %v, %v", period, got, err)
		}
		return *got
	}
	october, _ := f.score("rongcheng-city", zhang, "2026-10-31")
	if got := closing("2026-10"); got != october {
		t.Errorf("October's closing score %d, want %d as Score gives with the theft held", got, october)
	}
	f.approve(theft.ID)
	f.clock = time.Date(2026, 12, 2, 12, 0, 0, 0, shanghai)
	november, _ := f.score("rongcheng-city", zhang, "2026-11-30")
	if got := closing("2026-11"); got != november || november != october-60 {
		t.Errorf("November's closing score %d, Score %d, want both %d: the approved theft counts", got, november, october-60)
	}
}

// A credit report lists the subject's objections with their outcome, an
// undecided one as open.
func TestReportListsObjections(t *testing.T) {
	f := newFixture(t)
	f.publishExample("village.yaml")
	f.person("jiakuang-majia", zhang, "张三")
	litter := f.record("jiakuang-majia", zhang, "conduct.littering", "2026-11-02", "litter-1")
	help := f.record("jiakuang-majia", zhang, "neighbours.help", "2026-11-03", "help-1")
	first, err := f.svc.Object(f.ctx, ledger.ObjectionInput{Scheme: "jiakuang-majia", Identifier: zhang, Record: litter.ID, Grounds: "I was at work"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Object(f.ctx, ledger.ObjectionInput{Scheme: "jiakuang-majia", Identifier: zhang, Record: help.ID, Grounds: "wrong date"}); err != nil {
		t.Fatal(err)
	}
	reviewer := ledger.WithPurpose(ledger.WithActor(f.ctx, &tally.Actor{Name: "reviewer-2", Role: tally.Reviewer}), "objection")
	if _, err := f.svc.Decide(reviewer, ledger.Decision{Objection: first.ID, Outcome: tally.Voided, Reasons: "timesheet"}); err != nil {
		t.Fatal(err)
	}
	var got []ledger.ReportObjection
	_, _, err = f.svc.IssueReport(f.ctx, zhang, "home loan", "en", func(r *ledger.Report) ([]byte, string, error) {
		got = r.Objections
		return []byte("document"), "digest", nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[int64]string{litter.ID: "voided", help.ID: "open"}
	if len(got) != 2 {
		t.Fatalf("report objections %+v, want 2", got)
	}
	for _, o := range got {
		if want[o.Record] != o.Outcome || o.Filed != "2026-11-26" {
			t.Errorf("report objection %+v, want outcome %q filed 2026-11-26", o, want[o.Record])
		}
	}
}
