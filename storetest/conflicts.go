package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// testEveryConflictKeepsTx checks that each kind of conflicting insert
// fails only itself: after a conflicting rulebook, subject, enrolment,
// ref and second reversal, the same transaction goes on and commits.
func testEveryConflictKeepsTx(t *testing.T, s ledger.Store) {
	ids := addSubjects(t, s, 2)
	enrol(t, s, scheme, ids[0])
	mustUpdate(t, s, func(tx ledger.Tx) error { return tx.InsertRulebook(t.Context(), newRulebook(scheme, 1)) })
	original := newRecord(scheme, ids[0], "litter", "fine-1", t0, -10)
	insertRecords(t, s, original)
	insertRecords(t, s, newReversal(original, "fine-1/reversal"))

	mustUpdate(t, s, func(tx ledger.Tx) error {
		ctx := t.Context()
		conflicts := []struct {
			name string
			fn   func() error
		}{
			{"InsertRulebook of an existing version", func() error { return tx.InsertRulebook(ctx, newRulebook(scheme, 1)) }},
			{"InsertSubject with a used Lookup", func() error { return tx.InsertSubject(ctx, newSubject(1)) }},
			{"InsertEnrolment twice", func() error {
				return tx.InsertEnrolment(ctx, &tally.Enrolment{Scheme: scheme, SubjectID: ids[0], Enrolled: t0})
			}},
			{"InsertRecord with a used Ref", func() error {
				return tx.InsertRecord(ctx, newRecord(scheme, ids[1], "volunteer", "fine-1", t0, 1))
			}},
			{"InsertRecord of a second reversal", func() error {
				return tx.InsertRecord(ctx, newReversal(original, "fine-1/reversal-2"))
			}},
		}
		for _, c := range conflicts {
			wantCode(t, c.name, c.fn(), tally.EConflict)
		}
		if err := tx.InsertEnrolment(ctx, &tally.Enrolment{Scheme: scheme, SubjectID: ids[1], Enrolled: t0, By: "clerk"}); err != nil {
			return fmt.Errorf("InsertEnrolment after conflicts: %w", err)
		}
		if err := tx.InsertRecord(ctx, newRecord(scheme, ids[1], "volunteer", "after", t0, 1)); err != nil {
			return fmt.Errorf("InsertRecord after conflicts: %w", err)
		}
		return tx.SetMeta(ctx, "after", "conflicts")
	})
	mustView(t, s, func(tx ledger.Tx) error {
		if _, err := tx.Enrolment(t.Context(), scheme, ids[1]); err != nil {
			t.Errorf("Enrolment written after conflicts: %v", err)
		}
		if _, err := tx.RecordByRef(t.Context(), scheme, "after"); err != nil {
			t.Errorf("record written after conflicts: %v", err)
		}
		if v, err := tx.Meta(t.Context(), "after"); err != nil || v != "conflicts" {
			t.Errorf("Meta written after conflicts: got %q, %v", v, err)
		}
		return nil
	})
}

// testInsertRecordsBatches checks the batch insert beyond the plain case:
// a Ref repeated inside one batch and two reversals of one record in one
// batch are conflicts, an unknown subject is ENotFound, an empty batch
// does nothing, and IDs keep increasing between single and batch inserts.
func testInsertRecordsBatches(t *testing.T, s ledger.Store) {
	ids := addSubjects(t, s, 2)
	original := newRecord(scheme, ids[0], "litter", "fine-1", t0, -10)
	insertRecords(t, s, original)
	const missing = 1 << 40

	failing := []struct {
		name  string
		batch []*tally.Record
		want  tally.ErrorCode
	}{
		{"a Ref twice in the batch", []*tally.Record{
			newRecord(scheme, ids[0], "volunteer", "twice", t0, 1),
			newRecord(scheme, ids[1], "volunteer", "twice", t0, 1),
		}, tally.EConflict},
		{"two reversals of one record", []*tally.Record{
			newReversal(original, "undo-1"),
			newReversal(original, "undo-2"),
		}, tally.EConflict},
		{"an unknown subject", []*tally.Record{
			newRecord(scheme, ids[0], "volunteer", "known", t0, 1),
			newRecord(scheme, missing, "volunteer", "unknown", t0, 1),
		}, tally.ENotFound},
	}
	for _, tc := range failing {
		err := s.Update(t.Context(), func(tx ledger.Tx) error { return tx.InsertRecords(t.Context(), tc.batch) })
		wantCode(t, "InsertRecords with "+tc.name, err, tc.want)
		mustView(t, s, func(tx ledger.Tx) error {
			for _, r := range tc.batch {
				_, err := tx.RecordByRef(t.Context(), r.Scheme, r.Ref)
				wantCode(t, fmt.Sprintf("RecordByRef(%s) after a failed batch with %s", r.Ref, tc.name), err, tally.ENotFound)
			}
			return nil
		})
	}

	single1 := newRecord(scheme, ids[0], "volunteer", "single-1", t0, 1)
	batch := []*tally.Record{
		newRecord(scheme, ids[1], "volunteer", "batch-1", t0.Add(time.Hour), 2),
		newRecord(scheme, ids[0], "volunteer", "batch-2", t0.Add(-time.Hour), 3),
	}
	single2 := newRecord(scheme, ids[1], "volunteer", "single-2", t0, 4)
	mustUpdate(t, s, func(tx ledger.Tx) error {
		if err := tx.InsertRecords(t.Context(), nil); err != nil {
			return fmt.Errorf("InsertRecords of no records: %w", err)
		}
		if err := tx.InsertRecord(t.Context(), single1); err != nil {
			return err
		}
		if err := tx.InsertRecords(t.Context(), batch); err != nil {
			return err
		}
		return tx.InsertRecord(t.Context(), single2)
	})
	all := []*tally.Record{single1, batch[0], batch[1], single2}
	for i := 1; i < len(all); i++ {
		if all[i].ID <= all[i-1].ID {
			t.Errorf("IDs of single, batch, batch, single inserts: got %v, want increasing", idsOf(all...))
			break
		}
	}
	mustView(t, s, func(tx ledger.Tx) error {
		for _, want := range all {
			got, err := tx.RecordByID(t.Context(), want.ID)
			if err != nil {
				return err
			}
			checkRecord(t, got, want)
		}
		return nil
	})
}
