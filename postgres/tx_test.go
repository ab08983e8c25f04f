package postgres_test

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/postgres/pgtest"
)

// TestUpdateRetriesDeadlock makes two Updates lock two subjects in
// opposite orders, a deadlock PostgreSQL breaks by failing one of them:
// Update must run that one again, so that both succeed.
func TestUpdateRetriesDeadlock(t *testing.T) {
	db := mustOpen(t, pgtest.Fresh(t))
	var (
		calls      atomic.Int32
		firstLocks sync.WaitGroup
		wg         sync.WaitGroup
	)
	firstLocks.Add(2)
	errs := make([]error, 2)
	for i, order := range [][2]int64{{1, 2}, {2, 1}} {
		wg.Go(func() {
			first := true
			errs[i] = db.Update(t.Context(), func(tx ledger.Tx) error {
				calls.Add(1)
				if err := tx.LockSubject(t.Context(), "s", order[0]); err != nil {
					return err
				}
				if first { // both hold their first lock before either takes its second
					first = false
					firstLocks.Done()
					firstLocks.Wait()
				}
				return tx.LockSubject(t.Context(), "s", order[1])
			})
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("Update %d: %v", i, err)
		}
	}
	if n := calls.Load(); n < 3 {
		t.Errorf("fn ran %d times, want at least 3 (one deadlocked run retried)", n)
	}
}

// TestLockSubjectIsPerSubject checks that a lock held on one subject holds
// back writers of that subject in that scheme only.
func TestLockSubjectIsPerSubject(t *testing.T) {
	db := mustOpen(t, pgtest.Fresh(t))
	holding, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	done := make(chan error, 1)
	go func() {
		done <- db.Update(t.Context(), func(tx ledger.Tx) error {
			if err := tx.LockSubject(t.Context(), "s", 1); err != nil {
				return err
			}
			once.Do(func() { close(holding) })
			<-release
			return nil
		})
	}()
	<-holding
	defer func() {
		close(release)
		if err := <-done; err != nil {
			t.Errorf("Update holding the lock: %v", err)
		}
	}()

	for _, tc := range []struct {
		scheme  string
		subject int64
	}{{"s", 2}, {"other", 1}} {
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
		err := db.Update(ctx, func(tx ledger.Tx) error { return tx.LockSubject(ctx, tc.scheme, tc.subject) })
		cancel()
		if err != nil {
			t.Errorf("LockSubject(%s, %d) while (s, 1) is locked: %v", tc.scheme, tc.subject, err)
		}
	}
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	err := db.Update(ctx, func(tx ledger.Tx) error { return tx.LockSubject(ctx, "s", 1) })
	if err == nil {
		t.Error("LockSubject(s, 1) while another transaction holds it: got nil error, want it to wait until the deadline")
	}
}

// TestUpdateAfterFailedStatement checks the error of an Update whose fn
// carries on after a statement the server failed, which aborts the
// transaction in PostgreSQL: the commit fails and names the first error.
func TestUpdateAfterFailedStatement(t *testing.T) {
	db := mustOpen(t, pgtest.Fresh(t))
	err := db.Update(t.Context(), func(tx ledger.Tx) error {
		err := tx.InsertEnrolment(t.Context(), &tally.Enrolment{Scheme: "s", SubjectID: 1 << 40})
		if tally.ErrorCodeOf(err) != tally.ENotFound {
			t.Errorf("InsertEnrolment of an unknown subject: got %v, want ENotFound", err)
		}
		return nil // carry on regardless
	})
	if err == nil || !strings.Contains(err.Error(), "aborted by an earlier error") || !strings.Contains(err.Error(), "23503") {
		t.Errorf("Update: got %v, want a commit error naming the earlier foreign key error", err)
	}
}

// TestIDTaken checks that an insert whose id another program already
// used, behind the identity sequence's back, is an internal fault that
// says so, not a conflict of the input.
func TestIDTaken(t *testing.T) {
	addr := pgtest.Fresh(t)
	db := mustOpen(t, addr)
	raw := rawConn(t, addr)
	for _, stmt := range []string{
		`INSERT INTO subjects (id, kind, name, masked, lookup, sealed, created) VALUES (1, 'person', 'a', 'a', 'a', 'a', 0)`,
		`INSERT INTO records (id, scheme, version, subject_id, rule, facts, happened_at, recorded_at, recorded_by, ref, evidence, requested, awarded, reason, digest)
			VALUES (1, 's', 1, 1, 'r', '{}', 0, 0, 'x', 'first', '', 1, 1, '', '')`,
	} {
		if _, err := raw.Exec(context.Background(), stmt); err != nil {
			t.Fatal(err)
		}
	}
	err := db.Update(t.Context(), func(tx ledger.Tx) error {
		return tx.InsertRecord(t.Context(), &tally.Record{Scheme: "s", SubjectID: 1, Rule: "r", Ref: "second"})
	})
	if tally.ErrorCodeOf(err) != tally.EInternal || !strings.Contains(err.Error(), "sequence") {
		t.Errorf("InsertRecord with a taken id: got %v, want an internal error about the sequence", err)
	}
	err = db.Update(t.Context(), func(tx ledger.Tx) error {
		return tx.InsertSubject(t.Context(), &tally.Subject{Kind: tally.Person, Lookup: []byte("b"), Sealed: []byte("b")})
	})
	if tally.ErrorCodeOf(err) != tally.EInternal || !strings.Contains(err.Error(), "subjects_pkey") {
		t.Errorf("InsertSubject with a taken id: got %v, want an internal error naming subjects_pkey", err)
	}
}
