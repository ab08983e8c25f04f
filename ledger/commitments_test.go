package ledger_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/catalog"
	"github.com/tallycredit/tally/ledger"
)

// The officials of these tests: two of the tax bureau, who may write
// commitments under the city's tax rules, and one of the market
// regulator, whose category is another.
func taxOfficial(name string) context.Context {
	return as(tally.Agency, name, func(a *tally.Actor) { a.Schemes, a.Categories = []string{city}, []string{"tax"} })
}

// commitmentCase is the city scheme with Zhang San enrolled and a
// commitment he signed before tax-wang: to supply his tax clearance by
// 10 December, for a business permit granted at once.
type commitmentCase struct {
	*fixture
	signed *ledger.CommitmentView
}

func newCommitmentCase(t *testing.T) *commitmentCase {
	t.Helper()
	f := newFixture(t)
	f.publishExample("city.yaml")
	f.person(city, zhang, "张三")
	c, err := f.svc.Sign(taxOfficial("tax-wang"), clearance())
	if err != nil {
		t.Fatalf("sign: %v", err)
	}
	return &commitmentCase{fixture: f, signed: c}
}

func clearance() ledger.CommitmentInput {
	return ledger.CommitmentInput{Scheme: city, Identifier: zhang,
		What: tally.Text{Zh: "补交完税证明", En: "supply the tax clearance certificate"},
		Due:  "2026-12-10", Rule: "tax.arrears", Permit: "营业执照 2026-0042"}
}

// commitments lists the scheme's commitments as the admin sees them.
func (f *fixture) commitments(q ledger.CommitmentQuery) []ledger.CommitmentView {
	f.t.Helper()
	q.Scheme = city
	cs, err := f.svc.Commitments(f.ctx, q)
	if err != nil {
		f.t.Fatalf("commitments: %v", err)
	}
	return cs
}

// A signed commitment is granted at once, due at the end of its day in
// the scheme's zone, and listed for the subject and the officials.
func TestSignGrantsAtOnce(t *testing.T) {
	f := newCommitmentCase(t)
	c := f.signed
	if c.ID == 0 || c.State != tally.CommitmentGranted || c.Settlement != nil {
		t.Fatalf("signed = %+v, want a granted commitment with an ID and no settlement", c)
	}
	if want := time.Date(2026, 12, 11, 0, 0, 0, 0, shanghai); c.Due != "2026-12-10" || !c.DueEnd.Equal(want) {
		t.Errorf("due %s ending %v, want 2026-12-10 ending %v", c.Due, c.DueEnd, want)
	}
	if c.RecordedBy != "tax-wang" || c.Permit != "营业执照 2026-0042" || c.What.En == "" || c.Subject.Name != "张三" {
		t.Errorf("signed = %+v", c)
	}
	own, err := f.svc.Commitments(f.subjectCtx(zhang), ledger.CommitmentQuery{})
	if err != nil || len(own) != 1 || own[0].ID != c.ID {
		t.Fatalf("the subject's own commitments = %+v, %v; want #%d", own, err, c.ID)
	}
	if _, records := f.counts(city); records != 0 {
		t.Errorf("signing wrote %d records, want none", records)
	}
}

// The official who recorded the signing may record its fulfilment; it is
// settled once, and a fulfilment makes no record.
func TestFulfil(t *testing.T) {
	f := newCommitmentCase(t)
	c, err := f.svc.Fulfil(taxOfficial("tax-wang"), ledger.Settle{ID: f.signed.ID, Note: "收到完税证明 / clearance received"})
	if err != nil {
		t.Fatal(err)
	}
	if c.State != tally.CommitmentFulfilled || c.Settlement == nil || c.Settlement.By != "tax-wang" || c.Settlement.Record != 0 {
		t.Fatalf("fulfilled = %+v (settlement %+v)", c, c.Settlement)
	}
	_, err = f.svc.Breach(taxOfficial("tax-li"), ledger.Settle{ID: f.signed.ID, Note: "late"})
	wantCode(t, err, tally.EConflict, "already fulfilled")
	if _, records := f.counts(city); records != 0 {
		t.Errorf("got %d records, want none", records)
	}
}

// A breach, by another official, is a record under the commitment's rule,
// linked to it, with its notice to the subject and its objection window,
// made in the same transaction.
func TestBreachBecomesARecord(t *testing.T) {
	f := newCommitmentCase(t)
	c, err := f.svc.Breach(taxOfficial("tax-li"), ledger.Settle{ID: f.signed.ID, Note: "未交完税证明 / no clearance supplied"})
	if err != nil {
		t.Fatal(err)
	}
	if c.State != tally.CommitmentBreached || c.Settlement == nil || c.Settlement.Record == 0 {
		t.Fatalf("breached = %+v (settlement %+v), want a breach with its record", c, c.Settlement)
	}
	h := f.history(city, zhang)
	if len(h) != 1 || h[0].ID != c.Settlement.Record || h[0].Rule != "tax.arrears" || h[0].Awarded != -20 ||
		h[0].Ref != "commitment/1" || h[0].RecordedBy != "tax-li" {
		t.Fatalf("history = %+v, want the breach's record #%d: tax.arrears -20 by tax-li, ref commitment/1", h, c.Settlement.Record)
	}
	if score, _ := f.score(city, zhang, "2026-11-26"); score != 980 {
		t.Errorf("score %d after the breach, want 980", score)
	}
	var notices []tally.Notice
	if err := f.db.View(f.ctx, func(tx ledger.Tx) error {
		var err error
		notices, err = tx.Notices(f.ctx, ledger.DueFilter{Limit: 10})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if len(notices) != 1 || notices[0].About != c.Settlement.Record || notices[0].ObjectBy.IsZero() {
		t.Fatalf("notices = %+v, want one about record #%d with a day to object by", notices, c.Settlement.Record)
	}
	if _, err := f.svc.Object(f.subjectCtx(zhang), ledger.ObjectionInput{Scheme: city, Identifier: zhang,
		Record: c.Settlement.Record, Grounds: "I supplied it on time"}); err != nil {
		t.Errorf("the subject objecting to the breach's record: %v", err)
	}
}

// A commitment past its day and not settled is listed as overdue; nothing
// breaches it by itself.
func TestOverdueIsListedNotBreached(t *testing.T) {
	f := newCommitmentCase(t)
	today := clearance()
	today.Due = "2026-11-26"
	due, err := f.svc.Sign(taxOfficial("tax-wang"), today)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.commitments(ledger.CommitmentQuery{Overdue: true}); len(got) != 0 {
		t.Fatalf("overdue on its own day: %+v, want none", got)
	}
	tomorrow := time.Date(2026, 11, 27, 0, 0, 0, 0, shanghai)
	later := ledger.New(f.db, f.vault, ledger.Options{Now: func() time.Time { return tomorrow }})
	got, err := later.Commitments(f.ctx, ledger.CommitmentQuery{Scheme: city, Overdue: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].ID != due.ID || got[0].State != tally.CommitmentOverdue || got[0].Settlement != nil {
		t.Fatalf("overdue the next day: %+v, want #%d overdue and unsettled", got, due.ID)
	}
	all, err := later.Commitments(f.ctx, ledger.CommitmentQuery{Scheme: city})
	if err != nil || len(all) != 2 || all[0].State != tally.CommitmentGranted {
		t.Fatalf("all the next day: %+v, %v; want the first still granted and the second overdue", all, err)
	}
	if _, records := f.counts(city); records != 0 {
		t.Errorf("an overdue commitment made %d records, want none", records)
	}
}

// Officials act within their scheme and rule categories; nobody records
// the breach of a commitment they recorded, nor of their own; refused
// calls write nothing.
func TestCommitmentRefusals(t *testing.T) {
	f := newCommitmentCase(t)
	market := as(tally.Agency, "market-zhao", func(a *tally.Actor) { a.Schemes, a.Categories = []string{city}, []string{"utilities"} })
	village := as(tally.Agency, "village-sun", func(a *tally.Actor) { a.Schemes = []string{"jiakuang-majia"} })
	verifier := as(tally.Verifier, "railway", nil)
	for _, tc := range []struct {
		name    string
		ctx     context.Context
		mention string
	}{
		{"an agency of another category", market, "market-zhao"},
		{"an agency of another scheme", village, "village-sun"},
		{"a verifier", verifier, "railway"},
		{"the subject", f.subjectCtx(zhang), "subject"},
	} {
		_, err := f.svc.Sign(tc.ctx, clearance())
		wantCode(t, err, tally.EForbidden, tc.mention)
		_, err = f.svc.Breach(tc.ctx, ledger.Settle{ID: f.signed.ID, Note: "missing"})
		wantCode(t, err, tally.EForbidden, tc.mention)
		_, err = f.svc.Fulfil(tc.ctx, ledger.Settle{ID: f.signed.ID, Note: "received"})
		wantCode(t, err, tally.EForbidden, tc.mention)
		if tc.name != "the subject" {
			_, err = f.svc.Commitments(tc.ctx, ledger.CommitmentQuery{Scheme: city})
			if tc.name == "an agency of another category" {
				cs, _ := f.svc.Commitments(tc.ctx, ledger.CommitmentQuery{Scheme: city})
				if len(cs) != 0 {
					t.Errorf("%s read %d commitments of another category, want none", tc.name, len(cs))
				}
				continue
			}
			wantCode(t, err, tally.EForbidden, tc.mention)
		}
	}
	_, err := f.svc.Breach(taxOfficial("tax-wang"), ledger.Settle{ID: f.signed.ID, Note: "no clearance supplied"})
	wantCode(t, err, tally.EForbidden, "recorded commitment #1")
	if cs := f.commitments(ledger.CommitmentQuery{}); len(cs) != 1 || cs[0].Settlement != nil {
		t.Fatalf("after the refusals: %+v, want the one commitment unsettled", cs)
	}
	if _, records := f.counts(city); records != 0 {
		t.Errorf("refused calls wrote %d records, want none", records)
	}
	f.person(city, li, "李四")
	if cs, err := f.svc.Commitments(f.subjectCtx(li), ledger.CommitmentQuery{Identifier: zhang}); err != nil || len(cs) != 0 {
		t.Errorf("another subject reading Zhang's commitments: %+v, %v; want only their own, none", cs, err)
	}
}

// Bad input is refused naming the field at fault, and nothing is written.
func TestCommitmentBadInput(t *testing.T) {
	f := newFixture(t)
	f.publishExample("city.yaml")
	f.person(city, zhang, "张三")
	for _, tc := range []struct {
		name  string
		edit  func(*ledger.CommitmentInput)
		field string
	}{
		{"an unknown rule", func(in *ledger.CommitmentInput) { in.Rule = "tax.nothing" }, "rule"},
		{"an award", func(in *ledger.CommitmentInput) { in.Rule = "health.blood-donation" }, "rule"},
		{"no rule", func(in *ledger.CommitmentInput) { in.Rule = " " }, "rule"},
		{"a day in the past", func(in *ledger.CommitmentInput) { in.Due = "2026-11-25" }, "due"},
		{"no day", func(in *ledger.CommitmentInput) { in.Due = "" }, "due"},
		{"not a day", func(in *ledger.CommitmentInput) { in.Due = "2026-02-30" }, "due"},
		{"no Chinese text", func(in *ledger.CommitmentInput) { in.What.Zh = "  " }, "what.zh"},
		{"no English text", func(in *ledger.CommitmentInput) { in.What.En = "" }, "what.en"},
		{"no permit", func(in *ledger.CommitmentInput) { in.Permit = "" }, "permit"},
		{"a control character", func(in *ledger.CommitmentInput) { in.Permit = "permit\x07" }, "permit"},
	} {
		in := clearance()
		tc.edit(&in)
		_, err := f.svc.Sign(taxOfficial("tax-wang"), in)
		var e *tally.Error
		if !errors.As(err, &e) || e.Code != tally.EInvalid || e.Field != tc.field {
			t.Errorf("%s: got %v, want an invalid %s", tc.name, err, tc.field)
		}
	}
	if cs := f.commitments(ledger.CommitmentQuery{}); len(cs) != 0 {
		t.Errorf("bad input wrote %+v", cs)
	}
	_, err := f.svc.Fulfil(taxOfficial("tax-wang"), ledger.Settle{ID: 1, Note: " "})
	wantCode(t, err, tally.EInvalid, "note")
	_, err = f.svc.Breach(taxOfficial("tax-li"), ledger.Settle{ID: 99, Note: "missing"})
	wantCode(t, err, tally.ENotFound, "99")
}

// Each step of a commitment is in the subject's access log, under an
// action the resident's page names in both languages.
func TestCommitmentStepsAreInTheAccessLog(t *testing.T) {
	f := newCommitmentCase(t)
	other, err := f.svc.Sign(taxOfficial("tax-wang"), clearance())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Fulfil(taxOfficial("tax-wang"), ledger.Settle{ID: f.signed.ID, Note: "received"}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Breach(taxOfficial("tax-li"), ledger.Settle{ID: other.ID, Note: "nothing received"}); err != nil {
		t.Fatal(err)
	}
	log, err := f.svc.AccessLog(f.subjectCtx(zhang), zhang, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range log {
		got = append(got, e.Action)
	}
	want := []string{"add-subject", "enrol", "commitment", "commitment", "commitment-fulfilled", "record", "commitment-breached"}
	if !slices.Equal(got, want) {
		t.Fatalf("access log actions %q, want %q", got, want)
	}
	texts := catalog.MustLoad()
	for _, action := range want[2:] {
		for _, lang := range catalog.Languages {
			if _, ok := texts[lang]["action."+action]; !ok {
				t.Errorf("the %s catalogue has no action.%s for the access log", lang, action)
			}
		}
	}
}

// An official reads only commitments under rules of its assignment, and
// those it may not read never cut a page short: a page of the limit
// still holds what it may read after them.
func TestCommitmentPagesSkipWhatTheOfficialMayNotRead(t *testing.T) {
	f := newCommitmentCase(t) // #1 under tax.arrears
	loan := clearance()
	loan.Rule = "finance.loan-default"
	for range 3 {
		if _, err := f.svc.Sign(f.ctx, loan); err != nil {
			t.Fatal(err)
		}
	}
	tax := clearance()
	last, err := f.svc.Sign(f.ctx, tax)
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.svc.Commitments(taxOfficial("tax-li"), ledger.CommitmentQuery{Scheme: city, After: f.signed.ID, Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].ID != last.ID {
		t.Fatalf("a page of 2 after #%d for the tax bureau: %+v, want #%d alone (the loan commitments are not its)", f.signed.ID, got, last.ID)
	}
}
