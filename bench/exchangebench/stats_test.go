package main

import (
	"testing"
	"time"
)

func TestSummarizeTakesNearestRanks(t *testing.T) {
	hundred := make([]time.Duration, 100)
	for i := range hundred {
		hundred[i] = time.Duration(100-i) * time.Millisecond // 100 ms down to 1 ms
	}
	tests := []struct {
		name string
		in   []time.Duration
		want summary
	}{
		{"none", nil, summary{}},
		{"one", []time.Duration{7}, summary{n: 1, p50: 7, p95: 7, p99: 7, max: 7}},
		{"two", []time.Duration{9, 3}, summary{n: 2, p50: 3, p95: 9, p99: 9, max: 9}},
		{"a hundred, unsorted", hundred, summary{n: 100, p50: 50 * time.Millisecond, p95: 95 * time.Millisecond,
			p99: 99 * time.Millisecond, max: 100 * time.Millisecond}},
	}
	for _, tc := range tests {
		if got := summarize(tc.in); got != tc.want {
			t.Errorf("%s: summarize = %+v, want %+v", tc.name, got, tc.want)
		}
	}
}
