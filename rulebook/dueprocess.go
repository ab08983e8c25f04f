package rulebook

import (
	"fmt"
	"slices"
	"strings"

	"github.com/tallycredit/tally"
	"go.yaml.in/yaml/v3"
)

// dueClockFields are the fields of a due_process block that set clocks:
// all a sanctions catalogue or one of its lists may set.
var dueClockFields = []string{"preset", "acknowledge", "decide", "appeal", "appeal_decide", "repair_decide", "cascade"}

// dueProcessFields are the fields of a rulebook's optional due_process
// block: the clocks and the second-review threshold.
var dueProcessFields = append(slices.Clone(dueClockFields), "second_review_above")

// MaxClockDays bounds every due-process clock: a year is longer than any
// rule the domain reference knows, so a longer clock is a mistake.
const MaxClockDays = 365

// dueProcess reads the due_process block over the defaults in dp:
//
//	due_process:
//	  preset: shandong            # a place's clocks (tally.DuePresetNames); the defaults without one
//	  acknowledge: 3 working days # to acknowledge an objection
//	  decide: 7 working days      # to decide it
//	  appeal: 10 days             # after the decision, to appeal
//	  appeal_decide: 15 days      # to decide an appeal
//	  repair_decide: 3 working days # to decide a repair application
//	  cascade: 3 working days     # to reverse what a revoked decision derived
//	  second_review_above: 50     # a deduction of more points waits for a second person (at most 50)
//
// A clock is "N working days" or "N days" (or 个工作日, 日); a bare number
// keeps the unit of the default (working days for acknowledge,
// repair_decide and cascade). A scheme may shorten the preset's clocks
// (the defaults without one) but never lengthen them; the appeal window
// may be longer, never shorter: it is the subject's time, not the scheme's.
func (l *loader) dueProcess(e entry, dp *tally.DueProcess) {
	m, ok := l.mapping(e.val, "due_process", dueProcessFields...)
	if !ok {
		return
	}
	l.dueClocks(m, dp, "a scheme")
	if se, ok := m.get("second_review_above"); ok {
		const field = "due_process.second_review_above"
		n, ok := l.integer(se, field)
		switch {
		case !ok:
		case n <= 0:
			l.errorf(se.key.Line, field, "%d: want a positive number of points above which a deduction waits for a second person", n)
		case n > tally.DefaultSecondReviewAbove:
			l.errorf(se.key.Line, field, "%d: a scheme may not allow more than %d points above which a deduction waits for a second person",
				n, tally.DefaultSecondReviewAbove)
		default:
			dp.SecondReviewAbove = n
		}
	}
}

// listDueProcess reads the due_process block of a sanctions catalogue
// (path "") or of one of its lists over the clocks in dp: the clocks of a
// rulebook's block, by the same rules, without the second-review
// threshold (a list entry is not a deduction).
func (l *loader) listDueProcess(e entry, path string, dp *tally.DueProcess) {
	m, ok := l.mapping(e.val, join(path, "due_process"), dueClockFields...)
	if !ok {
		return
	}
	l.dueClocks(m, dp, "a list")
}

// dueClocks reads the preset and the clocks of the due_process block m
// over dp, each bounded by the preset's (dp's without one); owner names
// who sets them in the English of a refusal (the Chinese names no one).
func (l *loader) dueClocks(m fields, dp *tally.DueProcess, owner string) {
	if pe, ok := m.get("preset"); ok {
		l.duePreset(pe, join(m.path, "preset"), dp)
	}
	base := *dp
	clocks := []struct {
		name    string
		dst     *tally.Clock
		bound   tally.Clock
		atLeast bool // the bound is a minimum, not a maximum
		what    tally.Text
	}{
		{"acknowledge", &dp.Acknowledge, base.Acknowledge, false, tally.Text{Zh: "受理异议", En: "to acknowledge an objection"}},
		{"decide", &dp.Decide, base.Decide, false, tally.Text{Zh: "对异议作出决定", En: "to decide an objection"}},
		{"appeal", &dp.Appeal, base.Appeal, true, tally.Text{Zh: "提出复议", En: "to appeal a decision"}},
		{"appeal_decide", &dp.AppealDecide, base.AppealDecide, false, tally.Text{Zh: "对复议作出决定", En: "to decide an appeal"}},
		{"repair_decide", &dp.RepairDecide, base.RepairDecide, false, tally.Text{Zh: "对信用修复申请作出决定", En: "to decide a repair application"}},
		{"cascade", &dp.Cascade, base.Cascade, false, tally.Text{Zh: "撤销后更正衍生信息", En: "to correct what a revoked decision derived"}},
	}
	for _, c := range clocks {
		ce, ok := m.get(c.name)
		if !ok {
			continue
		}
		if clock, ok := l.clock(ce, join(m.path, c.name), c.bound, c.atLeast, c.what, owner); ok {
			*c.dst = clock
		}
	}
}

// duePreset replaces the clocks in dp with those of the preset named.
func (l *loader) duePreset(e entry, field string, dp *tally.DueProcess) {
	name, ok := l.text(e, field)
	if !ok {
		return
	}
	preset, _, ok := tally.DueProcessPreset(name)
	if !ok {
		names := strings.Join(tally.DuePresetNames(), ", ")
		l.errorf(e.key.Line, field, "%q: unknown preset (want %s)", name, names)
		return
	}
	preset.SecondReviewAbove = dp.SecondReviewAbove
	*dp = preset
}

// clock reads one clock and checks it against bound: no longer (or, when
// atLeast, no shorter), positive, and at most MaxClockDays; owner (a
// scheme, a list) is who sets it.
func (l *loader) clock(e entry, field string, bound tally.Clock, atLeast bool, what tally.Text, owner string) (tally.Clock, bool) {
	if e.val.Kind != yaml.ScalarNode || e.val.ShortTag() == "!!null" {
		l.errorf(e.key.Line, field, "want a clock such as \"3 working days\" or \"15 days\", got %s", describe(e.val))
		return tally.Clock{}, false
	}
	c, err := tally.ParseClock(e.val.Value, bound.Working)
	var reason string
	switch {
	case err != nil:
		reason = err.Error()
	case c.Days <= 0:
		reason = fmt.Sprintf("%d：%s的期限应为正数 / want a positive number of days %s", c.Days, what.Zh, what.En)
	case c.Longest() > MaxClockDays:
		reason = fmt.Sprintf("%s：%s的期限不得超过一年 / a clock %s may not run longer than a year (%d days)", c.Zh(), what.Zh, what.En, MaxClockDays)
	case atLeast && !c.NoShorterThan(bound):
		reason = fmt.Sprintf("%s：%s的期限不得少于%s / %s may not give fewer than %s %s", c.Zh(), what.Zh, bound.Zh(), owner, bound, what.En)
	case !atLeast && !c.NoLongerThan(bound):
		reason = fmt.Sprintf("%s：%s的期限不得超过%s / %s may not allow more than %s %s", c.Zh(), what.Zh, bound.Zh(), owner, bound, what.En)
	default:
		return c, true
	}
	l.errorf(e.key.Line, field, "%s", reason)
	return tally.Clock{}, false
}
