package main

import (
	"slices"
	"time"
)

// summary is the spread of a set of durations.
type summary struct {
	n                  int
	p50, p95, p99, max time.Duration
}

// summarize returns the nearest-rank percentiles of ds (which it sorts):
// the p-th percentile is the smallest duration at least p % of them do
// not exceed.
func summarize(ds []time.Duration) summary {
	if len(ds) == 0 {
		return summary{}
	}
	slices.Sort(ds)
	rank := func(p int) time.Duration {
		i := (p*len(ds)+99)/100 - 1
		return ds[max(i, 0)]
	}
	return summary{n: len(ds), p50: rank(50), p95: rank(95), p99: rank(99), max: ds[len(ds)-1]}
}

// ms is d in milliseconds, for the tables.
func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
