package storetest

import (
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// testAccessAuthority checks that an entry keeps the authority it was made
// under, through both inserts.
func testAccessAuthority(t *testing.T, s ledger.Store) {
	ids := addSubjects(t, s, 1)
	one := &tally.Access{At: t0, SubjectID: ids[0], Actor: "bank", Role: tally.Verifier, TokenID: 4, Action: "verify",
		Purpose: "home loan", Op: "verify", Scope: "assigned"}
	batch := []*tally.Access{{At: t0, SubjectID: ids[0], Actor: "clerk", Role: tally.Recorder, Action: "record",
		Op: "records.import", Scope: "assigned"}}
	mustUpdate(t, s, func(tx ledger.Tx) error {
		if err := tx.InsertAccess(t.Context(), one); err != nil {
			return err
		}
		return tx.InsertAccesses(t.Context(), batch)
	})
	got := accessLogOf(t, s, ids[0])
	if len(got) != 2 || got[0].Op != "verify" || got[0].Scope != "assigned" || got[1].Op != "records.import" || got[1].Scope != "assigned" {
		t.Errorf("AccessLog = %+v, want the authority of each entry kept", got)
	}
	for _, e := range got {
		if e.Archived {
			t.Errorf("entry %d is marked archived before any archiving", e.ID)
		}
	}
}

// testAccessArchive checks that archiving moves old entries, a chunk at a
// time, that a subject's log still reads them (marked archived, unchanged,
// in ID order with the live ones), that running it again moves nothing,
// and that new entries never reuse an archived ID.
func testAccessArchive(t *testing.T, s ledger.Store) {
	ids := addSubjects(t, s, 2)
	old, later := t0, t0.AddDate(6, 0, 0)
	entries := []*tally.Access{
		{At: old, SubjectID: ids[0], Scheme: scheme, Actor: "reviewer-1", Role: tally.Reviewer, TokenID: 2, Action: "score",
			Purpose: "objection review", Detail: "as-of", Op: "subjects.read", Scope: "assigned"},
		{At: later, SubjectID: ids[0], Actor: "bank", Role: tally.Verifier, Action: "verify", Purpose: "loan", Op: "verify", Scope: "assigned"},
		{At: old.Add(time.Hour), SubjectID: ids[1], Actor: "admin", Role: tally.Admin, Action: "history", Op: "subjects.read", Scope: "any"},
		{At: old.Add(2 * time.Hour), SubjectID: ids[0], Actor: "admin", Role: tally.Admin, Action: "explain", Op: "subjects.read", Scope: "any"},
		// The newest entry, old too: it stays in the live log.
		{At: old, SubjectID: ids[1], Actor: "admin", Role: tally.Admin, Action: "trend", Op: "subjects.read", Scope: "any"},
	}
	mustUpdate(t, s, func(tx ledger.Tx) error { return tx.InsertAccesses(t.Context(), entries) })
	before, at := old.AddDate(5, 0, 0), later.Add(time.Hour)

	var counted int64
	var moved []int
	mustUpdate(t, s, func(tx ledger.Tx) error {
		var err error
		if counted, err = tx.CountArchivable(t.Context(), before); err != nil {
			return err
		}
		moved = nil
		for after := int64(0); ; {
			n, last, err := tx.ArchiveAccess(t.Context(), before, at, after, 2)
			if err != nil {
				return err
			}
			if n == 0 {
				if last != after {
					t.Errorf("ArchiveAccess with nothing left: last %d, want %d", last, after)
				}
				return nil
			}
			moved, after = append(moved, n), last
		}
	})
	if counted != 3 || len(moved) != 2 || moved[0]+moved[1] != 3 {
		t.Errorf("CountArchivable %d, moved %v in chunks of 2: want 3 entries in 2 chunks (the newest stays)", counted, moved)
	}

	got := accessLogOf(t, s, ids[0])
	if len(got) != 3 || got[0].ID != entries[0].ID || got[1].ID != entries[1].ID || got[2].ID != entries[3].ID {
		t.Fatalf("AccessLog after archiving = %+v, want entries %d, %d, %d by ID", got, entries[0].ID, entries[1].ID, entries[3].ID)
	}
	if a, want := got[0], entries[0]; !a.Archived || !a.At.Equal(want.At) || a.Actor != want.Actor || a.Role != want.Role ||
		a.TokenID != want.TokenID || a.Action != want.Action || a.Purpose != want.Purpose || a.Detail != want.Detail ||
		a.Scheme != want.Scheme || a.Op != want.Op || a.Scope != want.Scope || a.SubjectID != want.SubjectID {
		t.Errorf("archived entry = %+v, want %+v, archived", a, *want)
	}
	if got[1].Archived || !got[2].Archived {
		t.Errorf("archived flags %v, %v, %v: want true, false, true", got[0].Archived, got[1].Archived, got[2].Archived)
	}
	mustView(t, s, func(tx ledger.Tx) error {
		page, err := tx.AccessLog(t.Context(), ids[0], entries[0].ID, 1)
		if err != nil {
			return err
		}
		if len(page) != 1 || page[0].ID != entries[1].ID {
			t.Errorf("AccessLog page after the archived entry = %+v, want entry %d", page, entries[1].ID)
		}
		return nil
	})
	if other := accessLogOf(t, s, ids[1]); len(other) != 2 || !other[0].Archived || other[1].Archived {
		t.Errorf("other subject's log = %+v, want its archived entry then the newest, live", other)
	}

	// Again: nothing left to move.
	mustUpdate(t, s, func(tx ledger.Tx) error {
		n, err := tx.CountArchivable(t.Context(), before)
		if err != nil || n != 0 {
			t.Errorf("CountArchivable again = %d, %v; want 0", n, err)
		}
		moved, _, err := tx.ArchiveAccess(t.Context(), before, at, 0, 100)
		if err != nil || moved != 0 {
			t.Errorf("ArchiveAccess again moved %d, %v; want 0", moved, err)
		}
		return err
	})

	// Everything, the newest included, is now older than before: the
	// newest still stays, and a new entry takes a new ID.
	mustUpdate(t, s, func(tx ledger.Tx) error {
		_, _, err := tx.ArchiveAccess(t.Context(), at.AddDate(1, 0, 0), at, 0, 100)
		return err
	})
	if live := accessLogOf(t, s, ids[1]); live[len(live)-1].Archived {
		t.Errorf("the newest entry was archived: %+v", live)
	}
	fresh := &tally.Access{At: at, SubjectID: ids[0], Actor: "admin", Role: tally.Admin, Action: "score"}
	mustUpdate(t, s, func(tx ledger.Tx) error { return tx.InsertAccess(t.Context(), fresh) })
	if fresh.ID <= entries[len(entries)-1].ID {
		t.Errorf("a new entry after archiving got ID %d, want more than %d", fresh.ID, entries[len(entries)-1].ID)
	}
}

// accessLogOf reads a subject's whole access log.
func accessLogOf(t *testing.T, s ledger.Store, subjectID int64) []tally.Access {
	t.Helper()
	var out []tally.Access
	mustView(t, s, func(tx ledger.Tx) error {
		var err error
		out, err = tx.AccessLog(t.Context(), subjectID, 0, 100)
		return err
	})
	return out
}
