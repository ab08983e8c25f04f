package checkindex_test

import (
	"crypto/sha256"
	"encoding/binary"
	"os"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/tallycredit/tally/checkindex"
)

// benchEntries is the size of the benchmark index: TALLY_BENCH_ENTRIES, or
// one million (bench/lists.sh sets 15 million).
func benchEntries() int {
	if n, err := strconv.Atoi(os.Getenv("TALLY_BENCH_ENTRIES")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}

func benchHash(n int) [checkindex.HashSize]byte {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], uint64(n))
	return sha256.Sum256(b[:])
}

var (
	benchOnce  sync.Once
	benchIndex *checkindex.Index
)

// buildBench builds the benchmark index once and reports its build time
// and heap size on stderr-free metrics of the first benchmark.
func buildBench(b *testing.B) *checkindex.Index {
	benchOnce.Do(func() {
		n := benchEntries()
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		began := time.Now()
		x := &checkindex.Index{}
		x.Reserve(n)
		start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
		batch := make([]checkindex.Entry, 0, 4096)
		for i := 1; i <= n; i++ {
			batch = append(batch, checkindex.Entry{ID: int64(i), Hash: benchHash(i), List: uint8(i % 2), Start: start, End: start.AddDate(3, 0, 0), Name: uint32(i)})
			if len(batch) == cap(batch) {
				x.Add(batch)
				batch = batch[:0]
			}
		}
		x.Add(batch)
		took := time.Since(began)
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.Logf("index of %d entries: built in %.1fs (hashing included), heap %.0f MB (%.1f bytes an entry)",
			n, took.Seconds(), float64(after.HeapAlloc-before.HeapAlloc)/1e6, float64(after.HeapAlloc-before.HeapAlloc)/float64(n))
		benchIndex = x
	})
	return benchIndex
}

var (
	queriesOnce sync.Once
	queries     [][checkindex.HashSize]byte
)

// benchQueries returns 4 million lookup hashes, half of listed subjects
// spread over the whole index and half of subjects not listed: too many
// for the caches, so that every check pays its memory accesses.
func benchQueries(n int) [][checkindex.HashSize]byte {
	queriesOnce.Do(func() {
		queries = make([][checkindex.HashSize]byte, 1<<22)
		for i := range queries {
			if i%2 == 0 {
				queries[i] = benchHash(1 + int((uint64(i)*2654435761)%uint64(n)))
			} else {
				queries[i] = benchHash(n + 1 + i)
			}
		}
	})
	return queries
}

// BenchmarkCheck measures one check on one core: half the lookups hit a
// listed subject, half miss.
func BenchmarkCheck(b *testing.B) {
	x := buildBench(b)
	n := benchEntries()
	hashes := benchQueries(n)
	at := checkindex.Seconds(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	b.ResetTimer()
	listed := 0
	for i := 0; i < b.N; i++ {
		if x.Check(&hashes[i&(len(hashes)-1)], 3, at, 0, false).Listed {
			listed++
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "checks/s")
	if listed == 0 && b.N > 1 {
		b.Fatal("no check hit a listed subject")
	}
}

// BenchmarkCheckMany is a batch of 10,000 under one read lock.
func BenchmarkCheckMany(b *testing.B) {
	x := buildBench(b)
	n := benchEntries()
	pool := benchQueries(n)
	const batch = 10000
	names := make([]uint32, batch)
	out := make([]checkindex.Result, batch)
	at := checkindex.Seconds(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		from := (i * batch) % (len(pool) - batch)
		x.CheckMany(pool[from:from+batch], names, 3, at, false, out)
	}
	b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "checks/s")
}
