package storetest

import (
	"reflect"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// testRecordRoundTrip checks that every field of a record comes back, by
// ID and by Ref, with times as the same instants and a zero ExpiresAt as
// zero.
func testRecordRoundTrip(t *testing.T, s ledger.Store) {
	ids := addSubjects(t, s, 1)
	full := &tally.Record{
		Scheme:     scheme,
		Version:    7,
		SubjectID:  ids[0],
		Rule:       "court-breach",
		Facts:      map[string]any{"case": "(2024)鲁1082执123号", "court": "荣成市人民法院"},
		HappenedAt: time.Date(2024, 2, 29, 23, 59, 59, 999999000, beijing),
		RecordedAt: time.Date(2024, 3, 1, 8, 0, 0, 1000, lima),
		RecordedBy: "法院 feed",
		Ref:        "court/2024/123",
		Evidence:   "judgment 123",
		Requested:  -50,
		Awarded:    -40,
		Reason:     "capped at -40 a year",
		ExpiresAt:  time.Date(2026, 2, 28, 16, 0, 0, 1000, time.UTC).In(lima),
		Digest:     "sha256:abc",
	}
	never := newRecord(scheme, ids[0], "volunteer", "volunteer/1", t0, 2)
	never.Facts = nil
	mustUpdate(t, s, func(tx ledger.Tx) error {
		if err := tx.InsertRecord(t.Context(), full); err != nil {
			return err
		}
		return tx.InsertRecord(t.Context(), never)
	})
	if full.ID <= 0 || never.ID <= full.ID {
		t.Fatalf("InsertRecord set IDs %d then %d, want positive and increasing", full.ID, never.ID)
	}
	mustView(t, s, func(tx ledger.Tx) error {
		for _, want := range []*tally.Record{full, never} {
			byID, err := tx.RecordByID(t.Context(), want.ID)
			if err != nil {
				t.Errorf("RecordByID(%d): %v", want.ID, err)
				continue
			}
			checkRecord(t, byID, want)
			byRef, err := tx.RecordByRef(t.Context(), want.Scheme, want.Ref)
			if err != nil {
				t.Errorf("RecordByRef(%s): %v", want.Ref, err)
				continue
			}
			checkRecord(t, byRef, want)
		}
		got, err := tx.RecordByID(t.Context(), never.ID)
		if err != nil {
			return err
		}
		if !got.ExpiresAt.IsZero() || got.IsReversal() || len(got.Facts) != 0 {
			t.Errorf("record without expiry: got ExpiresAt %v, Reverses %d, Facts %v; want zero, 0, empty", got.ExpiresAt, got.Reverses, got.Facts)
		}
		return nil
	})
}

// testRecordFacts checks that facts come back as from JSON: numbers as
// float64, nested values as []any and map[string]any.
func testRecordFacts(t *testing.T, s ledger.Store) {
	ids := addSubjects(t, s, 1)
	r := newRecord(scheme, ids[0], "donation", "d1", t0, 30)
	r.Facts = map[string]any{
		"yuan":     3000,
		"hours":    int64(8),
		"rate":     0.25,
		"donor":    "王芳",
		"verified": true,
		"items":    []any{"TV", 2},
		"place":    map[string]any{"village": "东山村", "n": 7},
		"none":     nil,
	}
	want := map[string]any{
		"yuan":     float64(3000),
		"hours":    float64(8),
		"rate":     0.25,
		"donor":    "王芳",
		"verified": true,
		"items":    []any{"TV", float64(2)},
		"place":    map[string]any{"village": "东山村", "n": float64(7)},
		"none":     nil,
	}
	insertRecords(t, s, r)
	mustView(t, s, func(tx ledger.Tx) error {
		got, err := tx.RecordByID(t.Context(), r.ID)
		if err != nil {
			return err
		}
		if !reflect.DeepEqual(got.Facts, want) {
			t.Errorf("Facts: got %#v, want %#v", got.Facts, want)
		}
		return nil
	})
}

// testRecordConflicts checks that a Ref used in the scheme is EConflict,
// the same Ref in another scheme is not, and nothing of a refused insert
// is stored.
func testRecordConflicts(t *testing.T, s ledger.Store) {
	ids := addSubjects(t, s, 2)
	first := newRecord(scheme, ids[0], "volunteer", "form-17", t0, 1)
	insertRecords(t, s, first)

	dup := newRecord(scheme, ids[1], "donation", "form-17", t0.Add(time.Hour), 30)
	err := s.Update(t.Context(), func(tx ledger.Tx) error { return tx.InsertRecord(t.Context(), dup) })
	wantCode(t, "InsertRecord with a Ref used in the scheme", err, tally.EConflict)

	elsewhere := newRecord(otherScheme, ids[1], "donation", "form-17", t0.Add(time.Hour), 30)
	insertRecords(t, s, elsewhere)

	mustView(t, s, func(tx ledger.Tx) error {
		got, err := tx.RecordByRef(t.Context(), scheme, "form-17")
		if err != nil {
			return err
		}
		checkRecord(t, got, first)
		got, err = tx.RecordByRef(t.Context(), otherScheme, "form-17")
		if err != nil {
			return err
		}
		checkRecord(t, got, elsewhere)
		_, n, err := tx.Counts(t.Context(), scheme)
		if err != nil || n != 1 {
			t.Errorf("Counts(%s) after a conflict: got %d records, %v; want 1", scheme, n, err)
		}
		return nil
	})
}

// testInsertRecords checks the batch insert: IDs in order, every record
// readable, and a conflict anywhere in the batch fails the call.
func testInsertRecords(t *testing.T, s ledger.Store) {
	ids := addSubjects(t, s, 2)
	batch := []*tally.Record{
		newRecord(scheme, ids[0], "volunteer", "batch-1", t0, 1),
		newRecord(scheme, ids[1], "volunteer", "batch-2", t0.Add(time.Minute), 2),
		newRecord(otherScheme, ids[0], "donation", "batch-1", t0.Add(time.Hour), 30),
	}
	mustUpdate(t, s, func(tx ledger.Tx) error { return tx.InsertRecords(t.Context(), batch) })
	if !(batch[0].ID > 0 && batch[1].ID > batch[0].ID && batch[2].ID > batch[1].ID) {
		t.Errorf("InsertRecords IDs = %v, want increasing and positive", idsOf(batch...))
	}
	mustView(t, s, func(tx ledger.Tx) error {
		for _, want := range batch {
			got, err := tx.RecordByID(t.Context(), want.ID)
			if err != nil {
				return err
			}
			checkRecord(t, got, want)
		}
		return nil
	})
	bad := []*tally.Record{
		newRecord(scheme, ids[0], "volunteer", "batch-3", t0, 1),
		newRecord(scheme, ids[1], "volunteer", "batch-2", t0, 1), // Ref already used
	}
	err := s.Update(t.Context(), func(tx ledger.Tx) error { return tx.InsertRecords(t.Context(), bad) })
	wantCode(t, "InsertRecords with a used Ref", err, tally.EConflict)
	mustView(t, s, func(tx ledger.Tx) error {
		_, err := tx.RecordByRef(t.Context(), scheme, "batch-3")
		wantCode(t, "RecordByRef of a record in a failed batch", err, tally.ENotFound)
		return nil
	})
}

// testReversal checks ReversalOf and that a second reversal of a record is
// EConflict even under another Ref.
func testReversal(t *testing.T, s ledger.Store) {
	ids := addSubjects(t, s, 1)
	original := newRecord(scheme, ids[0], "litter", "fine-9", t0, -10)
	insertRecords(t, s, original)
	reversal := newReversal(original, "fine-9/reversal")
	insertRecords(t, s, reversal)
	if !reversal.IsReversal() || reversal.ID <= original.ID {
		t.Fatalf("reversal: got ID %d reversing %d, want an ID above %d", reversal.ID, reversal.Reverses, original.ID)
	}

	second := newReversal(original, "fine-9/reversal-2")
	err := s.Update(t.Context(), func(tx ledger.Tx) error { return tx.InsertRecord(t.Context(), second) })
	wantCode(t, "second reversal of one record", err, tally.EConflict)

	mustView(t, s, func(tx ledger.Tx) error {
		got, err := tx.ReversalOf(t.Context(), original.ID)
		if err != nil {
			return err
		}
		checkRecord(t, got, reversal)
		_, err = tx.RecordByRef(t.Context(), scheme, second.Ref)
		wantCode(t, "RecordByRef of the refused reversal", err, tally.ENotFound)
		_, err = tx.ReversalOf(t.Context(), reversal.ID)
		wantCode(t, "ReversalOf a reversal", err, tally.ENotFound)
		return nil
	})
}

// testReferences checks that a row referring to a subject, enrolment or
// record that does not exist is refused with ENotFound.
func testReferences(t *testing.T, s ledger.Store) {
	ids := addSubjects(t, s, 1)
	const missing = 1 << 40
	tests := []struct {
		name string
		fn   func(ledger.Tx) error
	}{
		{"InsertEnrolment of an unknown subject", func(tx ledger.Tx) error {
			return tx.InsertEnrolment(t.Context(), &tally.Enrolment{Scheme: scheme, SubjectID: missing, Enrolled: t0})
		}},
		{"InsertConsent without enrolment", func(tx ledger.Tx) error {
			return tx.InsertConsent(t.Context(), &tally.Consent{Scheme: scheme, SubjectID: ids[0], Given: true, At: t0})
		}},
		{"InsertRecord of an unknown subject", func(tx ledger.Tx) error {
			return tx.InsertRecord(t.Context(), newRecord(scheme, missing, "volunteer", "r1", t0, 1))
		}},
		{"InsertRecord reversing an unknown record", func(tx ledger.Tx) error {
			r := newRecord(scheme, ids[0], "volunteer", "r2", t0, -1)
			r.Reverses = missing
			return tx.InsertRecord(t.Context(), r)
		}},
	}
	for _, tc := range tests {
		err := s.Update(t.Context(), tc.fn)
		wantCode(t, tc.name, err, tally.ENotFound)
	}
}

// testRecordsByRefs checks the lookup of many refs at once: only the
// scheme's records, refs not used simply absent.
func testRecordsByRefs(t *testing.T, s ledger.Store) {
	ids := addSubjects(t, s, 1)
	a := newRecord(scheme, ids[0], "volunteer", "ref-a", t0, 1)
	b := newRecord(scheme, ids[0], "volunteer", "ref-b", t0.Add(time.Minute), 2)
	other := newRecord(otherScheme, ids[0], "volunteer", "ref-c", t0, 3)
	insertRecords(t, s, a, b, other)
	mustView(t, s, func(tx ledger.Tx) error {
		got, err := tx.RecordsByRefs(t.Context(), scheme, []string{"ref-b", "ref-c", "nothing", "ref-a"})
		if err != nil {
			return err
		}
		found := map[string]int64{}
		for _, r := range got {
			found[r.Ref] = r.ID
		}
		if len(got) != 2 || found["ref-a"] != a.ID || found["ref-b"] != b.ID {
			t.Errorf("RecordsByRefs = %v, want ref-a and ref-b of %s only", found, scheme)
		}
		none, err := tx.RecordsByRefs(t.Context(), scheme, nil)
		if err != nil || len(none) != 0 {
			t.Errorf("RecordsByRefs(nil) = %v, %v; want none", none, err)
		}
		return nil
	})
}
