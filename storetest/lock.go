package storetest

import (
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
	ids := addSubjects(t, s, 1)
	subject := ids[0]
	window := func() (time.Time, time.Time) { return t0.Add(-time.Hour), t0.Add(time.Hour) }

	var once sync.Once
	holding, release := make(chan struct{}), make(chan struct{})
	first := make(chan error, 1)
	go func() {
		first <- s.Update(t.Context(), func(tx ledger.Tx) error {
			if err := tx.LockSubject(t.Context(), scheme, subject); err != nil {
				return err
			}
			if err := tx.InsertRecord(t.Context(), newRecord(scheme, subject, "volunteer", "first", t0, 5)); err != nil {
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
			if err := tx.LockSubject(t.Context(), scheme, subject); err != nil {
				return err
			}
			from, to := window()
			var err error
			sum, err = tx.SumAwarded(t.Context(), scheme, subject, "volunteer", from, to)
			if err != nil {
				return err
			}
			return tx.InsertRecord(t.Context(), newRecord(scheme, subject, "volunteer", "second", t0, 1))
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
