package ledger_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/checkindex"
	"github.com/tallycredit/tally/examples"
	"github.com/tallycredit/tally/ledger"
)

// shanghaiDefaulters are the clocks the list judgment-defaulters sets in
// the catalogue of listClockFixture: Shanghai's 1 and 5 working days, a
// longer appeal window, a shorter appeal decision and a 1-day cascade.
const shanghaiDefaulters = "{preset: shanghai, appeal: 15 days, appeal_decide: 10 days, cascade: 1 working day}"

// listClockFixture is a list fixture whose catalogue gives the list
// judgment-defaulters the clocks shanghaiDefaulters, its clock at
// Friday 13 February 2026, before the Spring Festival.
func listClockFixture(t *testing.T) *listFixture {
	t.Helper()
	f := newListFixture(t)
	const at = "  - id: judgment-defaulters\n"
	src := string(examples.Sanctions)
	if !strings.Contains(src, at) {
		t.Fatal("the default catalogue has no judgment-defaulters list")
	}
	src = strings.Replace(src, at, at+"    due_process: "+shanghaiDefaulters+"\n", 1)
	if _, err := f.svc.PublishCatalogue(f.ctx, "sanctions-shanghai.yml", []byte(src)); err != nil {
		t.Fatal(err)
	}
	f.set(time.Date(2026, 2, 13, 10, 0, 0, 0, shanghai))
	return f
}

// notices returns the notices of one kind in the outbox, oldest first.
func (f *listFixture) notices(kind tally.NoticeKind) []tally.Notice {
	return slices.DeleteFunc(f.noticesOf(), func(n tally.Notice) bool { return n.Kind != kind })
}

// wantSaid fails unless body says each part.
func wantSaid(t *testing.T, what, body string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(body, p) {
			t.Errorf("%s lacks %q:\n%s", what, p, body)
		}
	}
}

// TestListEntryClocksAreTheLists: an entry of a list whose catalogue sets
// Shanghai's clocks is notified with them, in Chinese and English (an
// entry of another list keeps the defaults); an objection to it filed on
// Friday 13 February 2026 is acknowledged by the make-up Saturday 14 and
// decided by 27 February (14, 24-27: the Spring Festival does not count);
// the decision's appeal window and the appeal's deadline are the list's;
// a check the entry denies quotes the list's clocks.
func TestListEntryClocksAreTheLists(t *testing.T) {
	f := listClockFixture(t)
	entry, err := f.svc.List(f.ctx, defaulter())
	if err != nil {
		t.Fatal(err)
	}
	chk := checkindex.NewChecker(f.svc, checkindex.CheckerOptions{})
	if err := chk.Load(f.ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := chk.Close(f.ctx); err != nil {
			t.Error(err)
		}
	})
	if ans, err := chk.Check(f.ctx, checkindex.CheckQuery{Identifier: zhang, Name: "张三", Measure: "air-travel"}); err != nil || ans.Answer != checkindex.AnswerDenied {
		t.Fatalf("check: %+v, %v; want denied", ans, err)
	}
	denials := f.notices(tally.NoticeDenial)
	if len(denials) != 1 {
		t.Fatalf("%d denial notices, want 1", len(denials))
	}
	wantSaid(t, "the denial's notice", denials[0].Body, "1个工作日内受理，5个工作日内作出决定", "acknowledged within 1 working day and decided within 5 working days")
	other := defaulter()
	other.List, other.CaseNumber = "consumption-restricted", "(2025)鲁1082执124号"
	if _, err := f.svc.List(f.ctx, other); err != nil {
		t.Fatal(err)
	}
	ns := f.notices(tally.NoticeEntry)
	if len(ns) != 2 {
		t.Fatalf("%d entry notices, want 2", len(ns))
	}
	wantSaid(t, "the entry's notice", ns[0].Body, "1个工作日内受理，5个工作日内作出决定", "acknowledged within 1 working day and decided within 5 working days")
	wantSaid(t, "the other list's notice", ns[1].Body, "3个工作日内受理，15日内作出决定", "acknowledged within 3 working days and decided within 15 days")

	o, err := f.svc.Object(f.subjectCtx(zhang), ledger.ObjectionInput{Identifier: zhang, List: entry.List, Case: entry.CaseNumber, Grounds: "I performed the judgment"})
	if err != nil {
		t.Fatal(err)
	}
	if want := endOf("2026-02-14"); !o.AcknowledgeBy.Equal(want) {
		t.Errorf("acknowledge by %v, want %v (1 working day: the make-up Saturday 14 February)", o.AcknowledgeBy, want)
	}
	if want := endOf("2026-02-27"); !o.DecideBy.Equal(want) {
		t.Errorf("decide by %v, want %v (5 working days: 14, 24-27 February)", o.DecideBy, want)
	}

	f.set(time.Date(2026, 2, 16, 9, 0, 0, 0, shanghai))
	d, err := f.svc.Decide(reviewerCtx("judge"), ledger.Decision{Objection: o.ID, Outcome: tally.Upheld, Reasons: "the judgment is not performed"})
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 3, 3, 9, 0, 0, 0, shanghai); !d.AppealBy.Equal(want) {
		t.Errorf("appeal by %v, want %v (the list's 15 days from 16 February)", d.AppealBy, want)
	}
	os, err := f.svc.Objections(f.ctx, ledger.ObjectionQuery{Identifier: zhang})
	if err != nil || len(os) != 1 || !os[0].AppealBy.Equal(d.AppealBy) {
		t.Errorf("objections %+v, %v; want the one, appealable by %v", os, err, d.AppealBy)
	}
	decided := f.notices(tally.NoticeObjection)
	if len(decided) != 1 {
		t.Fatalf("%d decision notices, want 1", len(decided))
	}
	wantSaid(t, "the decision's notice", decided[0].Body, "2026-03-03", "10日", "10 days")
	ap, err := f.svc.Appeal(f.subjectCtx(zhang), o.ID, "the creditor confirms performance", "")
	if err != nil {
		t.Fatal(err)
	}
	if want := endOf("2026-02-26"); !ap.DecideBy.Equal(want) {
		t.Errorf("appeal decided by %v, want %v (the list's 10 days)", ap.DecideBy, want)
	}

}

// TestListCascadeClockIsTheLists: a revoked decision whose entry is on a
// list with a 1-working-day cascade clock is due the next working day,
// the make-up Saturday 14 February 2026, not after the Spring Festival.
func TestListCascadeClockIsTheLists(t *testing.T) {
	f := listClockFixture(t)
	entry, err := f.svc.List(f.ctx, defaulter())
	if err != nil {
		t.Fatal(err)
	}
	c, err := f.svc.Revoke(f.ctx, ledger.Revocation{Source: entry.CaseNumber, Note: "retrial"})
	if err != nil {
		t.Fatal(err)
	}
	if want := endOf("2026-02-14"); !c.Due.Equal(want) || len(c.EntriesRemoved) != 1 {
		t.Errorf("cascade due %v removing %v, want due %v removing entry #%d", c.Due, c.EntriesRemoved, want, entry.ID)
	}
}
