package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// testSubjectsByLookups checks the batch read of subjects: every stored
// lookup asked for is found, whatever the order and however many (more
// than one IN list holds), and unknown lookups are absent.
func testSubjectsByLookups(t *testing.T, s ledger.Store) {
	ids := addSubjects(t, s, 3)
	asked := [][]byte{lookupOf(3), lookupOf(1)}
	for i := range 700 {
		asked = append(asked, lookupOf(1000+i)) // no such subject
	}
	mustView(t, s, func(tx ledger.Tx) error {
		got, err := tx.SubjectsByLookups(t.Context(), asked)
		if err != nil {
			return err
		}
		found := map[int64]string{}
		for _, sub := range got {
			found[sub.ID] += sub.Name
		}
		if len(got) != 2 || found[ids[0]] != "王 1" || found[ids[2]] != "王 3" {
			t.Errorf("SubjectsByLookups = %+v, want subjects 1 and 3", got)
		}
		none, err := tx.SubjectsByLookups(t.Context(), nil)
		if err != nil || len(none) != 0 {
			t.Errorf("SubjectsByLookups of nothing = %v, %v; want none", none, err)
		}
		return nil
	})
}

// testEnrolledAmong checks the batch read of enrolments.
func testEnrolledAmong(t *testing.T, s ledger.Store) {
	ids := addSubjects(t, s, 3)
	enrol(t, s, scheme, ids[0], ids[2])
	enrol(t, s, otherScheme, ids[1])
	mustView(t, s, func(tx ledger.Tx) error {
		got, err := tx.EnrolledAmong(t.Context(), scheme, append(ids, 999))
		if err != nil {
			return err
		}
		if want := fmt.Sprint(map[int64]bool{ids[0]: true, ids[2]: true}); fmt.Sprint(setOf(got)) != want || len(got) != 2 {
			t.Errorf("EnrolledAmong(%s) = %v, want %s", scheme, got, want)
		}
		got, err = tx.EnrolledAmong(t.Context(), otherScheme, ids[:1])
		if err != nil || len(got) != 0 {
			t.Errorf("EnrolledAmong(%s, subject 1) = %v, %v; want none", otherScheme, got, err)
		}
		return nil
	})
}

func setOf(ids []int64) map[int64]bool {
	m := map[int64]bool{}
	for _, id := range ids {
		m[id] = true
	}
	return m
}

// testSumsAwarded holds SumsAwarded to SumAwarded: for more keys than one
// statement takes, over windows that split records, reversals, other
// rules, schemes and subjects, each sum is what SumAwarded says.
func testSumsAwarded(t *testing.T, s ledger.Store) {
	ids := addSubjects(t, s, 2)
	var rs []*tally.Record
	for i := range 12 {
		rs = append(rs, newRecord(scheme, ids[i%2], []string{"volunteer", "litter"}[i%3/2], fmt.Sprintf("s-%d", i), t0.Add(time.Duration(i)*time.Hour), int64(i+1)))
	}
	rs = append(rs, newRecord(otherScheme, ids[0], "volunteer", "o-1", t0, 100))
	insertRecords(t, s, rs...)
	insertRecords(t, s, newReversal(rs[4], "s-4/reversal"))

	var keys []ledger.CapKey
	for i := range 70 {
		keys = append(keys, ledger.CapKey{Subject: ids[i%2], Rule: []string{"volunteer", "litter", "none"}[i%3],
			From: t0.Add(time.Duration(i%5) * time.Hour), To: t0.Add(time.Duration(3+i%11) * time.Hour)})
	}
	mustView(t, s, func(tx ledger.Tx) error {
		sums, err := tx.SumsAwarded(t.Context(), scheme, keys)
		if err != nil {
			return err
		}
		if len(sums) != len(keys) {
			t.Fatalf("SumsAwarded gave %d sums for %d keys", len(sums), len(keys))
		}
		nonzero := 0
		for i, k := range keys {
			want, err := tx.SumAwarded(t.Context(), scheme, k.Subject, k.Rule, k.From, k.To)
			if err != nil {
				return err
			}
			if sums[i] != want {
				t.Errorf("key %d %+v: SumsAwarded %d, SumAwarded %d", i, k, sums[i], want)
			}
			if want != 0 {
				nonzero++
			}
		}
		if nonzero < 20 {
			t.Errorf("only %d of the keys have points: the test does not test", nonzero)
		}
		return nil
	})
}

// testInsertNotices checks the batch insert of notices: IDs in order,
// each notice readable as written, and a notice for no subject ENotFound.
func testInsertNotices(t *testing.T, s ledger.Store) {
	ids := addSubjects(t, s, 2)
	var ns []*tally.Notice
	for i := range 130 { // more than the largest statement, and a remainder
		ns = append(ns, &tally.Notice{SubjectID: ids[i%2], Scheme: scheme, Kind: tally.NoticeRecord, About: int64(i),
			Title: fmt.Sprintf("标题 %d", i), Body: fmt.Sprintf("正文 %d", i), ObjectBy: t0.AddDate(0, 0, i), CreatedAt: t0})
	}
	mustUpdate(t, s, func(tx ledger.Tx) error { return tx.InsertNotices(t.Context(), ns) })
	for i := 1; i < len(ns); i++ {
		if ns[i].ID <= ns[i-1].ID {
			t.Fatalf("notice IDs %d then %d: want increasing", ns[i-1].ID, ns[i].ID)
		}
	}
	mustView(t, s, func(tx ledger.Tx) error {
		got, err := tx.Notices(t.Context(), ledger.DueFilter{Limit: 200})
		if err != nil {
			return err
		}
		if len(got) != len(ns) {
			t.Fatalf("Notices = %d, want %d", len(got), len(ns))
		}
		for i, n := range got {
			w := ns[i]
			if n.ID != w.ID || n.SubjectID != w.SubjectID || n.About != w.About || n.Title != w.Title || n.Body != w.Body ||
				!n.ObjectBy.Equal(w.ObjectBy) || !n.CreatedAt.Equal(w.CreatedAt) {
				t.Errorf("notice %d = %+v, want %+v", i, n, *w)
			}
		}
		return nil
	})
	err := s.Update(t.Context(), func(tx ledger.Tx) error {
		return tx.InsertNotices(t.Context(), []*tally.Notice{{SubjectID: 999, Scheme: scheme, Kind: tally.NoticeRecord, CreatedAt: t0}})
	})
	wantCode(t, "InsertNotices for an unknown subject", err, tally.ENotFound)
	mustUpdate(t, s, func(tx ledger.Tx) error { return tx.InsertNotices(t.Context(), nil) })
}
