package storetest

import (
	"bytes"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

func newToken(n int) *tally.Token {
	return &tally.Token{
		Name: "recorder-" + string(rune('a'+n)), Hash: bytes.Repeat([]byte{byte(n + 1)}, 32), Role: tally.Recorder,
		Schemes: []string{scheme}, Rules: []string{"volunteer", "donation"}, Created: t0, CreatedBy: "admin",
	}
}

// testTokens checks that tokens round-trip with their scopes, that a hash
// is unique, that listing pages by ID, and that a revocation keeps its
// first instant.
func testTokens(t *testing.T, s ledger.Store) {
	a, b := newToken(0), newToken(1)
	b.Role, b.Schemes, b.Rules, b.Categories = tally.SubjectR, nil, nil, []string{"utilities"}
	b.Lookup, b.Expires = lookupOf(7), t0.Add(48*time.Hour)
	mustUpdate(t, s, func(tx ledger.Tx) error {
		if err := tx.InsertToken(t.Context(), a); err != nil {
			return err
		}
		return tx.InsertToken(t.Context(), b)
	})
	if a.ID <= 0 || b.ID <= a.ID {
		t.Fatalf("token IDs %d, %d: want positive and increasing", a.ID, b.ID)
	}
	err := s.Update(t.Context(), func(tx ledger.Tx) error { return tx.InsertToken(t.Context(), newToken(0)) })
	wantCode(t, "InsertToken with a stored hash", err, tally.EConflict)

	mustView(t, s, func(tx ledger.Tx) error {
		got, err := tx.TokenByHash(t.Context(), b.Hash)
		if err != nil {
			return err
		}
		if got.ID != b.ID || got.Role != tally.SubjectR || !bytes.Equal(got.Lookup, b.Lookup) || !got.Expires.Equal(b.Expires) ||
			!slices.Equal(got.Categories, []string{"utilities"}) || got.Schemes != nil || !got.Revoked.IsZero() || !got.Created.Equal(t0) {
			t.Errorf("TokenByHash = %+v, want %+v", got, b)
		}
		got, err = tx.TokenByHash(t.Context(), a.Hash)
		if err != nil {
			return err
		}
		if !slices.Equal(got.Rules, a.Rules) || !slices.Equal(got.Schemes, a.Schemes) || got.Lookup != nil || !got.Expires.IsZero() {
			t.Errorf("TokenByHash = %+v, want %+v", got, a)
		}
		_, err = tx.TokenByHash(t.Context(), []byte("nothing"))
		wantCode(t, "TokenByHash of an unknown hash", err, tally.ENotFound)
		page, err := tx.Tokens(t.Context(), a.ID, 10)
		if err != nil {
			return err
		}
		if len(page) != 1 || page[0].ID != b.ID {
			t.Errorf("Tokens after %d = %v, want only %d", a.ID, page, b.ID)
		}
		return nil
	})

	mustUpdate(t, s, func(tx ledger.Tx) error { return tx.RevokeToken(t.Context(), a.ID, t0.Add(time.Hour), "admin") })
	mustUpdate(t, s, func(tx ledger.Tx) error { return tx.RevokeToken(t.Context(), a.ID, t0.Add(2*time.Hour), "admin") })
	err = s.Update(t.Context(), func(tx ledger.Tx) error { return tx.RevokeToken(t.Context(), 999, t0, "admin") })
	wantCode(t, "RevokeToken of an unknown token", err, tally.ENotFound)
	mustView(t, s, func(tx ledger.Tx) error {
		got, err := tx.TokenByHash(t.Context(), a.Hash)
		if err != nil {
			return err
		}
		if !got.Revoked.Equal(t0.Add(time.Hour)) {
			t.Errorf("Revoked = %v, want the first revocation %v", got.Revoked, t0.Add(time.Hour))
		}
		return nil
	})
}

// testAccessLog checks that entries round-trip, page by ID, and stay with
// their subject.
func testAccessLog(t *testing.T, s ledger.Store) {
	ids := addSubjects(t, s, 2)
	entries := []*tally.Access{
		{At: t0, SubjectID: ids[0], Scheme: scheme, Actor: "recorder-7", Role: tally.Recorder, TokenID: 3, Action: "record", Detail: "record #1"},
		{At: t0.Add(time.Minute), SubjectID: ids[1], Scheme: scheme, Actor: "bank", Role: tally.Verifier, Action: "verify", Purpose: "home loan", Detail: "answered yes"},
		{At: t0.Add(time.Hour), SubjectID: ids[0], Actor: "张三", Role: tally.SubjectR, Action: "score"},
	}
	mustUpdate(t, s, func(tx ledger.Tx) error {
		for _, e := range entries {
			if err := tx.InsertAccess(t.Context(), e); err != nil {
				return err
			}
		}
		return nil
	})
	err := s.Update(t.Context(), func(tx ledger.Tx) error {
		return tx.InsertAccess(t.Context(), &tally.Access{At: t0, SubjectID: 999, Actor: "x", Role: tally.Admin, Action: "score"})
	})
	wantCode(t, "InsertAccess for an unknown subject", err, tally.ENotFound)
	mustView(t, s, func(tx ledger.Tx) error {
		got, err := tx.AccessLog(t.Context(), ids[0], 0, 10)
		if err != nil {
			return err
		}
		if len(got) != 2 || got[0].ID != entries[0].ID || got[1].ID != entries[2].ID {
			t.Fatalf("AccessLog = %+v, want entries %d and %d", got, entries[0].ID, entries[2].ID)
		}
		e := got[0]
		if !e.At.Equal(t0) || e.Actor != "recorder-7" || e.Role != tally.Recorder || e.TokenID != 3 || e.Action != "record" || e.Detail != "record #1" || e.Scheme != scheme {
			t.Errorf("entry = %+v, want %+v", e, entries[0])
		}
		if got[1].Actor != "张三" || got[1].TokenID != 0 {
			t.Errorf("entry = %+v, want %+v", got[1], entries[2])
		}
		page, err := tx.AccessLog(t.Context(), ids[0], entries[0].ID, 1)
		if err != nil {
			return err
		}
		if len(page) != 1 || page[0].ID != entries[2].ID {
			t.Errorf("AccessLog page after %d = %+v, want entry %d", entries[0].ID, page, entries[2].ID)
		}
		return nil
	})
}

// testInsertAccesses checks the batch insert of access entries: IDs set in
// order, entries readable, an unknown subject refused.
func testInsertAccesses(t *testing.T, s ledger.Store) {
	ids := addSubjects(t, s, 2)
	batch := []*tally.Access{
		{At: t0, SubjectID: ids[0], Scheme: scheme, Actor: "importer", Role: tally.Agency, TokenID: 9, Action: "record", Detail: "import: record #1"},
		{At: t0, SubjectID: ids[1], Scheme: scheme, Actor: "importer", Role: tally.Agency, TokenID: 9, Action: "record", Purpose: "p", Detail: "import: record #2"},
	}
	mustUpdate(t, s, func(tx ledger.Tx) error { return tx.InsertAccesses(t.Context(), batch) })
	if batch[0].ID <= 0 || batch[1].ID <= batch[0].ID {
		t.Errorf("InsertAccesses IDs %d, %d: want positive and increasing", batch[0].ID, batch[1].ID)
	}
	mustView(t, s, func(tx ledger.Tx) error {
		got, err := tx.AccessLog(t.Context(), ids[1], 0, 10)
		if err != nil {
			return err
		}
		if len(got) != 1 || got[0].ID != batch[1].ID || got[0].Purpose != "p" || got[0].TokenID != 9 || got[0].Detail != "import: record #2" {
			t.Errorf("AccessLog after InsertAccesses = %+v, want %+v", got, batch[1])
		}
		return nil
	})
	err := s.Update(t.Context(), func(tx ledger.Tx) error {
		return tx.InsertAccesses(t.Context(), []*tally.Access{{At: t0, SubjectID: 999, Actor: "x", Role: tally.Admin, Action: "record"}})
	})
	wantCode(t, "InsertAccesses for an unknown subject", err, tally.ENotFound)
	mustUpdate(t, s, func(tx ledger.Tx) error { return tx.InsertAccesses(t.Context(), nil) })

	// More entries than a store may write in one statement: IDs still
	// follow the slice, each entry is read back as written, and an unknown
	// subject far down the slice is still refused.
	many := make([]*tally.Access, 1001)
	for i := range many {
		many[i] = &tally.Access{At: t0.Add(time.Duration(i) * time.Second), SubjectID: ids[i%2], Scheme: scheme,
			Actor: "importer", Role: tally.Agency, Action: "record", Detail: fmt.Sprintf("import: record #%d", i)}
	}
	mustUpdate(t, s, func(tx ledger.Tx) error { return tx.InsertAccesses(t.Context(), many) })
	mustView(t, s, func(tx ledger.Tx) error {
		got, err := tx.AccessLog(t.Context(), ids[0], batch[0].ID, len(many))
		if err != nil {
			return err
		}
		if len(got) != (len(many)+1)/2 {
			t.Fatalf("AccessLog after %d entries: %d of the subject's, want %d", len(many), len(got), (len(many)+1)/2)
		}
		for k, e := range got {
			if want := many[2*k]; e.ID != want.ID || e.Detail != want.Detail || !e.At.Equal(want.At) {
				t.Fatalf("entry %d = %+v, want %+v", k, e, *want)
			}
		}
		return nil
	})
	many[len(many)-1] = &tally.Access{At: t0, SubjectID: 999, Actor: "x", Role: tally.Admin, Action: "record"}
	err = s.Update(t.Context(), func(tx ledger.Tx) error { return tx.InsertAccesses(t.Context(), many) })
	wantCode(t, "InsertAccesses with an unknown subject last", err, tally.ENotFound)
}
