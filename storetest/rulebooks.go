package storetest

import (
	"bytes"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// rulebookSource is a published rulebook as bytes that must come back
// exactly: Chinese text, CRLF line ends, tabs and trailing blanks.
var rulebookSource = []byte("scheme: rongcheng\r\nname: 荣成市信用积分  \r\nrules:\r\n\t- code: volunteer # 志愿服务4小时 = 1分\r\n  points: 1\r\n")

// publishers sort in another order than the versions they publish.
var publishers = []string{"", "信用办 zhang", "信用办 li", "信用办 wang"}

// newRulebook returns version v (1 to 3) of scheme, published v days
// after t0.
func newRulebook(scheme string, v int) *tally.RulebookVersion {
	return &tally.RulebookVersion{
		Scheme:      scheme,
		Version:     v,
		Effective:   time.Date(2024, time.Month(v), 1, 0, 0, 0, 0, beijing),
		PublishedAt: t0.Add(time.Duration(v) * 24 * time.Hour).In(lima),
		PublishedBy: publishers[v],
		Digest:      fmt.Sprintf("sha256:%d", v),
		Source:      append(append([]byte{}, rulebookSource...), fmt.Sprintf("# version %d\n", v)...),
	}
}

// testRulebooks checks the round trip of rulebook versions, oldest first,
// and that publishing an existing version is EConflict.
func testRulebooks(t *testing.T, s ledger.Store) {
	var want []*tally.RulebookVersion
	for _, v := range []int{1, 3, 2} {
		want = append(want, newRulebook(scheme, v))
	}
	mustUpdate(t, s, func(tx ledger.Tx) error {
		for _, v := range want {
			if err := tx.InsertRulebook(t.Context(), v); err != nil {
				return err
			}
		}
		return tx.InsertRulebook(t.Context(), newRulebook(otherScheme, 1))
	})
	want[1], want[2] = want[2], want[1] // oldest first

	dup := newRulebook(scheme, 2)
	dup.Source = []byte("changed")
	err := s.Update(t.Context(), func(tx ledger.Tx) error { return tx.InsertRulebook(t.Context(), dup) })
	wantCode(t, "InsertRulebook of an existing version", err, tally.EConflict)

	mustView(t, s, func(tx ledger.Tx) error {
		got, err := tx.Rulebooks(t.Context(), scheme)
		if err != nil {
			return err
		}
		if len(got) != len(want) {
			t.Fatalf("Rulebooks: got %d versions, want %d", len(got), len(want))
		}
		for i, w := range want {
			g := got[i]
			if g.Scheme != w.Scheme || g.Version != w.Version || g.PublishedBy != w.PublishedBy || g.Digest != w.Digest {
				t.Errorf("Rulebooks[%d]: got %s v%d by %q digest %q, want %s v%d by %q digest %q",
					i, g.Scheme, g.Version, g.PublishedBy, g.Digest, w.Scheme, w.Version, w.PublishedBy, w.Digest)
			}
			if !g.Effective.Equal(w.Effective) || !g.PublishedAt.Equal(w.PublishedAt) {
				t.Errorf("Rulebooks[%d]: got effective %v published %v, want %v, %v", i, g.Effective, g.PublishedAt, w.Effective, w.PublishedAt)
			}
			if !bytes.Equal(g.Source, w.Source) {
				t.Errorf("Rulebooks[%d]: got source %q, want %q", i, g.Source, w.Source)
			}
		}

		none, err := tx.Rulebooks(t.Context(), "unknown")
		if err != nil || len(none) != 0 {
			t.Errorf("Rulebooks(unknown): got %d versions, %v; want 0, nil", len(none), err)
		}
		digests, err := tx.RulebookDigests(t.Context(), scheme)
		if err != nil {
			return err
		}
		if len(digests) != len(want) {
			t.Fatalf("RulebookDigests: got %q, want %d digests", digests, len(want))
		}
		for i, w := range want {
			if digests[i] != w.Digest {
				t.Errorf("RulebookDigests[%d] = %q, want %q (oldest first)", i, digests[i], w.Digest)
			}
		}
		if none, err := tx.RulebookDigests(t.Context(), "unknown"); err != nil || len(none) != 0 {
			t.Errorf("RulebookDigests(unknown): got %q, %v; want none, nil", none, err)
		}
		return nil
	})
}

// testSchemes checks that Schemes lists each scheme with a rulebook once,
// sorted.
func testSchemes(t *testing.T, s ledger.Store) {
	mustView(t, s, func(tx ledger.Tx) error {
		got, err := tx.Schemes(t.Context())
		if err != nil || len(got) != 0 {
			t.Errorf("Schemes of an empty store: got %q, %v; want none", got, err)
		}
		return nil
	})
	mustUpdate(t, s, func(tx ledger.Tx) error {
		for _, v := range []*tally.RulebookVersion{
			newRulebook("zhucheng", 1), newRulebook("anqiu", 1), newRulebook("market", 1), newRulebook("anqiu", 2),
		} {
			if err := tx.InsertRulebook(t.Context(), v); err != nil {
				return err
			}
		}
		return nil
	})
	mustView(t, s, func(tx ledger.Tx) error {
		got, err := tx.Schemes(t.Context())
		want := []string{"anqiu", "market", "zhucheng"}
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("Schemes: got %q, %v; want %q", got, err, want)
		}
		return nil
	})
}
