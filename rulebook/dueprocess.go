package rulebook

import "github.com/tallycredit/tally"

// dueProcessFields are the fields of the optional due_process block, with
// where each lands and the longest value allowed: a scheme may shorten the
// domain's deadlines but never lengthen them.
var dueProcessFields = []string{"acknowledge", "decide", "appeal", "appeal_decide", "second_review_above"}

// dueProcess reads the due_process block over the defaults in dp:
//
//	due_process:
//	  acknowledge: 3           # working days to acknowledge an objection (at most 3)
//	  decide: 15               # days to decide it (at most 15)
//	  appeal: 10               # days after the decision to appeal (at least 10)
//	  appeal_decide: 15        # days to decide an appeal (at most 15)
//	  second_review_above: 50  # a deduction of more points waits for a second person (at most 50)
//
// The appeal window may be longer than the default, never shorter: it is
// the subject's time, not the scheme's.
func (l *loader) dueProcess(e entry, dp *tally.DueProcess) {
	m, ok := l.mapping(e.val, "due_process", dueProcessFields...)
	if !ok {
		return
	}
	type limit struct {
		name     string
		dst      *int64
		bound    int64
		atLeast  bool // the bound is a minimum, not a maximum
		describe string
	}
	ack, decide, appeal, appealDecide := int64(dp.AcknowledgeWorkingDays), int64(dp.DecideDays), int64(dp.AppealDays), int64(dp.AppealDecideDays)
	limits := []limit{
		{"acknowledge", &ack, tally.DefaultAcknowledgeWorkingDays, false, "working days to acknowledge an objection"},
		{"decide", &decide, tally.DefaultDecideDays, false, "days to decide an objection"},
		{"appeal", &appeal, tally.DefaultAppealDays, true, "days to appeal a decision"},
		{"appeal_decide", &appealDecide, tally.DefaultAppealDecideDays, false, "days to decide an appeal"},
		{"second_review_above", &dp.SecondReviewAbove, tally.DefaultSecondReviewAbove, false, "points above which a deduction waits for a second person"},
	}
	for _, f := range limits {
		fe, ok := m.get(f.name)
		if !ok {
			continue
		}
		field := "due_process." + f.name
		n, ok := l.integer(fe, field)
		switch {
		case !ok:
			continue
		case n <= 0:
			l.errorf(fe.key.Line, field, "%d: want a positive number of %s", n, f.describe)
		case f.atLeast && n < f.bound:
			l.errorf(fe.key.Line, field, "%d: a scheme may not give fewer than %d %s", n, f.bound, f.describe)
		case !f.atLeast && n > f.bound:
			l.errorf(fe.key.Line, field, "%d: a scheme may not allow more than %d %s", n, f.bound, f.describe)
		default:
			*f.dst = n
		}
	}
	dp.AcknowledgeWorkingDays, dp.DecideDays, dp.AppealDays, dp.AppealDecideDays = int(ack), int(decide), int(appeal), int(appealDecide)
}
