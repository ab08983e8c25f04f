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
	want := tally.DueProcess{AcknowledgeWorkingDays: 2, DecideDays: 10, AppealDays: 20, AppealDecideDays: 7, SecondReviewAbove: 30}
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
