package storetest

import (
	"cmp"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// testCloseSubjects checks a close's page of subjects: each with its
// latest consent (by time, then insertion), its latest decision about the
// honour board, and its closing score in the previous close only if that
// close scored it; pages follow after and limit.
func testCloseSubjects(t *testing.T, s ledger.Store) {
	ids := addSubjects(t, s, 4)
	enrol(t, s, scheme, ids...)
	at := func(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }
	consent := func(id int64, given bool, h int, how string) *tally.Consent {
		return &tally.Consent{Scheme: scheme, SubjectID: id, Given: given, At: at(h), How: how, By: "clerk"}
	}
	prev := &tally.Close{Scheme: scheme, Period: "2024-02", Version: 1, Starts: at(-48), Ends: at(-24), AsOf: at(-24),
		ClosedAt: at(-20), ClosedBy: "admin", Subjects: 2, Digest: "d"}
	mustUpdate(t, s, func(tx ledger.Tx) error {
		for _, c := range []*tally.Consent{consent(ids[0], true, 1, "first"), consent(ids[0], false, 2, "withdrawn"),
			consent(ids[1], false, 3, "no"), consent(ids[1], true, 3, "same instant, later"), consent(ids[3], true, 1, "yes")} {
			if err := tx.InsertConsent(t.Context(), c); err != nil {
				return err
			}
		}
		for _, c := range []*tally.Consent{consent(ids[1], true, 1, "form"), consent(ids[2], true, 1, "form"), consent(ids[2], false, 2, "form")} {
			if err := tx.InsertPublicationConsent(t.Context(), c); err != nil {
				return err
			}
		}
		err := tx.InsertCloseRows(t.Context(), scheme, prev.Period, []tally.CloseRow{
			{SubjectID: ids[1], Masked: "m", Name: "n", Scored: true, Opening: i64(1), Closing: i64(7)},
			{SubjectID: ids[2], Masked: "m", Name: "n", Unscored: "no consent"}})
		if err != nil {
			return err
		}
		return tx.InsertClose(t.Context(), prev)
	})
	mustView(t, s, func(tx ledger.Tx) error {
		page, err := tx.CloseSubjects(t.Context(), scheme, 0, 3, prev.Period)
		if err != nil {
			return err
		}
		if len(page) != 3 {
			t.Fatalf("CloseSubjects(0, 3) = %d subjects, want 3", len(page))
		}
		for i, want := range []struct {
			how       string
			given     bool
			published bool
			previous  *int64
		}{{"withdrawn", false, false, nil}, {"same instant, later", true, true, i64(7)}, {"", false, false, nil}} {
			e := page[i]
			if e.Subject.ID != ids[i] || e.Enrolment.SubjectID != ids[i] || e.Enrolment.Unit != "east" || e.Subject.Name != newSubject(i+1).Name {
				t.Errorf("CloseSubjects[%d] = subject %d %q, enrolment %+v; want subject %d", i, e.Subject.ID, e.Subject.Name, e.Enrolment, ids[i])
			}
			if e.Enrolment.Consent.How != want.how || e.Enrolment.Consent.Given != want.given {
				t.Errorf("CloseSubjects[%d] consent = %+v, want the one %q", i, e.Enrolment.Consent, want.how)
			}
			if e.Published != want.published || !reflect.DeepEqual(e.Previous, want.previous) {
				t.Errorf("CloseSubjects[%d] published %v previous %v, want %v and %v", i, e.Published, e.Previous, want.published, want.previous)
			}
		}
		rest, err := tx.CloseSubjects(t.Context(), scheme, ids[2], 3, "")
		if err != nil {
			return err
		}
		if len(rest) != 1 || rest[0].Subject.ID != ids[3] || !rest[0].Enrolment.Consent.Given || rest[0].Previous != nil {
			t.Errorf("CloseSubjects after the third = %+v, want the fourth, consenting, with no previous close", rest)
		}
		return nil
	})
}

// testPeriodSums checks a page's sums over a close's window: one per
// subject and rule across rulebook versions, or one per version when
// asked; records outside the window are left out, a reversed one is
// summed by its own fields (StandingRecords names it), its reversal not.
func testPeriodSums(t *testing.T, s ledger.Store) {
	ids := addSubjects(t, s, 2)
	enrol(t, s, scheme, ids...)
	mustUpdate(t, s, func(tx ledger.Tx) error {
		return tx.InsertRulebook(t.Context(), &tally.RulebookVersion{Scheme: scheme, Version: 2, Source: []byte("v2")})
	})
	w := ledger.Window{Starts: t0, OpenAt: t0.Add(-time.Microsecond), AsOf: t0.Add(30*24*time.Hour - time.Microsecond)}
	before := newRecord(scheme, ids[0], "a", "before", t0.Add(-time.Hour), 2) // counts at both ends
	gain := newRecord(scheme, ids[0], "a", "gain", t0.Add(time.Hour), 5)
	gain.Version = 2
	loss := newRecord(scheme, ids[0], "a", "loss", t0.Add(2*time.Hour), -3)
	loss.Version = 2
	expiring := newRecord(scheme, ids[0], "b", "expiring", t0.Add(-48*time.Hour), 4) // counts at the opening only
	expiring.ExpiresAt = t0.Add(time.Hour)
	undone := newRecord(scheme, ids[0], "b", "undone", t0.Add(3*time.Hour), 9)
	later := newRecord(scheme, ids[1], "a", "later", w.AsOf.Add(time.Hour), 1)
	other := newRecord(scheme, ids[1], "b", "other", t0.Add(time.Hour), 6)
	insertRecords(t, s, before, gain, loss, expiring, undone, later, other)
	insertRecords(t, s, newReversal(undone, "undo"))
	mustView(t, s, func(tx ledger.Tx) error {
		for _, tc := range []struct {
			byVersion bool
			want      []ledger.RuleSums
		}{
			{false, []ledger.RuleSums{
				{SubjectID: ids[0], FirstVersion: 1, Version: 2, Rule: "a", Opening: 2, Closing: 4, Gains: 5, Losses: -3, Records: 2},
				{SubjectID: ids[0], FirstVersion: 1, Version: 1, Rule: "b", Opening: 4, Closing: 9, Gains: 9, Losses: 0, Records: 1},
				{SubjectID: ids[1], FirstVersion: 1, Version: 1, Rule: "b", Opening: 0, Closing: 6, Gains: 6, Losses: 0, Records: 1}}},
			{true, []ledger.RuleSums{
				{SubjectID: ids[0], FirstVersion: 1, Version: 1, Rule: "a", Opening: 2, Closing: 2},
				{SubjectID: ids[0], FirstVersion: 2, Version: 2, Rule: "a", Opening: 0, Closing: 2, Gains: 5, Losses: -3, Records: 2},
				{SubjectID: ids[0], FirstVersion: 1, Version: 1, Rule: "b", Opening: 4, Closing: 9, Gains: 9, Records: 1},
				{SubjectID: ids[1], FirstVersion: 1, Version: 1, Rule: "b", Opening: 0, Closing: 6, Gains: 6, Records: 1}}},
		} {
			got, err := tx.PeriodSums(t.Context(), scheme, 0, ids[1], w, tc.byVersion)
			if err != nil {
				return err
			}
			sortSums(got)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("PeriodSums(byVersion %v) =\n%+v, want\n%+v", tc.byVersion, got, tc.want)
			}
		}
		return nil
	})
}

// sortSums orders sums by subject, rule, then version: PeriodSums gives
// them by subject only.
func sortSums(ss []ledger.RuleSums) {
	slices.SortStableFunc(ss, func(a, b ledger.RuleSums) int {
		return cmp.Or(cmp.Compare(a.SubjectID, b.SubjectID), strings.Compare(a.Rule, b.Rule), cmp.Compare(a.Version, b.Version))
	})
}
