package web

import "github.com/tallycredit/tally/ledger"

// standalone drops from a listing the reversals of records it also
// lists: a reversal shows beside the record it reverses (who, when, why),
// not as a line of its own. A reversal whose record is not listed stays,
// saying which record it reverses and why.
func standalone[T any](es []T, entry func(*T) *ledger.Entry) []T {
	listed := map[int64]bool{}
	for i := range es {
		listed[entry(&es[i]).ID] = true
	}
	out := make([]T, 0, len(es))
	for i := range es {
		if e := entry(&es[i]); !e.IsReversal() || !listed[e.Reverses] {
			out = append(out, es[i])
		}
	}
	return out
}

func recentEntry(e *ledger.RecentEntry) *ledger.Entry { return &e.Entry }
func plainEntry(e *ledger.Entry) *ledger.Entry        { return e }
