package storetest

import (
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// testKioskCodes: a one-time code round-trips with its instants, a hash
// used twice or an unknown subject is refused, and a code is used once.
func testKioskCodes(t *testing.T, s ledger.Store) {
	ids := addSubjects(t, s, 1)
	c := &tally.KioskCode{SubjectID: ids[0], Hash: []byte("code hash"), IssuedAt: t0, IssuedBy: "clerk", Expires: t0.Add(15 * 60e9)}
	mustUpdate(t, s, func(tx ledger.Tx) error { return tx.InsertKioskCode(t.Context(), c) })
	if c.ID == 0 {
		t.Fatal("InsertKioskCode did not set the ID")
	}
	mustUpdate(t, s, func(tx ledger.Tx) error {
		ctx := t.Context()
		again := *c
		wantCode(t, "InsertKioskCode of a hash used before", tx.InsertKioskCode(ctx, &again), tally.EConflict)
		stray := tally.KioskCode{SubjectID: ids[0] + 100, Hash: []byte("other"), IssuedAt: t0, Expires: t0}
		wantCode(t, "InsertKioskCode of an unknown subject", tx.InsertKioskCode(ctx, &stray), tally.ENotFound)
		_, err := tx.KioskCodeByHash(ctx, []byte("nope"))
		wantCode(t, "KioskCodeByHash unknown", err, tally.ENotFound)
		wantCode(t, "UseKioskCode unknown", tx.UseKioskCode(ctx, c.ID+100, t0), tally.ENotFound)
		return nil
	})
	mustView(t, s, func(tx ledger.Tx) error {
		got, err := tx.KioskCodeByHash(t.Context(), c.Hash)
		if err != nil {
			return err
		}
		if got.ID != c.ID || got.SubjectID != c.SubjectID || got.IssuedBy != c.IssuedBy ||
			!got.IssuedAt.Equal(c.IssuedAt) || !got.Expires.Equal(c.Expires) || !got.UsedAt.IsZero() {
			t.Errorf("KioskCodeByHash = %+v, want %+v unused", got, c)
		}
		return nil
	})
	used := t0.Add(60e9)
	mustUpdate(t, s, func(tx ledger.Tx) error { return tx.UseKioskCode(t.Context(), c.ID, used) })
	mustUpdate(t, s, func(tx ledger.Tx) error {
		wantCode(t, "UseKioskCode twice", tx.UseKioskCode(t.Context(), c.ID, used.Add(1e9)), tally.EConflict)
		return nil
	})
	mustView(t, s, func(tx ledger.Tx) error {
		got, err := tx.KioskCodeByHash(t.Context(), c.Hash)
		if err != nil {
			return err
		}
		if !got.UsedAt.Equal(used) {
			t.Errorf("UsedAt = %v, want %v", got.UsedAt, used)
		}
		return nil
	})
}
