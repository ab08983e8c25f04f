package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// testEnrolment checks the round trip of an enrolment, its zero Consent
// when none is recorded, and that enrolling twice is EConflict.
func testEnrolment(t *testing.T, s ledger.Store) {
	ids := addSubjects(t, s, 1)
	want := &tally.Enrolment{Scheme: scheme, SubjectID: ids[0], Unit: "东山村", Enrolled: t0.In(lima), By: "李 clerk"}
	mustUpdate(t, s, func(tx ledger.Tx) error { return tx.InsertEnrolment(t.Context(), want) })

	again := *want
	again.Unit = "other"
	err := s.Update(t.Context(), func(tx ledger.Tx) error { return tx.InsertEnrolment(t.Context(), &again) })
	wantCode(t, "InsertEnrolment twice", err, tally.EConflict)

	// The same subject may join another scheme.
	enrol(t, s, otherScheme, ids[0])

	mustView(t, s, func(tx ledger.Tx) error {
		got, err := tx.Enrolment(t.Context(), scheme, ids[0])
		if err != nil {
			return err
		}
		if got.Scheme != want.Scheme || got.SubjectID != want.SubjectID || got.Unit != want.Unit || got.By != want.By {
			t.Errorf("Enrolment: got %s/%d unit %q by %q, want %s/%d unit %q by %q",
				got.Scheme, got.SubjectID, got.Unit, got.By, want.Scheme, want.SubjectID, want.Unit, want.By)
		}
		if !got.Enrolled.Equal(want.Enrolled) {
			t.Errorf("Enrolment: got Enrolled %v, want %v", got.Enrolled, want.Enrolled)
		}
		if got.Consent != (tally.Consent{}) {
			t.Errorf("Enrolment without consent: got Consent %+v, want zero", got.Consent)
		}
		return nil
	})
}

// testEnrolmentConsent checks that Enrolment returns the latest consent by
// At, and of consents at the same instant the last inserted.
func testEnrolmentConsent(t *testing.T, s ledger.Store) {
	ids := addSubjects(t, s, 2)
	enrol(t, s, scheme, ids...)
	enrol(t, s, otherScheme, ids[0])

	consent := func(id int64, given bool, at time.Time, how string) *tally.Consent {
		return &tally.Consent{Scheme: scheme, SubjectID: id, Given: given, At: at, How: how, By: "窗口 clerk"}
	}
	insert := func(cs ...*tally.Consent) {
		t.Helper()
		mustUpdate(t, s, func(tx ledger.Tx) error {
			for _, c := range cs {
				if err := tx.InsertConsent(t.Context(), c); err != nil {
					return err
				}
			}
			return nil
		})
	}
	check := func(step string, want *tally.Consent) {
		t.Helper()
		mustView(t, s, func(tx ledger.Tx) error {
			got, err := tx.Enrolment(t.Context(), scheme, ids[0])
			if err != nil {
				return err
			}
			c := got.Consent
			if c.Scheme != want.Scheme || c.SubjectID != want.SubjectID || c.Given != want.Given || c.How != want.How || c.By != want.By || !c.At.Equal(want.At) {
				t.Errorf("%s: got consent %+v, want %+v", step, c, *want)
			}
			return nil
		})
	}

	// Inserted out of time order; the withdrawal at +3h is the latest. It is
	// given in another zone, so only a comparison of instants finds it.
	withdrawn := consent(ids[0], false, t0.Add(3*time.Hour).In(lima), "cli")
	insert(
		consent(ids[0], true, t0.Add(time.Hour), "signed form"),
		withdrawn,
		consent(ids[0], true, t0.Add(2*time.Hour), "signed form again"),
		consent(ids[1], true, t0.Add(4*time.Hour), "other subject"),
		&tally.Consent{Scheme: otherScheme, SubjectID: ids[0], Given: true, At: t0.Add(5 * time.Hour), How: "other scheme"},
	)
	check("latest by At", withdrawn)

	// At the same instant, the one inserted last wins.
	again := consent(ids[0], true, t0.Add(3*time.Hour), "appeal")
	insert(again)
	check("same At, inserted later", again)
}

// testEnrolments checks paging by subject ID with after and limit, each
// page with its latest consents.
func testEnrolments(t *testing.T, s ledger.Store) {
	ids := addSubjects(t, s, 6)
	// Enrolled out of ID order; the sixth only in the other scheme.
	enrol(t, s, scheme, ids[4], ids[2], ids[0], ids[3], ids[1])
	enrol(t, s, otherScheme, ids[5], ids[0])
	mustUpdate(t, s, func(tx ledger.Tx) error {
		for _, c := range []tally.Consent{
			{Scheme: scheme, SubjectID: ids[0], Given: true, At: t0, How: "form"},
			{Scheme: scheme, SubjectID: ids[0], Given: false, At: t0.Add(time.Hour), How: "withdrawn"},
			{Scheme: scheme, SubjectID: ids[3], Given: true, At: t0, How: "form"},
			{Scheme: otherScheme, SubjectID: ids[0], Given: true, At: t0.Add(2 * time.Hour), How: "other"},
		} {
			if err := tx.InsertConsent(t.Context(), &c); err != nil {
				return err
			}
		}
		return nil
	})
	// describe shows one enrolment as subject index and consent.
	index := map[int64]int{}
	for i, id := range ids {
		index[id] = i
	}
	describe := func(es []tally.Enrolment) string {
		var out []string
		for _, e := range es {
			c := "none"
			if e.Consent != (tally.Consent{}) {
				c = fmt.Sprintf("%s/%v", e.Consent.How, e.Consent.Given)
			}
			out = append(out, fmt.Sprintf("%d:%s:%s", index[e.SubjectID], e.Scheme, c))
		}
		return fmt.Sprint(out)
	}

	tests := []struct {
		after int64
		limit int
		want  string
	}{
		{0, 2, "[0:rongcheng:withdrawn/false 1:rongcheng:none]"},
		{ids[1], 2, "[2:rongcheng:none 3:rongcheng:form/true]"},
		{ids[3], 2, "[4:rongcheng:none]"},
		{ids[4], 2, "[]"},
		{0, 100, "[0:rongcheng:withdrawn/false 1:rongcheng:none 2:rongcheng:none 3:rongcheng:form/true 4:rongcheng:none]"},
	}
	mustView(t, s, func(tx ledger.Tx) error {
		for _, tc := range tests {
			got, err := tx.Enrolments(t.Context(), scheme, tc.after, tc.limit)
			if err != nil {
				return err
			}
			if d := describe(got); d != tc.want {
				t.Errorf("Enrolments(after subject %d, limit %d): got %s, want %s", index[tc.after], tc.limit, d, tc.want)
			}
		}
		got, err := tx.Enrolments(t.Context(), "unknown", 0, 10)
		if err != nil || len(got) != 0 {
			t.Errorf("Enrolments(unknown scheme): got %d, %v; want 0, nil", len(got), err)
		}
		return nil
	})
}
