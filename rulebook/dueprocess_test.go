package rulebook_test

import (
	"testing"

	"github.com/tallycredit/tally"
)

// TestDueProcessDefaults: a rulebook without a due_process block gets the
// domain's deadlines and second-review threshold.
func TestDueProcessDefaults(t *testing.T) {
	b := mustLoad(t, doc(deduction))
	if got, want := b.DueProcess, tally.DefaultDueProcess(); got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

// TestDueProcessBlock: a scheme may shorten the deadlines and lower the
// threshold, and lengthen the appeal window.
func TestDueProcessBlock(t *testing.T) {
	src := "due_process: {acknowledge: 2, decide: 10, appeal: 20, appeal_decide: 7, second_review_above: 30}\n" + doc(deduction)
	b := mustLoad(t, src)
	want := tally.DefaultDueProcess()
	want.Acknowledge, want.Decide, want.Appeal, want.AppealDecide, want.SecondReviewAbove =
		tally.WorkingDays(2), tally.CalendarDays(10), tally.CalendarDays(20), tally.CalendarDays(7), 30
	if b.DueProcess != want {
		t.Errorf("got %+v, want %+v", b.DueProcess, want)
	}
}

// TestDueProcessLimits: what would weaken due process is refused, naming
// the field.
func TestDueProcessLimits(t *testing.T) {
	tests := []problemCase{
		{name: "slower acknowledgement", src: doc(deduction, "^due_process: {acknowledge: 5}"), field: "due_process.acknowledge", msg: "may not allow more than 3"},
		{name: "slower decision", src: doc(deduction, "^due_process: {decide: 30}"), field: "due_process.decide", msg: "may not allow more than 15"},
		{name: "shorter appeal window", src: doc(deduction, "^due_process: {appeal: 5}"), field: "due_process.appeal", msg: "may not give fewer than 10"},
		{name: "higher threshold", src: doc(deduction, "^due_process: {second_review_above: 500}"), field: "due_process.second_review_above", msg: "more than 50"},
		{name: "zero", src: doc(deduction, "^due_process: {decide: 0}"), field: "due_process.decide", msg: "want a positive number"},
		{name: "unknown field", src: doc(deduction, "^due_process: {answer: 3}"), field: "due_process.answer", msg: "unknown field"},
		{name: "unknown preset", src: doc(deduction, "^due_process: {preset: beijing}"), field: "due_process.preset", msg: "unknown preset (want central-bank, henan, national, shandong, shanghai, shenzhen, zhejiang)"},
		{name: "negative clock", src: doc(deduction, "^due_process: {cascade: -1 working days}"), field: "due_process.cascade", msg: "-1：撤销后更正衍生信息的期限应为正数 / want a positive number of days"},
		{name: "absurd clock", src: doc(deduction, "^due_process: {appeal: 400 days}"), field: "due_process.appeal", msg: "400日：提出复议的期限不得超过一年 / a clock to appeal a decision may not run longer than a year"},
		{name: "absurd working clock", src: doc(deduction, "^due_process: {appeal: 300 working days}"), field: "due_process.appeal", msg: "may not run longer than a year"},
		{name: "unknown unit", src: doc(deduction, "^due_process: {decide: 2 weeks}"), field: "due_process.decide", msg: "单位应为“工作日”或“日” / the unit is"},
		{name: "a mapping for a clock", src: doc(deduction, "^due_process: {decide: {days: 2}}"), field: "due_process.decide", msg: "want a clock such as"},
		{name: "working days longer than the default's calendar days", src: doc(deduction, "^due_process: {decide: 11 working days}"), field: "due_process.decide", msg: "11个工作日：对异议作出决定的期限不得超过15日 / a scheme may not allow more than 15 days"},
		{name: "slower repair decision", src: doc(deduction, "^due_process: {repair_decide: 4}"), field: "due_process.repair_decide", msg: "may not allow more than 3 working days"},
		{name: "a preset's clock lengthened", src: doc(deduction, "^due_process: {preset: shanghai, decide: 6 working days}"), field: "due_process.decide", msg: "may not allow more than 5 working days"},
	}
	for _, tt := range tests {
		t.Run(tt.name, tt.check)
	}
}

// TestMinorsRefused: a rule written about minors is refused; an adult
// child ("child serving in the army") is not a minor.
func TestMinorsRefused(t *testing.T) {
	tests := []problemCase{
		{name: "english title", src: doc(deduction, "title: {zh: 乱扔垃圾, en: Juvenile littering}"), rule: "littering", field: "title.en", msg: "may not score minors"},
		{name: "chinese title", src: doc(deduction, "title: {zh: 未成年人乱扔垃圾, en: Littering}"), rule: "littering", field: "title.zh", msg: "may not score minors"},
		{name: "code", src: doc(award, "code: pupils.tidy"), rule: "pupils.tidy", field: "code", msg: "may not score minors"},
	}
	for _, tt := range tests {
		t.Run(tt.name, tt.check)
	}
	mustLoad(t, doc(award, "title: {zh: 子女参军, en: Child serving in the armed forces}"))
}

// TestDueProcessPresets: a scheme names a place's rules and gets its
// clocks (domain reference §7), the rest staying the defaults; it may
// shorten a preset's clock, and write clocks in either unit.
func TestDueProcessPresets(t *testing.T) {
	wd, cd := tally.WorkingDays, tally.CalendarDays
	tests := []struct {
		block           string
		ack, decide     tally.Clock
		repair, cascade tally.Clock
		preset          string
	}{
		{"{preset: shandong}", wd(3), wd(7), wd(3), wd(3), "shandong"},
		{"{preset: shanghai}", wd(1), wd(5), wd(3), wd(3), "shanghai"},
		{"{preset: shenzhen}", wd(1), wd(3), wd(3), wd(3), "shenzhen"},
		{"{preset: zhejiang}", wd(3), wd(5), wd(3), wd(3), "zhejiang"},
		{"{preset: central-bank}", wd(3), cd(20), wd(3), wd(3), "central-bank"},
		{"{preset: henan}", wd(3), cd(15), wd(3), wd(1), "henan"},
		{"{preset: national}", wd(3), cd(15), wd(3), wd(3), ""},
		{"{preset: shandong, decide: 5 working days, repair_decide: 2, cascade: 1个工作日}", wd(3), wd(5), wd(2), wd(1), "shandong"},
		{"{decide: 10 working days}", wd(3), wd(10), wd(3), wd(3), ""},
		{"{acknowledge: 2 days, decide: 7个工作日}", cd(2), wd(7), wd(3), wd(3), ""},
		{"{decide: 12日}", wd(3), cd(12), wd(3), wd(3), ""},
	}
	for _, tt := range tests {
		t.Run(tt.block, func(t *testing.T) {
			b := mustLoad(t, "due_process: "+tt.block+"\n"+doc(deduction))
			want := tally.DefaultDueProcess()
			want.Preset, want.Acknowledge, want.Decide, want.RepairDecide, want.Cascade = tt.preset, tt.ack, tt.decide, tt.repair, tt.cascade
			if b.DueProcess != want {
				t.Errorf("got %+v, want %+v", b.DueProcess, want)
			}
		})
	}
}
