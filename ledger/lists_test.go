package ledger_test

import (
	"context"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/checkindex"
	"github.com/tallycredit/tally/examples"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/sqlite"
)

// listFixture is a ledger with the default catalogue and a clock the test
// moves.
type listFixture struct {
	*fixture
	clock atomic.Int64 // Unix nanoseconds
}

func newListFixture(t *testing.T) *listFixture {
	t.Helper()
	f := &listFixture{fixture: &fixture{t: t}}
	f.clock.Store(now.UnixNano())
	f.ctx = ledger.WithPurpose(ledger.WithActor(context.Background(), &tally.Actor{Name: "court-clerk", Role: tally.Admin}), "test")
	db, err := sqlite.Open(f.ctx, filepath.Join(t.TempDir(), "tally.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	key, _ := ledger.ParseKey(ledger.GenerateKey())
	f.vault, _ = ledger.NewVault(key)
	f.db = db
	f.svc = ledger.New(db, f.vault, ledger.Options{Now: func() time.Time { return time.Unix(0, f.clock.Load()).In(shanghai) }})
	if _, err := f.svc.PublishCatalogue(f.ctx, "sanctions.yml", examples.Sanctions); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *listFixture) set(t time.Time) { f.clock.Store(t.UnixNano()) }

// defaulter is a listing of Zhang San, served a year before now.
func defaulter() ledger.Listing {
	return ledger.Listing{List: "judgment-defaulters", Identifier: zhang, Name: "张三", CaseNumber: "(2025)鲁1082执123号",
		Court: "荣成市人民法院", DecidedOn: now.AddDate(-1, 0, -10), NoticeServed: now.AddDate(-1, 0, 0),
		Grounds: "able to perform but refuses", Basis: "SPC Provisions art. 1(1)"}
}

func TestListingIsChecked(t *testing.T) {
	f := newListFixture(t)
	tests := []struct {
		name  string
		edit  func(*ledger.Listing)
		field string
	}{
		{"no notice", func(l *ledger.Listing) { l.NoticeServed = time.Time{} }, "notice"},
		{"no case number", func(l *ledger.Listing) { l.CaseNumber = " " }, "case_number"},
		{"no basis", func(l *ledger.Listing) { l.Basis = "" }, "basis"},
		{"no court", func(l *ledger.Listing) { l.Court = "" }, "court"},
		{"unknown list", func(l *ledger.Listing) { l.List = "petitioners" }, "list"},
		{"notice in the future", func(l *ledger.Listing) { l.NoticeServed = now.Add(time.Hour) }, "notice"},
		{"notice before the decision", func(l *ledger.Listing) { l.NoticeServed = l.DecidedOn.Add(-time.Hour) }, "notice"},
		{"aggravation over the limit", func(l *ledger.Listing) { l.Aggravation = 4 }, "aggravation"},
		{"malformed identifier", func(l *ledger.Listing) { l.Identifier = "340524198001010013" }, "subject"},
		{"a minor", func(l *ledger.Listing) { l.Identifier = "110105201001010014" }, "subject"},
	}
	for _, tc := range tests {
		in := defaulter()
		tc.edit(&in)
		if tc.name == "a minor" {
			in.Identifier = minorID(t)
		}
		_, err := f.svc.List(f.ctx, in)
		var te *tally.Error
		if tally.ErrorCodeOf(err) != tally.EInvalid || !asError(err, &te) || te.Field != tc.field {
			t.Errorf("%s: error %v, want invalid %s", tc.name, err, tc.field)
		}
	}
	if _, err := f.svc.List(f.ctx, defaulter()); err != nil {
		t.Fatal(err)
	}
	again, err := f.svc.List(f.ctx, defaulter())
	if err != nil || !again.Existed {
		t.Errorf("listing the same case again = %+v, %v; want the stored entry", again, err)
	}
	changed := defaulter()
	changed.Grounds = "obstructs enforcement"
	_, err = f.svc.List(f.ctx, changed)
	wantCode(t, err, tally.EConflict, "never edited")

	// Agencies submit entries; verifiers do not.
	verifier := ledger.WithActor(f.ctx, &tally.Actor{Name: "airline", Role: tally.Verifier})
	in := defaulter()
	in.CaseNumber = "other"
	_, err = f.svc.List(verifier, in)
	wantCode(t, err, tally.EForbidden, "")
	court := ledger.WithActor(f.ctx, &tally.Actor{Name: "court", Role: tally.Agency, Categories: []string{"judgment-defaulters"}})
	if _, err := f.svc.List(court, in); err != nil {
		t.Errorf("an agency listing on its list: %v", err)
	}
}

// minorID is a valid resident ID of someone born five years before now.
func minorID(t *testing.T) string {
	body := "371082" + now.AddDate(-5, 0, 0).Format("20060102") + "012"
	return body + string(tally.ResidentCheck(body))
}

func asError(err error, te **tally.Error) bool {
	e, ok := err.(*tally.Error)
	*te = e
	return ok
}

// TestListedDeniedFlightAllowedBus is the first condition, in the
// ledger and in the check index at once, then removal and term end.
func TestListedDeniedFlightAllowedBus(t *testing.T) {
	f := newListFixture(t)
	entry, err := f.svc.List(f.ctx, defaulter())
	if err != nil {
		t.Fatal(err)
	}
	chk := checkindex.NewChecker(f.svc, checkindex.CheckerOptions{})
	if err := chk.Load(f.ctx); err != nil {
		t.Fatal(err)
	}
	check := func(measure, name string) string {
		t.Helper()
		ans, err := chk.Check(f.ctx, checkindex.CheckQuery{Identifier: zhang, Name: name, Measure: measure})
		if err != nil {
			t.Fatalf("check %s: %v", measure, err)
		}
		if ans.Ref == "" {
			t.Errorf("check %s: no reference number", measure)
		}
		return ans.Answer
	}
	el, err := f.svc.Eligibility(f.ctx, zhang, "air-travel", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if el.Allowed || len(el.Reasons) != 1 || el.Reasons[0].CaseNumber != entry.CaseNumber || el.Reasons[0].Court != "荣成市人民法院" ||
		el.Reasons[0].List != "judgment-defaulters" || el.Reasons[0].HowToLift.Zh == "" || el.Reasons[0].HowToLift.En == "" || !el.Reasons[0].Until.Equal(now.AddDate(1, 0, 0)) {
		t.Errorf("air travel: %+v, want denied for case %s until %v", el, entry.CaseNumber, now.AddDate(1, 0, 0))
	}
	if !strings.Contains(el.Reasons[0].Message, entry.CaseNumber) {
		t.Errorf("reason %q does not name the case", el.Reasons[0].Message)
	}
	if el, err := f.svc.Eligibility(f.ctx, zhang, "bus-ticket", time.Time{}); err != nil || !el.Allowed || len(el.Reasons) != 0 {
		t.Errorf("bus ticket: %+v, %v; want allowed", el, err)
	}
	if got := check("air-travel", "张三"); got != checkindex.AnswerDenied {
		t.Errorf("check air-travel = %s, want denied", got)
	}
	if got := check("bus-ticket", "张三"); got != checkindex.AnswerAllowed {
		t.Errorf("check bus-ticket = %s, want allowed", got)
	}
	if got := check("air-travel", "李四"); got != checkindex.AnswerNameMismatch {
		t.Errorf("check with another name = %s, want name_mismatch", got)
	}
	if got := check("air-travel", "李四"); got == checkindex.AnswerAllowed {
		t.Error("a mismatched name was allowed")
	}
	// Malformed identifiers and unknown measures are refused, never allowed.
	_, err = chk.Check(f.ctx, checkindex.CheckQuery{Identifier: "340524198001010013", Name: "李四", Measure: "air-travel"})
	wantCode(t, err, tally.EInvalid, "check character")
	_, err = chk.Check(f.ctx, checkindex.CheckQuery{Identifier: zhang, Name: "张三", Measure: "space-travel"})
	wantCode(t, err, tally.EInvalid, "unknown measure")
	_, err = f.svc.Eligibility(f.ctx, zhang, "space-travel", time.Time{})
	wantCode(t, err, tally.EInvalid, "unknown measure")

	// The debt is paid: removed now, allowed within the same second.
	if _, err := f.svc.Remove(f.ctx, ledger.Removal{List: "judgment-defaulters", CaseNumber: entry.CaseNumber, Reason: tally.Performed, Note: "paid in full"}); err != nil {
		t.Fatal(err)
	}
	if got := check("air-travel", "张三"); got != checkindex.AnswerAllowed {
		t.Errorf("check after removal in the same second = %s, want allowed", got)
	}
	if el, _ := f.svc.Eligibility(f.ctx, zhang, "air-travel", time.Time{}); !el.Allowed {
		t.Errorf("eligibility after removal: %+v, want allowed", el)
	}
	if el, _ := f.svc.Eligibility(f.ctx, zhang, "air-travel", now.Add(-time.Hour)); el.Allowed {
		t.Error("eligibility an hour before the removal: allowed, want denied: removal is not retroactive")
	}
	_, err = f.svc.Remove(f.ctx, ledger.Removal{List: "judgment-defaulters", CaseNumber: entry.CaseNumber, Reason: tally.Overturned})
	wantCode(t, err, tally.EConflict, "already removed")

	// Every denial and mismatch is in the subject's access log.
	log, err := f.svc.AccessLog(f.ctx, zhang, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	checks := 0
	for _, e := range log {
		if e.Action == "check" {
			checks++
		}
	}
	if checks != 3 {
		t.Errorf("%d checks in the access log, want 3 (one denial, two mismatches)", checks)
	}
	if err := chk.Close(f.ctx); err != nil {
		t.Fatal(err)
	}
	stats, err := f.svc.CheckStatistics(f.ctx, day(now), day(now))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]tally.CheckCount{}
	for _, c := range stats {
		got[c.Measure] = c
	}
	if a := got["air-travel"]; a.Denied != 1 || a.Mismatched != 2 || a.Allowed != 1 {
		t.Errorf("air-travel counts %+v, want 1 denied, 2 mismatched, 1 allowed", a)
	}
	if b := got["bus-ticket"]; b.Allowed != 1 {
		t.Errorf("bus-ticket counts %+v, want 1 allowed", b)
	}
}

func day(t time.Time) string { return t.In(shanghai).Format(time.DateOnly) }

// TestTermEndsByItself: at the end of the term the subject is allowed
// without anyone acting; a later listing is a new entry.
func TestTermEndsByItself(t *testing.T) {
	f := newListFixture(t)
	in := defaulter()
	in.Aggravation = 1 // 2 years + 1
	entry, err := f.svc.List(f.ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	if want := in.NoticeServed.AddDate(3, 0, 0); !entry.Ends.Equal(want) {
		t.Fatalf("ends %v, want %v", entry.Ends, want)
	}
	chk := checkindex.NewChecker(f.svc, checkindex.CheckerOptions{})
	if err := chk.Load(f.ctx); err != nil {
		t.Fatal(err)
	}
	answer := func() string {
		ans, err := chk.Check(f.ctx, checkindex.CheckQuery{Identifier: zhang, Name: "张三", Measure: "high-speed-rail"})
		if err != nil {
			t.Fatal(err)
		}
		return ans.Answer
	}
	f.set(entry.Ends.Add(-time.Second))
	if got := answer(); got != checkindex.AnswerDenied {
		t.Errorf("a second before the term ends: %s, want denied", got)
	}
	f.set(entry.Ends)
	if got := answer(); got != checkindex.AnswerAllowed {
		t.Errorf("at the term's end: %s, want allowed", got)
	}
	if el, _ := f.svc.Eligibility(f.ctx, zhang, "high-speed-rail", time.Time{}); !el.Allowed {
		t.Errorf("eligibility at the term's end: %+v, want allowed", el)
	}
	_, err = f.svc.Remove(f.ctx, ledger.Removal{List: in.List, CaseNumber: in.CaseNumber, Reason: tally.Performed})
	wantCode(t, err, tally.EInvalid, "ended by itself")
}

func TestCheckerNotReady(t *testing.T) {
	f := newListFixture(t)
	chk := checkindex.NewChecker(f.svc, checkindex.CheckerOptions{})
	_, err := chk.Check(f.ctx, checkindex.CheckQuery{Identifier: zhang, Name: "张三", Measure: "air-travel"})
	if err != checkindex.ErrNotReady {
		t.Errorf("check before the load: %v, want ErrIndexNotReady", err)
	}
	_, err = chk.CheckBatch(f.ctx, "air-travel", []checkindex.CheckQuery{{Identifier: zhang, Name: "张三"}})
	if err != checkindex.ErrNotReady {
		t.Errorf("batch before the load: %v, want ErrIndexNotReady", err)
	}
}

func TestGradeGate(t *testing.T) {
	f := newListFixture(t)
	el, err := f.svc.Eligibility(f.ctx, zhang, "heating-discount", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if el.Allowed || len(el.Reasons) != 1 || el.Reasons[0].Kind != "grade" || el.Reasons[0].Needs != "AAA" {
		t.Errorf("heating discount, scheme not published: %+v, want denied for grade", el)
	}
	f.publishExample("city.yaml")
	f.person("rongcheng-city", zhang, "张三")
	el, err = f.svc.Eligibility(f.ctx, zhang, "heating-discount", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if el.Allowed || el.Reasons[0].Has == "" || el.Reasons[0].Has == "AAA" {
		t.Errorf("heating discount at the base score: %+v, want denied with the grade held", el)
	}
	chk := checkindex.NewChecker(f.svc, checkindex.CheckerOptions{})
	if err := chk.Load(f.ctx); err != nil {
		t.Fatal(err)
	}
	_, err = chk.Check(f.ctx, checkindex.CheckQuery{Identifier: zhang, Name: "张三", Measure: "heating-discount"})
	wantCode(t, err, tally.EInvalid, "granted by grade")
}

func TestBatchCheck(t *testing.T) {
	f := newListFixture(t)
	if _, err := f.svc.List(f.ctx, defaulter()); err != nil {
		t.Fatal(err)
	}
	chk := checkindex.NewChecker(f.svc, checkindex.CheckerOptions{})
	if err := chk.Load(f.ctx); err != nil {
		t.Fatal(err)
	}
	out, err := chk.CheckBatch(f.ctx, "air-travel", []checkindex.CheckQuery{
		{Identifier: zhang, Name: "张三"}, {Identifier: li, Name: "李四"}, {Identifier: "3405241980", Name: "x"}, {Identifier: zhang, Name: ""},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{checkindex.AnswerDenied, checkindex.AnswerAllowed, checkindex.AnswerInvalid, checkindex.AnswerInvalid}
	for i, w := range want {
		if out[i].Answer != w {
			t.Errorf("item %d: %+v, want %s", i, out[i], w)
		}
	}
	if !strings.HasSuffix(out[1].Ref, ".1") || out[2].Error == "" {
		t.Errorf("items %+v: want refs ending in their index and a reason for the invalid one", out)
	}
	_, err = chk.CheckBatch(f.ctx, "air-travel", make([]checkindex.CheckQuery, checkindex.MaxBatch+1))
	wantCode(t, err, tally.EInvalid, "at most")
}
