package storetest

import (
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// testMeta checks that SetMeta stores and overwrites a setting and that an
// unknown setting is ENotFound.
func testMeta(t *testing.T, s ledger.Store) {
	mustUpdate(t, s, func(tx ledger.Tx) error {
		if err := tx.SetMeta(t.Context(), "site", "Rongcheng"); err != nil {
			return err
		}
		return tx.SetMeta(t.Context(), "empty", "")
	})
	mustUpdate(t, s, func(tx ledger.Tx) error {
		return tx.SetMeta(t.Context(), "site", "荣成市")
	})
	mustView(t, s, func(tx ledger.Tx) error {
		for _, tc := range []struct{ name, want string }{{"site", "荣成市"}, {"empty", ""}} {
			got, err := tx.Meta(t.Context(), tc.name)
			if err != nil || got != tc.want {
				t.Errorf("Meta(%q): got %q, %v; want %q, nil", tc.name, got, err, tc.want)
			}
		}
		got, err := tx.Meta(t.Context(), "unknown")
		wantCode(t, "Meta(unknown)", err, tally.ENotFound)
		if got != "" {
			t.Errorf("Meta(unknown): got %q, want empty", got)
		}
		return nil
	})
}

// testNotFound checks that every lookup of something missing returns a nil
// value and an error with code ENotFound, never nil, nil.
func testNotFound(t *testing.T, s ledger.Store) {
	ids := addSubjects(t, s, 1)
	enrol(t, s, scheme, ids[0])
	original := newRecord(scheme, ids[0], "volunteer", "r1", t0, 1)
	insertRecords(t, s, original)
	const missing = 1 << 40

	mustView(t, s, func(tx ledger.Tx) error {
		ctx := t.Context()
		tests := []struct {
			name string
			call func() (any, error)
		}{
			{"SubjectByLookup(unknown)", func() (any, error) { return tx.SubjectByLookup(ctx, lookupOf(2)) }},
			{"SubjectByID(unknown)", func() (any, error) { return tx.SubjectByID(ctx, missing) }},
			{"Enrolment(unknown subject)", func() (any, error) { return tx.Enrolment(ctx, scheme, missing) }},
			{"Enrolment(other scheme)", func() (any, error) { return tx.Enrolment(ctx, otherScheme, ids[0]) }},
			{"RecordByID(unknown)", func() (any, error) { return tx.RecordByID(ctx, missing) }},
			{"RecordByRef(unknown ref)", func() (any, error) { return tx.RecordByRef(ctx, scheme, "r2") }},
			{"RecordByRef(other scheme)", func() (any, error) { return tx.RecordByRef(ctx, otherScheme, "r1") }},
			{"ReversalOf(unreversed)", func() (any, error) { return tx.ReversalOf(ctx, original.ID) }},
			{"ReversalOf(unknown)", func() (any, error) { return tx.ReversalOf(ctx, missing) }},
		}
		for _, tc := range tests {
			got, err := tc.call()
			wantCode(t, tc.name, err, tally.ENotFound)
			if err != nil && err.Error() == "" {
				t.Errorf("%s: error has no message", tc.name)
			}
			if v := reflectNil(got); !v {
				t.Errorf("%s: got value %+v, want nil", tc.name, got)
			}
		}
		return nil
	})
}
