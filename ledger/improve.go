package ledger

import (
	"time"

	"github.com/tallycredit/tally"
)

// notHarsher explains why a decision may not put a harsher entry in the
// place of the one objected to.
const notHarsher = "a decision on an objection may only keep or improve the subject's position; a harsher entry is a new record with its own notice and objection window"

// mayOnlyImprove refuses, with EInvalid naming the field, a corrected
// record that leaves the subject worse off than the original: another
// subject, scheme or rule, fewer points (a larger deduction or a smaller
// gain), a deduction that lasts longer, or a gain that ends sooner.
func mayOnlyImprove(orig, fixed *tally.Record) error {
	switch {
	case fixed.SubjectID != orig.SubjectID || fixed.Scheme != orig.Scheme:
		return tally.FieldErrorf("subject", "the corrected record is about another subject or scheme than #%d: %s", orig.ID, notHarsher)
	case fixed.Rule != orig.Rule:
		return tally.FieldErrorf("rule", "the corrected record has rule %s, #%d rule %s: %s", fixed.Rule, orig.ID, orig.Rule, notHarsher)
	case fixed.Awarded < orig.Awarded:
		return tally.FieldErrorf("facts", "the corrected record gives %+d points, #%d gave %+d: %s", fixed.Awarded, orig.ID, orig.Awarded, notHarsher)
	case fixed.Awarded < 0 && endsLater(fixed.ExpiresAt, orig.ExpiresAt):
		return tally.FieldErrorf("expires_at", "the corrected deduction would count until %s, #%d until %s: %s", until(fixed.ExpiresAt), orig.ID, until(orig.ExpiresAt), notHarsher)
	case fixed.Awarded > 0 && orig.Awarded > 0 && endsLater(orig.ExpiresAt, fixed.ExpiresAt):
		return tally.FieldErrorf("expires_at", "the corrected gain would count until %s, #%d until %s: %s", until(fixed.ExpiresAt), orig.ID, until(orig.ExpiresAt), notHarsher)
	}
	return nil
}

// endsLater reports whether expiry a is later than b, zero meaning never.
func endsLater(a, b time.Time) bool {
	switch {
	case b.IsZero():
		return false
	case a.IsZero():
		return true
	}
	return a.After(b)
}

// until names an expiry in words, zero meaning never.
func until(t time.Time) string {
	if t.IsZero() {
		return "forever"
	}
	return day(t)
}
