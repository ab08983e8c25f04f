package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/tallycredit/tally/ledger"
)

// testLockSubjectSerialises checks what the ledger relies on for caps: a
// writer that locks a subject while another transaction holds the lock
// reads the cap sum only after that transaction has committed, and so
// sees its record.
func testLockSubjectSerialises(t *testing.T, s ledger.Store) {
	one := func(tx ledger.Tx, ids []int64) error { return tx.LockSubject(t.Context(), scheme, ids[0]) }
	lockSerialises(t, s, addSubjects(t, s, 3), one, one)
}

// testLockSubjectsSerialises checks the same of LockSubjects, which a
// batch takes for all its subjects at once: against a single lock, and
// against another batch naming the same subjects in another order.
func testLockSubjectsSerialises(t *testing.T, s ledger.Store) {
	one := func(tx ledger.Tx, ids []int64) error { return tx.LockSubject(t.Context(), scheme, ids[0]) }
	many := func(tx ledger.Tx, ids []int64) error { return tx.LockSubjects(t.Context(), scheme, ids) }
	reversed := func(tx ledger.Tx, ids []int64) error {
		return tx.LockSubjects(t.Context(), scheme, []int64{ids[2], ids[1], ids[0], ids[1]})
	}
	ids := addSubjects(t, s, 6)
	t.Run("batch then one", func(t *testing.T) { lockSerialises(t, s, ids[:3], many, one) })
	t.Run("batch then batch", func(t *testing.T) { lockSerialises(t, s, ids[3:], many, reversed) })
}

// lockSerialises runs the test of testLockSubjectSerialises with the
// first writer locking with lockFirst and the second with lockSecond,
// both given the IDs of three subjects of which the first is written.
func lockSerialises(t *testing.T, s ledger.Store, ids []int64, lockFirst, lockSecond func(tx ledger.Tx, ids []int64) error) {
	subject := ids[0]
	window := func() (time.Time, time.Time) { return t0.Add(-time.Hour), t0.Add(time.Hour) }

	var once sync.Once
	holding, release := make(chan struct{}), make(chan struct{})
	first := make(chan error, 1)
	go func() {
		first <- s.Update(t.Context(), func(tx ledger.Tx) error {
			if err := lockFirst(tx, ids); err != nil {
				return err
			}
			if err := tx.InsertRecord(t.Context(), newRecord(scheme, subject, "volunteer", fmt.Sprintf("first-%d", subject), t0, 5)); err != nil {
				return err
			}
			once.Do(func() { close(holding) }) // fn may run again on a retry
			<-release
			return nil
		})
	}()
	<-holding

	var sum int64
	second := make(chan error, 1)
	go func() {
		second <- s.Update(t.Context(), func(tx ledger.Tx) error {
			if err := lockSecond(tx, ids); err != nil {
				return err
			}
			from, to := window()
			var err error
			sum, err = tx.SumAwarded(t.Context(), scheme, subject, "volunteer", from, to)
			if err != nil {
				return err
			}
			return tx.InsertRecord(t.Context(), newRecord(scheme, subject, "volunteer", fmt.Sprintf("second-%d", subject), t0, 1))
		})
	}()
	// Time for the second writer to read the sum, if the lock does not
	// hold it back.
	time.Sleep(200 * time.Millisecond)
	close(release)
	if err := <-first; err != nil {
		t.Fatalf("first Update: %v", err)
	}
	if err := <-second; err != nil {
		t.Fatalf("second Update: %v", err)
	}
	if sum != 5 {
		t.Errorf("SumAwarded after LockSubject while another writer held it: got %d, want 5 (the other writer's record)", sum)
	}
}
