package storetest

import (
	"bytes"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// testSubjects checks the round trip of a person and of an organisation,
// whose zero AdultOn must stay zero, found by ID and by Lookup.
func testSubjects(t *testing.T, s ledger.Store) {
	person := newSubject(1)
	org := &tally.Subject{
		Kind:    tally.Organisation,
		Name:    "荣成市诚信农贸市场",
		Masked:  "91371082********0X",
		Lookup:  lookupOf(2),
		Sealed:  []byte{0, 1, 2, 0xff, 0xfe},
		Created: time.Date(2031, 12, 31, 23, 59, 59, 999999000, lima),
	}
	mustUpdate(t, s, func(tx ledger.Tx) error {
		if err := tx.InsertSubject(t.Context(), person); err != nil {
			return err
		}
		return tx.InsertSubject(t.Context(), org)
	})
	if person.ID <= 0 || org.ID <= 0 || person.ID == org.ID {
		t.Fatalf("InsertSubject set IDs %d and %d, want two different positive IDs", person.ID, org.ID)
	}
	mustView(t, s, func(tx ledger.Tx) error {
		for _, want := range []*tally.Subject{person, org} {
			byID, err := tx.SubjectByID(t.Context(), want.ID)
			if err != nil {
				t.Errorf("SubjectByID(%d): %v", want.ID, err)
				continue
			}
			checkSubject(t, "SubjectByID", byID, want)
			byLookup, err := tx.SubjectByLookup(t.Context(), want.Lookup)
			if err != nil {
				t.Errorf("SubjectByLookup(%x): %v", want.Lookup, err)
				continue
			}
			checkSubject(t, "SubjectByLookup", byLookup, want)
		}
		return nil
	})
}

// testSubjectConflict checks that a second subject with the same Lookup is
// EConflict and leaves the first unchanged.
func testSubjectConflict(t *testing.T, s ledger.Store) {
	first := newSubject(1)
	mustUpdate(t, s, func(tx ledger.Tx) error { return tx.InsertSubject(t.Context(), first) })
	second := newSubject(2)
	second.Lookup = lookupOf(1)
	err := s.Update(t.Context(), func(tx ledger.Tx) error { return tx.InsertSubject(t.Context(), second) })
	wantCode(t, "InsertSubject with a used Lookup", err, tally.EConflict)
	mustView(t, s, func(tx ledger.Tx) error {
		got, err := tx.SubjectByLookup(t.Context(), lookupOf(1))
		if err != nil {
			return err
		}
		checkSubject(t, "SubjectByLookup after conflict", got, first)
		return nil
	})
}

// checkSubject reports each field of got that differs from want.
func checkSubject(t testing.TB, call string, got, want *tally.Subject) {
	t.Helper()
	if got.ID != want.ID || got.Kind != want.Kind || got.Name != want.Name || got.Masked != want.Masked {
		t.Errorf("%s: got %d %s %q %q, want %d %s %q %q", call,
			got.ID, got.Kind, got.Name, got.Masked, want.ID, want.Kind, want.Name, want.Masked)
	}
	if !bytes.Equal(got.Lookup, want.Lookup) || !bytes.Equal(got.Sealed, want.Sealed) {
		t.Errorf("%s: got lookup %x sealed %x, want %x, %x", call, got.Lookup, got.Sealed, want.Lookup, want.Sealed)
	}
	if !got.AdultOn.Equal(want.AdultOn) || got.AdultOn.IsZero() != want.AdultOn.IsZero() {
		t.Errorf("%s: got AdultOn %v, want %v", call, got.AdultOn, want.AdultOn)
	}
	if !got.Created.Equal(want.Created) {
		t.Errorf("%s: got Created %v, want %v", call, got.Created, want.Created)
	}
}
