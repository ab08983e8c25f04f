package storetest

import (
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// testRecordsRecorded checks the filters of RecordsRecorded (scheme,
// recorder, the half-open window of RecordedAt), that reversals are
// included, the order by ID descending whatever the RecordedAt, and the
// limit.
func testRecordsRecorded(t *testing.T, s ledger.Store) {
	ids := addSubjects(t, s, 1)
	from, to := t0, t0.Add(24*time.Hour)
	us := time.Microsecond
	rec := func(scheme, ref, by string, recorded time.Time) *tally.Record {
		r := newRecord(scheme, ids[0], "volunteer", ref, t0.Add(-time.Hour), 1)
		r.RecordedBy, r.RecordedAt = by, recorded
		return r
	}
	var (
		beforeTo   = rec(scheme, "just before to", "clerk", to.Add(-us).In(lima))
		byWang     = rec(scheme, "by wang", "wang", from.Add(time.Hour))
		atFrom     = rec(scheme, "at from", "clerk", from.In(time.UTC))
		other      = rec(otherScheme, "other scheme", "clerk", from.Add(2*time.Hour))
		atTo       = rec(scheme, "at to", "clerk", to)
		beforeFrom = rec(scheme, "just before from", "clerk", from.Add(-us))
	)
	// Inserted so that ID order differs from RecordedAt order.
	insertRecords(t, s, beforeTo, byWang, atFrom, other, atTo, beforeFrom)
	reversal := newReversal(atFrom, "reversal")
	reversal.RecordedAt = from.Add(3 * time.Hour)
	insertRecords(t, s, reversal)

	// newest returns the IDs of rs, newest first.
	newest := func(rs ...*tally.Record) []int64 {
		out := idsOf(rs...)
		slices.Sort(out)
		slices.Reverse(out)
		return out
	}
	all := newest(beforeTo, byWang, atFrom, other, reversal)
	tests := []struct {
		name string
		f    ledger.RecordFilter
		want []int64
	}{
		{"everything", ledger.RecordFilter{From: from, To: to, Limit: 10}, all},
		{"in other zones", ledger.RecordFilter{From: from.In(lima), To: to.In(time.UTC), Limit: 10}, all},
		{"limit", ledger.RecordFilter{From: from, To: to, Limit: 2}, all[:2]},
		{"shifted by 1µs", ledger.RecordFilter{From: from.Add(us), To: to.Add(us), Limit: 10},
			newest(beforeTo, byWang, other, atTo, reversal)},
		{"scheme", ledger.RecordFilter{Scheme: scheme, From: from, To: to, Limit: 10},
			newest(beforeTo, byWang, atFrom, reversal)},
		{"recorder", ledger.RecordFilter{RecordedBy: "clerk", From: from, To: to, Limit: 10},
			newest(beforeTo, atFrom, other, reversal)},
		{"scheme and recorder", ledger.RecordFilter{Scheme: scheme, RecordedBy: "clerk", From: from, To: to, Limit: 10},
			newest(beforeTo, atFrom, reversal)},
		{"scheme and recorder, limit", ledger.RecordFilter{Scheme: scheme, RecordedBy: "clerk", From: from, To: to, Limit: 1},
			newest(reversal)},
		{"other scheme, other recorder", ledger.RecordFilter{Scheme: otherScheme, RecordedBy: "wang", From: from, To: to, Limit: 10}, nil},
		{"empty window", ledger.RecordFilter{From: from, To: from, Limit: 10}, nil},
		{"no limit", ledger.RecordFilter{From: from, To: to}, nil},
	}
	mustView(t, s, func(tx ledger.Tx) error {
		for _, tc := range tests {
			got, err := tx.RecordsRecorded(t.Context(), tc.f)
			if err != nil {
				return fmt.Errorf("%s: %w", tc.name, err)
			}
			if g := recordIDs(got); got == nil || (!reflect.DeepEqual(g, tc.want) && (len(g) != 0 || len(tc.want) != 0)) {
				t.Errorf("RecordsRecorded %s: got IDs %v, want %v", tc.name, g, tc.want)
			}
		}
		got, err := tx.RecordsRecorded(t.Context(), ledger.RecordFilter{RecordedBy: "wang", From: from, To: to, Limit: 10})
		if err != nil {
			return err
		}
		if len(got) == 1 {
			checkRecord(t, &got[0], byWang)
		}
		return nil
	})
}

// testSearchEnrolled checks what SearchEnrolled matches (a name or unit
// containing the text, a masked identifier ending with it, in any case),
// that wildcards in the text match only themselves, that other schemes'
// subjects are left out, the order by subject ID, the limit, and that
// each comes with its enrolment and latest consent.
func testSearchEnrolled(t *testing.T, s ledger.Store) {
	fixtures := []struct{ name, masked, unit string }{
		{"Wang Fang", "3604**********0071", "东山村"},
		{"Li WANG", "3604**********123X", "West Market"},
		{"张三", "3604**********5555", "East Gate"},
		{"100% Pure Ltd", "9111********341L", "east gate"},
		{"snake_case", "3604**********7777", "北门"},
		{"Wang Elsewhere", "3604**********0071", "东山村"}, // enrolled in the other scheme only
	}
	subjects := make([]*tally.Subject, len(fixtures))
	mustUpdate(t, s, func(tx ledger.Tx) error {
		for i, f := range fixtures {
			sub := newSubject(i + 1)
			sub.Name, sub.Masked = f.name, f.masked
			if err := tx.InsertSubject(t.Context(), sub); err != nil {
				return err
			}
			subjects[i] = sub
			in := scheme
			if i == len(fixtures)-1 {
				in = otherScheme
			}
			if err := tx.InsertEnrolment(t.Context(), &tally.Enrolment{Scheme: in, SubjectID: sub.ID, Unit: f.unit, Enrolled: t0, By: "clerk"}); err != nil {
				return err
			}
		}
		for _, c := range []*tally.Consent{
			{Scheme: scheme, SubjectID: subjects[0].ID, Given: true, At: t0, How: "form", By: "clerk"},
			{Scheme: scheme, SubjectID: subjects[0].ID, Given: false, At: t0.Add(time.Hour), How: "letter", By: "clerk"},
		} {
			if err := tx.InsertConsent(t.Context(), c); err != nil {
				return err
			}
		}
		return nil
	})
	idsOfSubjects := func(ns ...int) []int64 {
		var out []int64
		for _, n := range ns {
			out = append(out, subjects[n].ID)
		}
		return out
	}
	tests := []struct {
		text  string
		limit int
		want  []int64
	}{
		{"wang", 10, idsOfSubjects(0, 1)},
		{"WANG", 10, idsOfSubjects(0, 1)},
		{"wang", 1, idsOfSubjects(0)},
		{"g f", 10, idsOfSubjects(0)},
		{"东山", 10, idsOfSubjects(0)},
		{"EAST gate", 10, idsOfSubjects(2, 3)},
		{"123x", 10, idsOfSubjects(1)},
		{"0071", 10, idsOfSubjects(0)},
		{"3604", 10, nil}, // the start of a masked identifier is not its end
		{"%", 10, idsOfSubjects(3)},
		{"0% p", 10, idsOfSubjects(3)},
		{"_", 10, idsOfSubjects(4)},
		{`\`, 10, nil},
		{"nobody", 10, nil},
		{"wang", 0, nil},
	}
	mustView(t, s, func(tx ledger.Tx) error {
		for _, tc := range tests {
			got, err := tx.SearchEnrolled(t.Context(), scheme, tc.text, tc.limit)
			if err != nil {
				return fmt.Errorf("SearchEnrolled(%q): %w", tc.text, err)
			}
			var ids []int64
			for _, e := range got {
				ids = append(ids, e.Subject.ID)
				if e.Enrolment.SubjectID != e.Subject.ID || e.Enrolment.Scheme != scheme {
					t.Errorf("SearchEnrolled(%q): subject %d with enrolment %+v", tc.text, e.Subject.ID, e.Enrolment)
				}
			}
			if got == nil || !reflect.DeepEqual(ids, tc.want) {
				t.Errorf("SearchEnrolled(%q, %d) = subjects %v, want %v", tc.text, tc.limit, ids, tc.want)
			}
		}
		got, err := tx.SearchEnrolled(t.Context(), scheme, "fang", 10)
		if err != nil {
			return err
		}
		if len(got) != 1 {
			t.Fatalf("SearchEnrolled(fang) = %+v, want one", got)
		}
		want, err := tx.Enrolment(t.Context(), scheme, subjects[0].ID)
		if err != nil {
			return err
		}
		sub := got[0].Subject
		if sub.Name != "Wang Fang" || sub.Masked != subjects[0].Masked || string(sub.Lookup) != string(subjects[0].Lookup) ||
			string(sub.Sealed) != string(subjects[0].Sealed) || sub.Kind != tally.Person ||
			!sub.Created.Equal(subjects[0].Created) || !sub.AdultOn.Equal(subjects[0].AdultOn) {
			t.Errorf("SearchEnrolled subject = %+v, want %+v", sub, subjects[0])
		}
		if e := got[0].Enrolment; !sameEnrolment(e, *want) || e.Unit != "东山村" || e.Consent.Given || e.Consent.How != "letter" {
			t.Errorf("SearchEnrolled enrolment = %+v, want %+v with the latest consent", e, *want)
		}
		return nil
	})
}

// sameEnrolment reports whether a and b are the same enrolment with the
// same consent, times compared as instants.
func sameEnrolment(a, b tally.Enrolment) bool {
	return a.Scheme == b.Scheme && a.SubjectID == b.SubjectID && a.Unit == b.Unit && a.By == b.By &&
		a.Enrolled.Equal(b.Enrolled) && a.Consent.Given == b.Consent.Given && a.Consent.At.Equal(b.Consent.At) &&
		a.Consent.How == b.Consent.How && a.Consent.By == b.Consent.By && a.Consent.At.IsZero() == b.Consent.At.IsZero()
}

// testEnrolmentsOf checks that EnrolmentsOf returns every enrolment of one
// subject in byte order of scheme, each with the latest consent as
// Enrolment reads it (at one instant, the last inserted).
func testEnrolmentsOf(t *testing.T, s ledger.Store) {
	ids := addSubjects(t, s, 2)
	schemes := []string{scheme, otherScheme, "Zeta"}
	for _, sc := range schemes {
		enrol(t, s, sc, ids[0])
	}
	enrol(t, s, scheme, ids[1])
	mustUpdate(t, s, func(tx ledger.Tx) error {
		for _, c := range []*tally.Consent{
			{Scheme: scheme, SubjectID: ids[0], Given: true, At: t0, How: "first", By: "clerk"},
			{Scheme: scheme, SubjectID: ids[0], Given: false, At: t0.Add(time.Hour), How: "second", By: "clerk"},
			{Scheme: scheme, SubjectID: ids[0], Given: true, At: t0.Add(time.Hour).In(lima), How: "third", By: "clerk"},
			{Scheme: scheme, SubjectID: ids[0], Given: false, At: t0.Add(-time.Hour), How: "backdated", By: "clerk"},
			{Scheme: "Zeta", SubjectID: ids[0], Given: false, At: t0, How: "zeta", By: "clerk"},
			{Scheme: scheme, SubjectID: ids[1], Given: false, At: t0.Add(5 * time.Hour), How: "other subject", By: "clerk"},
		} {
			if err := tx.InsertConsent(t.Context(), c); err != nil {
				return err
			}
		}
		return nil
	})
	want := slices.Clone(schemes)
	slices.Sort(want) // by bytes: "Zeta" first
	mustView(t, s, func(tx ledger.Tx) error {
		got, err := tx.EnrolmentsOf(t.Context(), ids[0])
		if err != nil {
			return err
		}
		var gotSchemes []string
		for _, e := range got {
			gotSchemes = append(gotSchemes, e.Scheme)
			one, err := tx.Enrolment(t.Context(), e.Scheme, ids[0])
			if err != nil {
				return err
			}
			if !sameEnrolment(e, *one) {
				t.Errorf("EnrolmentsOf: %+v, Enrolment: %+v", e, *one)
			}
		}
		if !reflect.DeepEqual(gotSchemes, want) {
			t.Errorf("EnrolmentsOf schemes = %q, want %q", gotSchemes, want)
		}
		for _, e := range got {
			if e.Scheme == scheme && (e.Consent.How != "third" || !e.Consent.Given || !e.Consent.At.Equal(t0.Add(time.Hour))) {
				t.Errorf("EnrolmentsOf %s consent = %+v, want the third", scheme, e.Consent)
			}
			if e.Scheme == otherScheme && !e.Consent.At.IsZero() {
				t.Errorf("EnrolmentsOf %s consent = %+v, want none", otherScheme, e.Consent)
			}
		}
		none, err := tx.EnrolmentsOf(t.Context(), ids[1]+100)
		if err != nil || none == nil || len(none) != 0 {
			t.Errorf("EnrolmentsOf an unknown subject = %v, %v; want an empty slice", none, err)
		}
		return nil
	})
}

// testRuleCounts checks that RuleCounts counts, per rule, the scheme's
// original, unreversed records that happened in [from, to), leaving out
// those held for a second person until one approves them.
func testRuleCounts(t *testing.T, s ledger.Store) {
	ids := addSubjects(t, s, 2)
	from, to := t0, t0.Add(30*24*time.Hour)
	us := time.Microsecond
	reversed := newRecord(scheme, ids[0], "donation", "reversed", from.Add(time.Hour), 5)
	onlyReversed := newRecord(scheme, ids[0], "litter", "litter, reversed", from.Add(time.Hour), -5)
	held := newRecord(scheme, ids[1], "fraud", "held", from.Add(time.Hour), -60)
	approved := newRecord(scheme, ids[1], "volunteer", "held, approved", from.Add(2*time.Hour), -60)
	insertRecords(t, s, held, approved)
	mustUpdate(t, s, func(tx ledger.Tx) error {
		for _, r := range []*tally.Record{held, approved} {
			if err := tx.InsertHold(t.Context(), &tally.Hold{RecordID: r.ID, Scheme: scheme, SubjectID: r.SubjectID, Reason: "test", At: t0}); err != nil {
				return err
			}
		}
		return tx.InsertHoldDecision(t.Context(), &tally.HoldDecision{RecordID: approved.ID, Approved: true, Reasons: "seen", At: t0, By: "second"})
	})
	insertRecords(t, s,
		newRecord(scheme, ids[0], "volunteer", "at from", from.In(lima), 1),
		newRecord(scheme, ids[1], "volunteer", "other subject", from.Add(time.Hour), 1),
		newRecord(scheme, ids[0], "donation", "donation", to.Add(-us), 1),
		newRecord(scheme, ids[0], "volunteer", "at to", to, 1),
		newRecord(scheme, ids[0], "volunteer", "before from", from.Add(-us), 1),
		newRecord(otherScheme, ids[0], "volunteer", "other scheme", from.Add(time.Hour), 1),
		reversed, onlyReversed,
	)
	insertRecords(t, s, newReversal(reversed, "reversal 1"), newReversal(onlyReversed, "reversal 2"))

	tests := []struct {
		name     string
		scheme   string
		from, to time.Time
		want     map[string]int64
	}{
		{"window", scheme, from, to, map[string]int64{"volunteer": 3, "donation": 1}},
		{"shifted by 1µs", scheme, from.Add(us), to.Add(us).In(lima), map[string]int64{"volunteer": 3, "donation": 1}},
		{"other scheme", otherScheme, from, to, map[string]int64{"volunteer": 1}},
		{"empty window", scheme, from, from, map[string]int64{}},
		{"unknown scheme", "nowhere", from, to, map[string]int64{}},
	}
	mustView(t, s, func(tx ledger.Tx) error {
		for _, tc := range tests {
			got, err := tx.RuleCounts(t.Context(), tc.scheme, tc.from, tc.to)
			if err != nil {
				return fmt.Errorf("%s: %w", tc.name, err)
			}
			if got == nil || !reflect.DeepEqual(got, tc.want) {
				t.Errorf("RuleCounts %s = %v, want %v", tc.name, got, tc.want)
			}
		}
		return nil
	})
}
