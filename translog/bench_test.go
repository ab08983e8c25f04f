package translog_test

import (
	"context"
	"testing"

	"github.com/tallycredit/tally/translog"
)

// BenchmarkAppend appends one commitment a call to a growing log in
// memory: the tree's own cost, without a database.
func BenchmarkAppend(b *testing.B) {
	s := &translog.MemStore{}
	leaf := translog.Commit([]byte("entry"), translog.NewSalt())
	b.ReportAllocs()
	for b.Loop() {
		mustAppend(b, s, leaf)
	}
}

// BenchmarkAppendBatch appends 100 commitments a call, as an import would.
func BenchmarkAppendBatch(b *testing.B) {
	s := &translog.MemStore{}
	batch := make([][]byte, 100)
	for i := range batch {
		batch[i] = translog.Commit([]byte{byte(i)}, translog.NewSalt())
	}
	b.ReportAllocs()
	for b.Loop() {
		mustAppend(b, s, batch...)
	}
}

// benchLeaves is the size of the log the proof benchmarks prove in.
const benchLeaves = 1 << 18

func BenchmarkProveInclusion(b *testing.B) {
	ctx := context.Background()
	s := mustLog(b, benchLeaves)
	b.ReportAllocs()
	i := int64(0)
	for b.Loop() {
		if _, err := translog.ProveInclusion(ctx, s, i%benchLeaves, benchLeaves); err != nil {
			b.Fatal(err)
		}
		i += 7919
	}
}

func BenchmarkProveConsistency(b *testing.B) {
	ctx := context.Background()
	s := mustLog(b, benchLeaves)
	b.ReportAllocs()
	m := int64(1)
	for b.Loop() {
		if _, err := translog.ProveConsistency(ctx, s, 1+m%(benchLeaves-1), benchLeaves); err != nil {
			b.Fatal(err)
		}
		m += 7919
	}
}
