package storetest

import (
	"fmt"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

func i64(n int64) *int64 { return &n }

// testWindowRecords checks that the records of a range of subjects that
// count at some instant of a window come back, by subject, without
// reversed records, expired ones, later ones or other subjects'.
func testWindowRecords(t *testing.T, s ledger.Store) {
	ids := addSubjects(t, s, 3)
	enrol(t, s, scheme, ids...)
	from, to := t0, t0.Add(30*24*time.Hour)
	in1 := newRecord(scheme, ids[1], "a", "in1", t0.Add(time.Hour), 5)
	in0 := newRecord(scheme, ids[0], "a", "in0", t0.Add(2*time.Hour), 3)
	before := newRecord(scheme, ids[0], "a", "before", t0.Add(-time.Hour), 2) // counts at from
	expired := newRecord(scheme, ids[0], "a", "expired", t0.Add(-48*time.Hour), 7)
	expired.ExpiresAt = t0.Add(-time.Hour)
	later := newRecord(scheme, ids[0], "a", "later", to.Add(time.Second), 1)
	undone := newRecord(scheme, ids[0], "a", "undone", t0.Add(3*time.Hour), 4)
	other := newRecord(scheme, ids[2], "a", "other", t0.Add(time.Hour), 9)
	insertRecords(t, s, in1, in0, before, expired, later, undone, other)
	insertRecords(t, s, newReversal(undone, "undo"))
	mustView(t, s, func(tx ledger.Tx) error {
		rs, err := tx.WindowRecords(t.Context(), scheme, 0, ids[1], from, to)
		if err != nil {
			return err
		}
		if got, want := recordIDs(rs), idsOf(before, in0, in1); !reflect.DeepEqual(got, want) {
			t.Errorf("WindowRecords = %v, want %v (by subject, then time)", got, want)
		}
		if len(rs) == 3 && (rs[1].Awarded != 3 || rs[1].SubjectID != ids[0] || !rs[1].HappenedAt.Equal(in0.HappenedAt) || rs[1].Rule != "a" || rs[1].Version != 1) {
			t.Errorf("WindowRecords[1] = %+v, want in0's points, subject, time, rule and version", rs[1])
		}
		subjects, err := tx.EnrolledSubjects(t.Context(), scheme, ids[0], ids[2])
		if err != nil {
			return err
		}
		if len(subjects) != 2 || subjects[0].ID != ids[1] || subjects[1].Name != newSubject(3).Name {
			t.Errorf("EnrolledSubjects = %+v, want subjects 2 and 3", subjects)
		}
		late, err := tx.LateRecords(t.Context(), scheme, t0.Add(2*time.Hour), t0.Add(time.Hour))
		if err != nil {
			return err
		}
		// in1 was recorded at t0+2h, after t0+1h, for conduct before t0+2h.
		if !reflect.DeepEqual(late, idsOf(in1, other)) {
			t.Errorf("LateRecords = %v, want %v", late, idsOf(in1, other))
		}
		return nil
	})
}

// testCloses checks that a close's header, rows, totals and late records
// round-trip, that a period closes once, and that publication consents
// resolve to the latest decision.
func testCloses(t *testing.T, s ledger.Store) {
	ids := addSubjects(t, s, 2)
	enrol(t, s, scheme, ids...)
	r := newRecord(scheme, ids[0], "a", "r", t0, 5)
	insertRecords(t, s, r)
	c := &tally.Close{Scheme: scheme, Period: "2024-03", Version: 1, Starts: t0, Ends: t0.Add(time.Hour),
		AsOf: t0.Add(time.Hour - time.Microsecond), ClosedAt: t0.Add(2 * time.Hour), ClosedBy: "admin",
		Subjects: 2, Records: 1, Late: 1, Digest: "abc"}
	rows := []tally.CloseRow{
		{SubjectID: ids[0], Unit: "east", Masked: "m1", Name: "王 1", Scored: true, Opening: i64(0), Gains: 5,
			Losses: -2, Expired: 1, Closing: i64(4), Grade: "A", Flags: 1, Stars: 2, Previous: i64(-3), Records: 2, Published: true},
		{SubjectID: ids[1], Unit: "east", Masked: "m2", Name: "王 2", Unscored: "no consent", Gains: 1, Records: 1},
	}
	totals := []tally.CategoryTotal{{Unit: "east", Category: "b", Gains: 1, Records: 1}, {Unit: "east", Category: "a", Gains: 5, Losses: -2, Records: 2}}
	mustUpdate(t, s, func(tx ledger.Tx) error {
		// Rows before the header: the header, with the digest, comes last.
		if err := tx.InsertCloseRows(t.Context(), scheme, c.Period, rows); err != nil {
			return err
		}
		if err := tx.InsertCloseTotals(t.Context(), scheme, c.Period, totals); err != nil {
			return err
		}
		if err := tx.InsertCloseLate(t.Context(), scheme, c.Period, []int64{r.ID}); err != nil {
			return err
		}
		if err := tx.InsertPublicationConsent(t.Context(), &tally.Consent{Scheme: scheme, SubjectID: ids[0], Given: true, At: t0, How: "form", By: "clerk"}); err != nil {
			return err
		}
		if err := tx.InsertPublicationConsent(t.Context(), &tally.Consent{Scheme: scheme, SubjectID: ids[1], Given: true, At: t0, How: "form", By: "clerk"}); err != nil {
			return err
		}
		if err := tx.InsertPublicationConsent(t.Context(), &tally.Consent{Scheme: scheme, SubjectID: ids[1], Given: false, At: t0.Add(time.Hour), How: "form", By: "clerk"}); err != nil {
			return err
		}
		return tx.InsertClose(t.Context(), c)
	})
	err := s.Update(t.Context(), func(tx ledger.Tx) error {
		wantCode(t, "InsertClose of a closed period", tx.InsertClose(t.Context(), c), tally.EConflict)
		wantCode(t, "InsertPublicationConsent without enrolment",
			tx.InsertPublicationConsent(t.Context(), &tally.Consent{Scheme: otherScheme, SubjectID: ids[0], Given: true, At: t0, How: "x", By: "x"}), tally.ENotFound)
		_, err := tx.CloseOf(t.Context(), scheme, "2024-04")
		wantCode(t, "CloseOf an open period", err, tally.ENotFound)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	mustView(t, s, func(tx ledger.Tx) error {
		got, err := tx.CloseOf(t.Context(), scheme, c.Period)
		if err != nil {
			return err
		}
		if !got.ClosedAt.Equal(c.ClosedAt) || !got.AsOf.Equal(c.AsOf) || got.Digest != c.Digest || got.Late != 1 || got.Subjects != 2 || got.ClosedBy != "admin" {
			t.Errorf("CloseOf = %+v, want %+v", got, c)
		}
		all, err := tx.Closes(t.Context(), scheme)
		if err != nil {
			return err
		}
		if len(all) != 1 || all[0].Period != c.Period {
			t.Errorf("Closes = %+v, want the one close", all)
		}
		gotRows, err := tx.CloseRows(t.Context(), scheme, c.Period, 0, math.MaxInt64, 10)
		if err != nil {
			return err
		}
		if !reflect.DeepEqual(gotRows, rows) {
			t.Errorf("CloseRows =\n%+v\nwant\n%+v", gotRows, rows)
		}
		page, err := tx.CloseRows(t.Context(), scheme, c.Period, ids[0], math.MaxInt64, 10)
		if err != nil {
			return err
		}
		if len(page) != 1 || page[0].SubjectID != ids[1] {
			t.Errorf("CloseRows after the first = %+v, want the second", page)
		}
		gotTotals, err := tx.CloseTotals(t.Context(), scheme, c.Period)
		if err != nil {
			return err
		}
		if !reflect.DeepEqual(gotTotals, []tally.CategoryTotal{totals[1], totals[0]}) {
			t.Errorf("CloseTotals = %+v, want by category", gotTotals)
		}
		counts, err := tx.CloseCounts(t.Context(), scheme, c.Period)
		if err != nil {
			return err
		}
		if !reflect.DeepEqual(counts, []tally.CloseCount{{Grade: "A", Flags: 1, Subjects: 1}}) {
			t.Errorf("CloseCounts = %+v, want the one scored row", counts)
		}
		late, err := tx.CloseLate(t.Context(), scheme, c.Period)
		if err != nil {
			return err
		}
		if len(late) != 1 || late[0].Ref != "r" {
			t.Errorf("CloseLate = %+v, want record r", late)
		}
		pub, err := tx.Published(t.Context(), scheme, 0, math.MaxInt64)
		if err != nil {
			return err
		}
		if !reflect.DeepEqual(pub, map[int64]bool{ids[0]: true}) {
			t.Errorf("Published = %v, want only subject 1 (subject 2 withdrew)", pub)
		}
		return nil
	})
	err = s.Update(t.Context(), func(tx ledger.Tx) error {
		_, err := tx.CloseOf(t.Context(), scheme, c.Period) // any statement, then a forbidden change
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// testReports checks that an issued report round-trips and that a code is
// used once.
func testReports(t *testing.T, s ledger.Store) {
	ids := addSubjects(t, s, 1)
	r := &tally.IssuedReport{Code: "ABCD-EFGH", SubjectID: ids[0], Masked: "m", Name: "王 1", Purpose: "home loan",
		Lang: "zh", IssuedAt: t0, IssuedBy: "kiosk", Digest: "00ff", Content: []byte(`{"a":1}`)}
	mustUpdate(t, s, func(tx ledger.Tx) error { return tx.InsertReport(t.Context(), r) })
	err := s.Update(t.Context(), func(tx ledger.Tx) error {
		wantCode(t, "InsertReport twice", tx.InsertReport(t.Context(), r), tally.EConflict)
		other := *r
		other.Code, other.SubjectID = "OTHER", ids[0]+100
		wantCode(t, "InsertReport of an unknown subject", tx.InsertReport(t.Context(), &other), tally.ENotFound)
		_, err := tx.ReportByCode(t.Context(), "NOPE")
		wantCode(t, "ReportByCode unknown", err, tally.ENotFound)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	mustView(t, s, func(tx ledger.Tx) error {
		got, err := tx.ReportByCode(t.Context(), r.Code)
		if err != nil {
			return err
		}
		if !got.IssuedAt.Equal(r.IssuedAt) || got.Purpose != r.Purpose || string(got.Content) != string(r.Content) || got.SubjectID != r.SubjectID || got.Digest != r.Digest {
			t.Errorf("ReportByCode = %+v, want %+v", got, r)
		}
		return nil
	})
}

// testWindowRepairs checks that WindowRecords ends a repaired record at
// its repair's approval when that comes before its expiry, keeps it
// otherwise, ignores a refused repair and leaves out a record held for a
// second person.
func testWindowRepairs(t *testing.T, s ledger.Store) {
	ctx := t.Context()
	ids := addSubjects(t, s, 1)
	enrol(t, s, scheme, ids[0])
	from, to := t0, t0.AddDate(0, 0, 30)
	expiring := newRecord(scheme, ids[0], "a", "expiring", t0, 1)
	expiring.ExpiresAt = t0.AddDate(1, 0, 0)
	lasting := newRecord(scheme, ids[0], "a", "lasting", t0, 2)
	early := newRecord(scheme, ids[0], "a", "early", t0, 3)
	early.ExpiresAt = t0.AddDate(0, 0, 3)
	refused := newRecord(scheme, ids[0], "a", "refused", t0, 4)
	held := newRecord(scheme, ids[0], "a", "held", t0, 5)
	insertRecords(t, s, expiring, lasting, early, refused, held)
	repairs := []struct {
		r        *tally.Record
		approved bool
		at       time.Time
	}{{expiring, true, t0.AddDate(0, 0, 10)}, {lasting, true, t0.AddDate(0, 0, 5)}, {early, true, t0.AddDate(0, 0, 20)}, {refused, false, t0.AddDate(0, 0, 2)}}
	mustUpdate(t, s, func(tx ledger.Tx) error {
		for _, p := range repairs {
			rp := &tally.Repair{Scheme: scheme, SubjectID: ids[0], RecordID: p.r.ID, Obligations: "o", AppliedAt: t0, AppliedBy: "王 1"}
			if err := tx.InsertRepair(ctx, rp); err != nil {
				return err
			}
			d := &tally.RepairDecision{RepairID: rp.ID, RecordID: p.r.ID, Approved: p.approved, Reasons: "r", At: p.at, By: "rev"}
			if err := tx.InsertRepairDecision(ctx, d); err != nil {
				return err
			}
		}
		return tx.InsertHold(ctx, &tally.Hold{RecordID: held.ID, Scheme: scheme, SubjectID: ids[0], Reason: "serious", At: t0})
	})
	mustView(t, s, func(tx ledger.Tx) error {
		rs, err := tx.WindowRecords(ctx, scheme, 0, ids[0], from, to)
		if err != nil {
			return err
		}
		want := map[int64]time.Time{expiring.ID: repairs[0].at.UTC(), lasting.ID: repairs[1].at.UTC(), early.ID: early.ExpiresAt.UTC(), refused.ID: {}}
		got := map[int64]time.Time{}
		for _, r := range rs {
			got[r.ID] = r.ExpiresAt
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("WindowRecords ends = %v, want %v", got, want)
		}
		return nil
	})
}

// testCloseBatches checks that more of a close's rows than one statement
// writes all come back, and that a row given twice is EConflict.
func testCloseBatches(t *testing.T, s ledger.Store) {
	ctx := t.Context()
	totals := make([]tally.CategoryTotal, 1300)
	for i := range totals {
		totals[i] = tally.CategoryTotal{Unit: "east", Category: fmt.Sprintf("c%04d", i), Gains: int64(i), Records: 1}
	}
	c := &tally.Close{Scheme: scheme, Period: "2024-05", Version: 1, Starts: t0, Ends: t0.Add(time.Hour), AsOf: t0, ClosedAt: t0, ClosedBy: "admin"}
	mustUpdate(t, s, func(tx ledger.Tx) error {
		if err := tx.InsertCloseTotals(ctx, scheme, c.Period, totals); err != nil {
			return err
		}
		return tx.InsertClose(ctx, c)
	})
	mustView(t, s, func(tx ledger.Tx) error {
		got, err := tx.CloseTotals(ctx, scheme, c.Period)
		if err == nil && !reflect.DeepEqual(got, totals) {
			t.Errorf("CloseTotals gave %d totals, want the %d written, in order", len(got), len(totals))
		}
		return err
	})
	err := s.Update(ctx, func(tx ledger.Tx) error {
		return tx.InsertCloseTotals(ctx, scheme, "2024-06", []tally.CategoryTotal{totals[0], totals[1], totals[0]})
	})
	wantCode(t, "InsertCloseTotals with a total twice", err, tally.EConflict)
}
