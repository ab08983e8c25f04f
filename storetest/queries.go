package storetest

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// testSumAwarded checks that SumAwarded adds only the subject's original,
// unreversed records of the rule in [from, to). Each record awards a
// different power of two, so a wrong sum tells which records were counted.
func testSumAwarded(t *testing.T, s ledger.Store) {
	ids := addSubjects(t, s, 2)
	from := t0
	to := t0.Add(30 * 24 * time.Hour)
	const rule = "volunteer"
	us := time.Microsecond

	reversed := newRecord(scheme, ids[0], rule, "reversed", from.Add(time.Hour), 256)
	insertRecords(t, s,
		newRecord(scheme, ids[0], rule, "at from", from.In(lima), 1),
		newRecord(scheme, ids[0], rule, "after from", from.Add(us), 2),
		newRecord(scheme, ids[0], rule, "before to", to.Add(-us).In(time.UTC), 4),
		newRecord(scheme, ids[0], rule, "at to", to, 8),
		newRecord(scheme, ids[0], rule, "before from", from.Add(-us), 16),
		newRecord(scheme, ids[0], "donation", "other rule", from.Add(time.Hour), 32),
		newRecord(scheme, ids[1], rule, "other subject", from.Add(time.Hour), 64),
		newRecord(otherScheme, ids[0], rule, "other scheme", from.Add(time.Hour), 128),
		reversed,
	)
	// The reversal awards -256 in range: counting either record is wrong.
	insertRecords(t, s, newReversal(reversed, "reversal"))

	tests := []struct {
		name     string
		scheme   string
		subject  int64
		rule     string
		from, to time.Time
		want     int64
	}{
		{"range", scheme, ids[0], rule, from, to, 1 + 2 + 4},
		{"range in other zones", scheme, ids[0], rule, from.In(time.UTC), to.In(lima), 1 + 2 + 4},
		{"range shifted by 1µs", scheme, ids[0], rule, from.Add(us), to.Add(us), 2 + 4 + 8},
		{"empty range", scheme, ids[0], rule, from, from, 0},
		{"other rule", scheme, ids[0], "donation", from, to, 32},
		{"other subject", scheme, ids[1], rule, from, to, 64},
		{"other scheme", otherScheme, ids[0], rule, from, to, 128},
		{"unknown rule", scheme, ids[0], "unknown", from, to, 0},
	}
	mustView(t, s, func(tx ledger.Tx) error {
		for _, tc := range tests {
			got, err := tx.SumAwarded(t.Context(), tc.scheme, tc.subject, tc.rule, tc.from, tc.to)
			if err != nil {
				return fmt.Errorf("%s: %w", tc.name, err)
			}
			if got != tc.want {
				t.Errorf("SumAwarded %s: got %d, want %d", tc.name, got, tc.want)
			}
		}
		return nil
	})
}

// testInEffect checks the boundary instants of InEffect (happened at or
// before at; expires after at, or never), that reversed originals and
// reversals are left out, and the order by HappenedAt then ID.
func testInEffect(t *testing.T, s ledger.Store) {
	ids := addSubjects(t, s, 2)
	at := t0
	us := time.Microsecond
	rec := func(ref string, happened, expires time.Time) *tally.Record {
		r := newRecord(scheme, ids[0], "volunteer", ref, happened, 1)
		r.ExpiresAt = expires
		return r
	}
	var never time.Time
	var (
		atInstant      = rec("happened at at, expires just after", at.In(lima), at.Add(us))
		threeHours     = rec("3h before, expires in 1h", at.Add(-3*time.Hour), at.Add(time.Hour))
		oneHour        = rec("1h before, never expires", at.Add(-time.Hour).In(time.UTC), never)
		oneHourLater   = rec("1h before, inserted later", at.Add(-time.Hour), never)
		future         = rec("just after at", at.Add(us), never)
		expired        = rec("expires exactly at at", at.Add(-2*time.Hour), at.In(lima))
		reversed       = rec("reversed", at.Add(-4*time.Hour), never)
		otherSubject   = newRecord(scheme, ids[1], "volunteer", "other subject", at.Add(-time.Hour), 1)
		otherSchemeRec = newRecord(otherScheme, ids[0], "volunteer", "other scheme", at.Add(-time.Hour), 1)
	)
	// Inserted so that ID order differs from time order.
	insertRecords(t, s, atInstant, future, threeHours, oneHour, expired, reversed, otherSubject, otherSchemeRec, oneHourLater)
	reversal := newReversal(reversed, "reversal")
	reversal.HappenedAt = at.Add(-30 * time.Minute)
	insertRecords(t, s, reversal)

	tests := []struct {
		name string
		at   time.Time
		want []*tally.Record
	}{
		{"at", at, []*tally.Record{threeHours, oneHour, oneHourLater, atInstant}},
		{"at in UTC", at.In(time.UTC), []*tally.Record{threeHours, oneHour, oneHourLater, atInstant}},
		{"1µs before", at.Add(-us), []*tally.Record{threeHours, expired, oneHour, oneHourLater}},
		{"1µs after", at.Add(us), []*tally.Record{threeHours, oneHour, oneHourLater, future}},
		{"long before", at.Add(-24 * time.Hour), nil},
	}
	mustView(t, s, func(tx ledger.Tx) error {
		for _, tc := range tests {
			got, err := tx.InEffect(t.Context(), scheme, ids[0], tc.at)
			if err != nil {
				return fmt.Errorf("%s: %w", tc.name, err)
			}
			if g, w := recordIDs(got), idsOf(tc.want...); !reflect.DeepEqual(g, w) && (len(g) != 0 || len(w) != 0) {
				t.Errorf("InEffect %s: got IDs %v, want %v (%s)", tc.name, g, w, refsOf(tc.want))
			}
		}
		got, err := tx.InEffect(t.Context(), scheme, ids[0], at)
		if err != nil {
			return err
		}
		if len(got) == 4 {
			checkRecord(t, &got[3], atInstant)
		}
		// PointsInEffect is the same records, with a score's fields.
		for _, tc := range tests {
			full, err := tx.InEffect(t.Context(), scheme, ids[0], tc.at)
			if err != nil {
				return err
			}
			lean, err := tx.PointsInEffect(t.Context(), scheme, ids[0], tc.at)
			if err != nil {
				return fmt.Errorf("PointsInEffect %s: %w", tc.name, err)
			}
			if len(lean) != len(full) {
				t.Errorf("PointsInEffect %s: %d records, InEffect %d", tc.name, len(lean), len(full))
				continue
			}
			for i, f := range full {
				l := lean[i]
				if l.ID != f.ID || l.Scheme != f.Scheme || l.Version != f.Version || l.SubjectID != f.SubjectID || l.Rule != f.Rule ||
					l.Awarded != f.Awarded || !l.HappenedAt.Equal(f.HappenedAt) || !l.ExpiresAt.Equal(f.ExpiresAt) {
					t.Errorf("PointsInEffect %s [%d] = %+v, want the score fields of %+v", tc.name, i, l, f)
				}
			}
		}
		return nil
	})
}

// refsOf returns the Refs of rs, for messages.
func refsOf(rs []*tally.Record) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Ref
	}
	return out
}

// testHistory checks that History returns a subject's records in one
// scheme, reversals included, by ID, a page at a time.
func testHistory(t *testing.T, s ledger.Store) {
	ids := addSubjects(t, s, 2)
	r1 := newRecord(scheme, ids[0], "volunteer", "r1", t0.Add(5*time.Hour), 1)
	other := newRecord(scheme, ids[1], "volunteer", "other subject", t0, 1)
	r2 := newRecord(scheme, ids[0], "donation", "r2", t0, 30)
	elsewhere := newRecord(otherScheme, ids[0], "volunteer", "other scheme", t0, 1)
	insertRecords(t, s, r1, other, r2, elsewhere)
	r3 := newReversal(r1, "r3 reverses r1")
	insertRecords(t, s, r3)
	r4 := newRecord(scheme, ids[0], "litter", "r4", t0.Add(-time.Hour), -10)
	insertRecords(t, s, r4)

	tests := []struct {
		after int64
		limit int
		want  []*tally.Record
	}{
		{0, 2, []*tally.Record{r1, r2}},
		{r2.ID, 2, []*tally.Record{r3, r4}},
		{r4.ID, 2, nil},
		{0, 100, []*tally.Record{r1, r2, r3, r4}},
		{r1.ID, 1, []*tally.Record{r2}},
	}
	mustView(t, s, func(tx ledger.Tx) error {
		for _, tc := range tests {
			got, err := tx.History(t.Context(), scheme, ids[0], tc.after, tc.limit)
			if err != nil {
				return err
			}
			if g, w := recordIDs(got), idsOf(tc.want...); !reflect.DeepEqual(g, w) && (len(g) != 0 || len(w) != 0) {
				t.Errorf("History(after %d, limit %d): got IDs %v, want %v (%s)", tc.after, tc.limit, g, w, refsOf(tc.want))
			}
		}
		got, err := tx.History(t.Context(), scheme, ids[0], r2.ID, 1)
		if err != nil {
			return err
		}
		if len(got) == 1 {
			checkRecord(t, &got[0], r3)
		}
		return nil
	})
}

// testCounts checks Counts: enrolled subjects and records, reversals
// included, per scheme.
func testCounts(t *testing.T, s ledger.Store) {
	ids := addSubjects(t, s, 4)
	enrol(t, s, scheme, ids[0], ids[1], ids[2])
	enrol(t, s, otherScheme, ids[3])
	r := newRecord(scheme, ids[0], "volunteer", "r1", t0, 1)
	insertRecords(t, s, r,
		newRecord(scheme, ids[1], "volunteer", "r2", t0, 1),
		// A record of a subject not enrolled counts towards records.
		newRecord(scheme, ids[3], "volunteer", "r3", t0, 1),
		newRecord(otherScheme, ids[3], "volunteer", "r1", t0, 1),
		newRecord(otherScheme, ids[3], "volunteer", "r2", t0, 1),
	)
	insertRecords(t, s, newReversal(r, "r1 reversal"))

	tests := []struct {
		scheme            string
		subjects, records int64
	}{
		{scheme, 3, 4},
		{otherScheme, 1, 2},
		{"unknown", 0, 0},
	}
	mustView(t, s, func(tx ledger.Tx) error {
		for _, tc := range tests {
			subjects, records, err := tx.Counts(t.Context(), tc.scheme)
			if err != nil {
				return err
			}
			if subjects != tc.subjects || records != tc.records {
				t.Errorf("Counts(%s): got %d subjects, %d records; want %d, %d", tc.scheme, subjects, records, tc.subjects, tc.records)
			}
		}
		return nil
	})
}
