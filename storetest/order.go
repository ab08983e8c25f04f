package storetest

import (
	"reflect"
	"slices"
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// testSchemesByteOrder checks that Schemes sorts as Go sorts strings, by
// bytes, whatever collation the database would use for text.
func testSchemesByteOrder(t *testing.T, s ledger.Store) {
	schemes := []string{"ab", "a-c", "Zeta", "a1", "alpha", "a-b", "éclair", "东山", "Alpha"}
	mustUpdate(t, s, func(tx ledger.Tx) error {
		for _, id := range schemes {
			if err := tx.InsertRulebook(t.Context(), &tally.RulebookVersion{Scheme: id, Version: 1, Source: []byte("x")}); err != nil {
				return err
			}
		}
		return nil
	})
	want := slices.Clone(schemes)
	slices.Sort(want)
	mustView(t, s, func(tx ledger.Tx) error {
		got, err := tx.Schemes(t.Context())
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("Schemes: got %q, %v; want %q", got, err, want)
		}
		return nil
	})
}
