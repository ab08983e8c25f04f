//go:build !unix

package ledger_test

import (
	"testing"
	"time"
)

// cpuTime is 0 where the process's CPU time is not read: the metric
// reads 0 there.
func cpuTime(testing.TB) time.Duration { return 0 }
