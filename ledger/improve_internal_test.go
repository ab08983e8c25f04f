package ledger

import (
	"testing"
	"time"

	"github.com/tallycredit/tally"
)

// mayOnlyImprove is checked through Decide in correction_test.go; the
// expiry cases cannot arise there today (a correction keeps the rule and
// the time, and so the expiry), so they are checked here directly.
func TestMayOnlyImprove(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 11, d, 0, 0, 0, 0, time.UTC) }
	orig := tally.Record{ID: 7, Scheme: "s", SubjectID: 1, Rule: "r", Awarded: -20, ExpiresAt: day(20)}
	gain := tally.Record{ID: 8, Scheme: "s", SubjectID: 1, Rule: "r", Awarded: 5, ExpiresAt: day(20)}
	tests := []struct {
		name  string
		orig  tally.Record
		edit  func(r *tally.Record)
		field string // "" when allowed
	}{
		{"same", orig, func(*tally.Record) {}, ""},
		{"smaller deduction", orig, func(r *tally.Record) { r.Awarded = -10 }, ""},
		{"deduction to a gain that lasts longer", orig, func(r *tally.Record) { r.Awarded, r.ExpiresAt = 3, day(30) }, ""},
		{"larger deduction", orig, func(r *tally.Record) { r.Awarded = -30 }, "facts"},
		{"deduction lasting longer", orig, func(r *tally.Record) { r.ExpiresAt = day(21) }, "expires_at"},
		{"deduction lasting forever", orig, func(r *tally.Record) { r.ExpiresAt = time.Time{} }, "expires_at"},
		{"deduction ending sooner", orig, func(r *tally.Record) { r.ExpiresAt = day(19) }, ""},
		{"another rule", orig, func(r *tally.Record) { r.Rule = "q" }, "rule"},
		{"another subject", orig, func(r *tally.Record) { r.SubjectID = 2 }, "subject"},
		{"smaller gain", gain, func(r *tally.Record) { r.Awarded = 4 }, "facts"},
		{"gain ending sooner", gain, func(r *tally.Record) { r.ExpiresAt = day(19) }, "expires_at"},
		{"larger gain lasting longer", gain, func(r *tally.Record) { r.Awarded, r.ExpiresAt = 6, time.Time{} }, ""},
	}
	for _, tc := range tests {
		fixed := tc.orig
		tc.edit(&fixed)
		err := mayOnlyImprove(&tc.orig, &fixed)
		var field string
		if e, ok := err.(*tally.Error); ok {
			field = e.Field
		} else if err != nil {
			t.Fatalf("%s: got %v, want a *tally.Error", tc.name, err)
		}
		if field != tc.field {
			t.Errorf("%s: got error %v (field %q), want field %q", tc.name, err, field, tc.field)
		}
	}
}
