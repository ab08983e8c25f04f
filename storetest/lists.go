package storetest

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// newEntry returns a listing of a subject, not yet stored.
func newEntry(subjectID int64, n int, list, caseNumber string) *tally.ListEntry {
	notice := t0.Add(24 * time.Hour)
	term := tally.Span{N: 2, Unit: tally.Year}
	return &tally.ListEntry{
		List: list, SubjectID: subjectID, Lookup: lookupOf(n), Name: fmt.Sprintf("王 %d", n),
		Masked: fmt.Sprintf("3710**********%04d", n), CaseNumber: caseNumber, Court: "荣成市人民法院",
		DecidedOn: t0, NoticeServed: notice, Grounds: "able to perform but refuses", Basis: "SPC Provisions art. 1(1)",
		Term: term, Aggravation: 1, Ends: tally.EntryEnds(notice, term, 1), RecordedAt: t0.Add(25 * time.Hour), RecordedBy: "court-7",
	}
}

// testCatalogues checks that catalogue versions round-trip, that the
// latest is returned, and that a version is stored once.
func testCatalogues(t *testing.T, s ledger.Store) {
	err := s.View(t.Context(), func(tx ledger.Tx) error {
		_, err := tx.LatestCatalogue(t.Context())
		return err
	})
	wantCode(t, "LatestCatalogue of an empty store", err, tally.ENotFound)
	for v := 1; v <= 2; v++ {
		mustUpdate(t, s, func(tx ledger.Tx) error {
			return tx.InsertCatalogue(t.Context(), &tally.CatalogueVersion{Version: v, PublishedAt: t0.Add(time.Duration(v) * time.Hour),
				PublishedBy: "admin", Digest: fmt.Sprint("d", v), Source: fmt.Appendf(nil, "catalogue: v%d\n", v)})
		})
	}
	err = s.Update(t.Context(), func(tx ledger.Tx) error {
		err := tx.InsertCatalogue(t.Context(), &tally.CatalogueVersion{Version: 2, PublishedAt: t0, Digest: "x", Source: []byte("x")})
		wantCode(t, "InsertCatalogue of a stored version", err, tally.EConflict)
		_, err = tx.LatestCatalogue(t.Context()) // the transaction stays usable
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	mustView(t, s, func(tx ledger.Tx) error {
		c, err := tx.LatestCatalogue(t.Context())
		if err != nil {
			return err
		}
		if c.Version != 2 || c.Digest != "d2" || string(c.Source) != "catalogue: v2\n" || !c.PublishedAt.Equal(t0.Add(2*time.Hour)) || c.PublishedBy != "admin" {
			t.Errorf("LatestCatalogue = %+v, want version 2", c)
		}
		return nil
	})
}

// testListEntries checks that entries round-trip with every field, that a
// case number is unique in its list (but not across lists), that an
// unknown subject is not found, and that removals are appended once and
// come back with their entry.
func testListEntries(t *testing.T, s ledger.Store) {
	ids := addSubjects(t, s, 2)
	a := newEntry(ids[0], 1, "defaulters", "(2025)鲁1082执123号")
	b := newEntry(ids[0], 1, "restricted", "(2025)鲁1082执123号")
	c := newEntry(ids[1], 2, "defaulters", "(2025)鲁1082执124号")
	c.NoticeServed, c.Ends = t0.Add(-3*365*24*time.Hour), t0.Add(-time.Hour) // ended before t0
	mustUpdate(t, s, func(tx ledger.Tx) error {
		for _, e := range []*tally.ListEntry{a, b, c} {
			if err := tx.InsertListEntry(t.Context(), e); err != nil {
				return err
			}
		}
		return nil
	})
	if a.ID <= 0 || b.ID <= a.ID || c.ID <= b.ID {
		t.Fatalf("entry IDs %d, %d, %d: want positive and increasing", a.ID, b.ID, c.ID)
	}
	err := s.Update(t.Context(), func(tx ledger.Tx) error {
		err := tx.InsertListEntry(t.Context(), newEntry(ids[1], 2, "defaulters", a.CaseNumber))
		wantCode(t, "InsertListEntry with a case number used in the list", err, tally.EConflict)
		err = tx.InsertListEntry(t.Context(), newEntry(ids[1]+100, 3, "defaulters", "other"))
		wantCode(t, "InsertListEntry of an unknown subject", err, tally.ENotFound)
		err = tx.InsertRemoval(t.Context(), &tally.ListRemoval{EntryID: c.ID + 100, Reason: tally.Performed, On: t0, RecordedAt: t0})
		wantCode(t, "InsertRemoval of an unknown entry", err, tally.ENotFound)
		// The transaction stays usable after each.
		return tx.InsertRemoval(t.Context(), &tally.ListRemoval{EntryID: a.ID, Reason: tally.Performed, On: t0.Add(48 * time.Hour),
			Note: "(2025)鲁1082执恢5号", RecordedAt: t0.Add(49 * time.Hour), RecordedBy: "court-7"})
	})
	if err != nil {
		t.Fatal(err)
	}
	err = s.Update(t.Context(), func(tx ledger.Tx) error {
		return tx.InsertRemoval(t.Context(), &tally.ListRemoval{EntryID: a.ID, Reason: tally.Settled, On: t0, RecordedAt: t0})
	})
	wantCode(t, "a second InsertRemoval of one entry", err, tally.EConflict)

	mustView(t, s, func(tx ledger.Tx) error {
		got, err := tx.ListEntryByCase(t.Context(), "defaulters", a.CaseNumber)
		if err != nil {
			return err
		}
		checkEntry(t, got, a)
		if r := got.Removal; r == nil || r.Reason != tally.Performed || !r.On.Equal(t0.Add(48*time.Hour)) || r.Note != "(2025)鲁1082执恢5号" ||
			r.RecordedBy != "court-7" || !r.RecordedAt.Equal(t0.Add(49*time.Hour)) || r.EntryID != a.ID {
			t.Errorf("removal %+v, want performed on t0+48h", got.Removal)
		}
		got, err = tx.ListEntryByCase(t.Context(), "restricted", a.CaseNumber)
		if err != nil {
			return err
		}
		checkEntry(t, got, b)
		if got.Removal != nil {
			t.Errorf("entry %d has removal %+v, want none", got.ID, got.Removal)
		}
		_, err = tx.ListEntryByCase(t.Context(), "restricted", "nothing")
		wantCode(t, "ListEntryByCase of an unknown case", err, tally.ENotFound)
		of, err := tx.ListEntriesOf(t.Context(), ids[0])
		if err != nil {
			return err
		}
		if len(of) != 2 || of[0].ID != a.ID || of[1].ID != b.ID || of[0].Removal == nil {
			t.Errorf("ListEntriesOf = %+v, want entries %d (removed) and %d", of, a.ID, b.ID)
		}
		none, err := tx.ListEntriesOf(t.Context(), ids[1]+100)
		if err != nil || none == nil || len(none) != 0 {
			t.Errorf("ListEntriesOf(unknown) = %v, %v; want an empty slice", none, err)
		}

		// The index scan: entries whose term ends after t0, after an ID.
		var scanned []int64
		err = tx.ScanListEntries(t.Context(), 0, t0, func(e *tally.ListEntry) error {
			scanned = append(scanned, e.ID)
			if e.ID == a.ID && (!bytes.Equal(e.Lookup, a.Lookup) || e.Name != a.Name || e.List != a.List ||
				!e.NoticeServed.Equal(a.NoticeServed) || !e.Ends.Equal(a.Ends)) {
				t.Errorf("ScanListEntries gave %+v, want %+v", e, a)
			}
			return nil
		})
		if err != nil {
			return err
		}
		if fmt.Sprint(scanned) != fmt.Sprint([]int64{a.ID, b.ID}) {
			t.Errorf("ScanListEntries(0, t0) = %v, want %v (not the ended %d)", scanned, []int64{a.ID, b.ID}, c.ID)
		}
		scanned = nil
		if err := tx.ScanListEntries(t.Context(), a.ID, time.Time{}, func(e *tally.ListEntry) error {
			scanned = append(scanned, e.ID)
			return nil
		}); err != nil {
			return err
		}
		if fmt.Sprint(scanned) != fmt.Sprint([]int64{b.ID, c.ID}) {
			t.Errorf("ScanListEntries(%d, zero) = %v, want %v", a.ID, scanned, []int64{b.ID, c.ID})
		}
		var removals []tally.ListRemoval
		if err := tx.ScanRemovals(t.Context(), 0, func(r tally.ListRemoval) error {
			removals = append(removals, r)
			return nil
		}); err != nil {
			return err
		}
		if len(removals) != 1 || removals[0].EntryID != a.ID {
			t.Errorf("ScanRemovals(0) = %+v, want the removal of %d", removals, a.ID)
		}
		removals = nil
		if err := tx.ScanRemovals(t.Context(), 1<<40, func(r tally.ListRemoval) error {
			removals = append(removals, r)
			return nil
		}); err != nil || len(removals) != 0 {
			t.Errorf("ScanRemovals(after all) = %v, %v; want none", removals, err)
		}
		return nil
	})
}

// checkEntry reports each field of got that differs from want.
func checkEntry(t testing.TB, got, want *tally.ListEntry) {
	t.Helper()
	if got.ID != want.ID || got.List != want.List || got.SubjectID != want.SubjectID || !bytes.Equal(got.Lookup, want.Lookup) ||
		got.Name != want.Name || got.Masked != want.Masked || got.CaseNumber != want.CaseNumber || got.Court != want.Court ||
		got.Grounds != want.Grounds || got.Basis != want.Basis || got.Term != want.Term || got.Aggravation != want.Aggravation ||
		got.RecordedBy != want.RecordedBy {
		t.Errorf("entry:\ngot  %+v\nwant %+v", got, want)
	}
	for _, p := range []struct {
		name      string
		got, want time.Time
	}{{"DecidedOn", got.DecidedOn, want.DecidedOn}, {"NoticeServed", got.NoticeServed, want.NoticeServed},
		{"Ends", got.Ends, want.Ends}, {"RecordedAt", got.RecordedAt, want.RecordedAt}} {
		if !p.got.Equal(p.want) {
			t.Errorf("entry %d: %s = %v, want %v", want.ID, p.name, p.got, p.want)
		}
	}
}

// testCheckCounts checks that counts add up per day and measure and come
// back by day then measure, within the days asked.
func testCheckCounts(t *testing.T, s ledger.Store) {
	for range 2 {
		mustUpdate(t, s, func(tx ledger.Tx) error {
			return tx.AddCheckCounts(t.Context(), []tally.CheckCount{
				{Day: "2026-11-26", Measure: "air-travel", Allowed: 10, Denied: 2, Mismatched: 1},
				{Day: "2026-11-26", Measure: "Air-travel", Allowed: 1},
				{Day: "2026-11-25", Measure: "high-speed-rail", Denied: 5},
				{Day: "2026-11-27", Measure: "air-travel", Denied: 5},
			})
		})
	}
	mustView(t, s, func(tx ledger.Tx) error {
		got, err := tx.CheckCounts(t.Context(), "2026-11-25", "2026-11-26")
		if err != nil {
			return err
		}
		want := []tally.CheckCount{
			{Day: "2026-11-25", Measure: "high-speed-rail", Denied: 10},
			{Day: "2026-11-26", Measure: "Air-travel", Allowed: 2},
			{Day: "2026-11-26", Measure: "air-travel", Allowed: 20, Denied: 4, Mismatched: 2},
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("CheckCounts = %v, want %v", got, want)
		}
		return nil
	})
}

// testListsAppendOnly checks that the store refuses to change a stored
// entry through its own transactions: there is no method to, and ending
// is a removal. (The triggers are checked in each store's schema tests.)
func testListsAppendOnly(t *testing.T, s ledger.Store) {
	ids := addSubjects(t, s, 1)
	e := newEntry(ids[0], 1, "defaulters", "case-1")
	mustUpdate(t, s, func(tx ledger.Tx) error { return tx.InsertListEntry(t.Context(), e) })
	again := newEntry(ids[0], 1, "defaulters", "case-1")
	again.Grounds = "changed"
	err := s.Update(t.Context(), func(tx ledger.Tx) error { return tx.InsertListEntry(t.Context(), again) })
	wantCode(t, "re-listing a case to change it", err, tally.EConflict)
	mustView(t, s, func(tx ledger.Tx) error {
		got, err := tx.ListEntryByCase(t.Context(), "defaulters", "case-1")
		if err == nil && got.Grounds != e.Grounds {
			t.Errorf("grounds %q, want the first %q", got.Grounds, e.Grounds)
		}
		return err
	})
}
