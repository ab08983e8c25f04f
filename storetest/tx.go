package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// testUpdateCommits checks that what an Update writes is there for a later
// View once fn returns nil.
func testUpdateCommits(t *testing.T, s ledger.Store) {
	var id int64
	mustUpdate(t, s, func(tx ledger.Tx) error {
		sub := newSubject(1)
		if err := tx.InsertSubject(t.Context(), sub); err != nil {
			return err
		}
		id = sub.ID
		// An Update reads its own writes.
		got, err := tx.SubjectByID(t.Context(), id)
		if err != nil {
			return err
		}
		if got.Name != sub.Name {
			t.Errorf("inside Update: got name %q, want %q", got.Name, sub.Name)
		}
		return tx.SetMeta(t.Context(), "site", "Rongcheng")
	})
	if id <= 0 {
		t.Fatalf("InsertSubject set ID %d, want > 0", id)
	}
	mustView(t, s, func(tx ledger.Tx) error {
		if _, err := tx.SubjectByID(t.Context(), id); err != nil {
			t.Errorf("SubjectByID(%d) after commit: %v", id, err)
		}
		v, err := tx.Meta(t.Context(), "site")
		if err != nil || v != "Rongcheng" {
			t.Errorf("Meta(site) after commit: got %q, %v; want Rongcheng", v, err)
		}
		return nil
	})
}

// testUpdateRollsBack checks that an Update whose fn fails writes nothing
// and returns fn's error.
func testUpdateRollsBack(t *testing.T, s ledger.Store) {
	boom := errors.New("boom")
	var subjectID int64
	err := s.Update(t.Context(), func(tx ledger.Tx) error {
		sub := newSubject(1)
		if err := tx.InsertSubject(t.Context(), sub); err != nil {
			return err
		}
		subjectID = sub.ID
		if err := tx.InsertEnrolment(t.Context(), &tally.Enrolment{Scheme: scheme, SubjectID: sub.ID, Enrolled: t0}); err != nil {
			return err
		}
		if err := tx.InsertRecord(t.Context(), newRecord(scheme, sub.ID, "volunteer", "r1", t0, 1)); err != nil {
			return err
		}
		if err := tx.SetMeta(t.Context(), "site", "Rongcheng"); err != nil {
			return err
		}
		return fmt.Errorf("fail on purpose: %w", boom)
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Update: got error %v, want one wrapping %v", err, boom)
	}
	mustView(t, s, func(tx ledger.Tx) error {
		_, err := tx.SubjectByLookup(t.Context(), lookupOf(1))
		wantCode(t, "SubjectByLookup after rollback", err, tally.ENotFound)
		_, err = tx.SubjectByID(t.Context(), subjectID)
		wantCode(t, "SubjectByID after rollback", err, tally.ENotFound)
		_, err = tx.RecordByRef(t.Context(), scheme, "r1")
		wantCode(t, "RecordByRef after rollback", err, tally.ENotFound)
		_, err = tx.Meta(t.Context(), "site")
		wantCode(t, "Meta after rollback", err, tally.ENotFound)
		subjects, records, err := tx.Counts(t.Context(), scheme)
		if err != nil || subjects != 0 || records != 0 {
			t.Errorf("Counts after rollback: got %d, %d, %v; want 0, 0, nil", subjects, records, err)
		}
		return nil
	})
	// The same writes succeed afterwards: nothing of them was left behind.
	addSubjects(t, s, 1)
}

// testViewIsReadOnly checks that View returns fn's error and that writes
// inside a View fail and leave nothing.
func testViewIsReadOnly(t *testing.T, s ledger.Store) {
	boom := errors.New("boom")
	if err := s.View(t.Context(), func(tx ledger.Tx) error { return boom }); !errors.Is(err, boom) {
		t.Errorf("View: got error %v, want %v", err, boom)
	}
	_ = s.View(t.Context(), func(tx ledger.Tx) error {
		if err := tx.SetMeta(t.Context(), "site", "x"); err == nil {
			t.Error("SetMeta inside View: got nil error, want one")
		}
		if err := tx.InsertSubject(t.Context(), newSubject(1)); err == nil {
			t.Error("InsertSubject inside View: got nil error, want one")
		}
		return nil
	})
	mustView(t, s, func(tx ledger.Tx) error {
		_, err := tx.Meta(t.Context(), "site")
		wantCode(t, "Meta after View", err, tally.ENotFound)
		_, err = tx.SubjectByLookup(t.Context(), lookupOf(1))
		wantCode(t, "SubjectByLookup after View", err, tally.ENotFound)
		return nil
	})
}

// testViewSnapshot checks that a View does not see an Update that commits
// while it runs. A store whose writers wait for readers passes trivially.
func testViewSnapshot(t *testing.T, s ledger.Store) {
	ids := addSubjects(t, s, 1)
	insertRecords(t, s, newRecord(scheme, ids[0], "volunteer", "before", t0, 1))

	done := make(chan error, 1)
	mustView(t, s, func(tx ledger.Tx) error {
		_, before, err := tx.Counts(t.Context(), scheme)
		if err != nil {
			return err
		}
		go func() {
			done <- s.Update(t.Context(), func(tx ledger.Tx) error {
				return tx.InsertRecord(t.Context(), newRecord(scheme, ids[0], "volunteer", "during", t0, 1))
			})
		}()
		select {
		case err := <-done:
			done <- err // for the check after the View
		case <-time.After(2 * time.Second):
			return nil // writers wait for readers: nothing to compare
		}
		_, after, err := tx.Counts(t.Context(), scheme)
		if err != nil {
			return err
		}
		if after != before {
			t.Errorf("records in one View: got %d then %d, want the same snapshot", before, after)
		}
		if _, err := tx.RecordByRef(t.Context(), scheme, "during"); tally.ErrorCodeOf(err) != tally.ENotFound {
			t.Errorf("View sees a record committed after it began (err %v)", err)
		}
		return nil
	})
	if err := <-done; err != nil {
		t.Fatalf("concurrent Update: %v", err)
	}
	mustView(t, s, func(tx ledger.Tx) error {
		_, n, err := tx.Counts(t.Context(), scheme)
		if err != nil || n != 2 {
			t.Errorf("Counts after the View: got %d records, %v; want 2", n, err)
		}
		return nil
	})
}

// testTxUsableAfterConflict checks that a conflict fails only the insert,
// not the transaction: the ledger looks up the existing record to tell an
// idempotent replay from a real conflict and then carries on.
func testTxUsableAfterConflict(t *testing.T, s ledger.Store) {
	ids := addSubjects(t, s, 1)
	mustUpdate(t, s, func(tx ledger.Tx) error {
		first := newRecord(scheme, ids[0], "volunteer", "r1", t0, 1)
		if err := tx.InsertRecord(t.Context(), first); err != nil {
			return err
		}
		err := tx.InsertRecord(t.Context(), newRecord(scheme, ids[0], "volunteer", "r1", t0, 2))
		wantCode(t, "InsertRecord with a used ref", err, tally.EConflict)
		got, err := tx.RecordByRef(t.Context(), scheme, "r1")
		if err != nil {
			return fmt.Errorf("RecordByRef after a conflict: %w", err)
		}
		if got.ID != first.ID || got.Awarded != 1 {
			t.Errorf("RecordByRef after a conflict: got ID %d awarded %d, want ID %d awarded 1", got.ID, got.Awarded, first.ID)
		}
		err = tx.InsertSubject(t.Context(), newSubject(1))
		wantCode(t, "InsertSubject with a used lookup", err, tally.EConflict)
		return tx.InsertRecord(t.Context(), newRecord(scheme, ids[0], "volunteer", "r2", t0, 4))
	})
	mustView(t, s, func(tx ledger.Tx) error {
		got, err := tx.History(t.Context(), scheme, ids[0], 0, 10)
		if err != nil {
			return err
		}
		var refs []string
		for _, r := range got {
			refs = append(refs, fmt.Sprintf("%s:%d", r.Ref, r.Awarded))
		}
		if fmt.Sprint(refs) != "[r1:1 r2:4]" {
			t.Errorf("committed records: got %v, want [r1:1 r2:4]", refs)
		}
		return nil
	})
}

// testConcurrency checks that concurrent writers all succeed: a store must
// wait or retry on its own busy or locked conditions. Readers run at the
// same time and must not fail either.
func testConcurrency(t *testing.T, s ledger.Store) {
	const writers, perWriter = 8, 50
	ids := addSubjects(t, s, 1)
	subject := ids[0]

	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		errs    []error
		stop    = make(chan struct{})
		readers sync.WaitGroup
	)
	fail := func(err error) {
		mu.Lock()
		errs = append(errs, err)
		mu.Unlock()
	}
	for r := 0; r < 2; r++ {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				err := s.View(t.Context(), func(tx ledger.Tx) error {
					_, err := tx.InEffect(t.Context(), scheme, subject, t0.Add(time.Hour))
					return err
				})
				if err != nil {
					fail(fmt.Errorf("reader: %w", err))
					return
				}
				time.Sleep(5 * time.Millisecond) // leave the CPUs to the writers
			}
		}()
	}
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < perWriter; i++ {
				ref := fmt.Sprintf("w%d-%d", w, i)
				err := s.Update(t.Context(), func(tx ledger.Tx) error {
					if err := tx.LockSubject(t.Context(), scheme, subject); err != nil {
						return err
					}
					if _, err := tx.SumAwarded(t.Context(), scheme, subject, "volunteer", t0.Add(-time.Hour), t0.Add(time.Hour)); err != nil {
						return err
					}
					return tx.InsertRecord(t.Context(), newRecord(scheme, subject, "volunteer", ref, t0, 1))
				})
				if err != nil {
					fail(fmt.Errorf("writer %d, update %d: %w", w, i, err))
				}
			}
		}()
	}
	wg.Wait()
	close(stop)
	readers.Wait()
	for _, err := range errs {
		t.Error(err)
	}

	seen := map[string]bool{}
	mustView(t, s, func(tx ledger.Tx) error {
		var after int64
		for range writers*perWriter + 1 { // a page or more per record means paging is broken
			page, err := tx.History(t.Context(), scheme, subject, after, 64)
			if err != nil {
				return err
			}
			if len(page) == 0 {
				return nil
			}
			for _, r := range page {
				if r.ID <= after {
					return fmt.Errorf("History(after %d): got ID %d", after, r.ID)
				}
				seen[r.Ref] = true
				after = r.ID
			}
		}
		return errors.New("History pages never end")
	})
	if len(seen) != writers*perWriter {
		t.Errorf("records after concurrent writes: got %d, want %d", len(seen), writers*perWriter)
	}
	mustView(t, s, func(tx ledger.Tx) error {
		sum, err := tx.SumAwarded(t.Context(), scheme, subject, "volunteer", t0, t0.Add(time.Microsecond))
		if err != nil || sum != writers*perWriter {
			t.Errorf("SumAwarded after concurrent writes: got %d, %v; want %d", sum, err, writers*perWriter)
		}
		return nil
	})
}

// testLockSubject checks that LockSubject succeeds inside an Update and
// that the Update goes on to commit.
func testLockSubject(t *testing.T, s ledger.Store) {
	ids := addSubjects(t, s, 1)
	mustUpdate(t, s, func(tx ledger.Tx) error {
		if err := tx.LockSubject(t.Context(), scheme, ids[0]); err != nil {
			return fmt.Errorf("LockSubject: %w", err)
		}
		// Locking twice in one transaction is harmless.
		if err := tx.LockSubject(t.Context(), scheme, ids[0]); err != nil {
			return fmt.Errorf("second LockSubject: %w", err)
		}
		return tx.InsertRecord(t.Context(), newRecord(scheme, ids[0], "volunteer", "r1", t0, 1))
	})
	mustView(t, s, func(tx ledger.Tx) error {
		_, err := tx.RecordByRef(t.Context(), scheme, "r1")
		return err
	})
}
