package sqlstore

import (
	"context"
	"strings"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// inChunks runs query once for each chunk of vals, passing the condition
// that a column is among the chunk's values and its arguments: the whole
// set as one array (= ANY) where the driver binds arrays, else an IN list
// of up to maxIn values. It is how an import batch asks once for what it
// would otherwise ask once per row.
func inChunks[T any](t *Tx, vals []T, query func(in string, args []any) error) error {
	for len(vals) > 0 {
		n, in, args := len(vals), `= ANY(?)`, []any{vals}
		if !t.d.Arrays {
			n = min(n, maxIn)
			l, vs := list(vals[:n])
			in, args = `IN (`+l+`)`, vs
		}
		if err := query(in, args); err != nil {
			return err
		}
		vals = vals[n:]
	}
	return nil
}

// SubjectsByLookups returns the subjects whose Lookup is among lookups, in
// any order; lookups of no subject are simply absent.
func (t *Tx) SubjectsByLookups(ctx context.Context, lookups [][]byte) ([]tally.Subject, error) {
	out := []tally.Subject{}
	err := inChunks(t, lookups, func(in string, args []any) error {
		ss, err := collect(ctx, t, scanSubject, `SELECT `+subjectCols+` FROM subjects WHERE lookup `+in, args...)
		out = append(out, ss...)
		return err
	})
	return out, t.wrap(err, "read subjects")
}

// EnrolledAmong returns which of subjectIDs are enrolled in scheme, in any
// order.
func (t *Tx) EnrolledAmong(ctx context.Context, scheme string, subjectIDs []int64) ([]int64, error) {
	out := []int64{}
	err := inChunks(t, subjectIDs, func(in string, args []any) error {
		ids, err := collect(ctx, t, scanID, `SELECT subject_id FROM enrolments WHERE scheme = ? AND subject_id `+in,
			append([]any{scheme}, args...)...)
		out = append(out, ids...)
		return err
	})
	return out, t.wrap(err, "read enrolments")
}

// sumsChunk is how many keys one SumsAwarded statement takes; the last
// chunk is padded with keys that match nothing, so that the statement has
// one shape and is prepared once.
const sumsChunk = 64

var sumsAwardedQuery = func() string {
	const tuple = `(CAST(? AS BIGINT), CAST(? AS BIGINT), ?, CAST(? AS BIGINT), CAST(? AS BIGINT))`
	return fixed("SumsAwarded", `WITH k (i, subject_id, rule, from_at, to_at) AS (VALUES `+tuple+strings.Repeat(", "+tuple, sumsChunk-1)+`)
		SELECT k.i, CAST(SUM(r.awarded) AS BIGINT) FROM k CROSS JOIN records r
		WHERE r.scheme = ? AND r.subject_id = k.subject_id AND r.rule = k.rule
			AND r.happened_at >= k.from_at AND r.happened_at < k.to_at
			AND `+notReversed+` GROUP BY k.i`)
}()

// SumsAwarded is SumAwarded for many subjects, rules and windows at once:
// one statement for sumsChunk keys joins them (as a VALUES list) with the
// records_rule index, keys first (SQLite keeps the order of a CROSS JOIN:
// left to itself, it would read every record of the scheme and look each
// up among the keys). sums[i] is the sum for keys[i].
func (t *Tx) SumsAwarded(ctx context.Context, scheme string, keys []ledger.CapKey) ([]int64, error) {
	sums := make([]int64, len(keys))
	for start := 0; start < len(keys); start += sumsChunk {
		args := make([]any, 0, 1+5*sumsChunk)
		for i := range sumsChunk {
			if k := start + i; k < len(keys) {
				args = append(args, i, keys[k].Subject, keys[k].Rule, micros(keys[k].From), micros(keys[k].To))
			} else {
				args = append(args, i, 0, "", 0, 0) // matches no record: its window is empty
			}
		}
		got, err := collect(ctx, t, func(row Row) (sum [2]int64, err error) { return sum, row.Scan(&sum[0], &sum[1]) },
			sumsAwardedQuery, append(args, scheme)...)
		if err != nil {
			return nil, t.wrap(err, "sum awarded points")
		}
		for _, s := range got {
			sums[start+int(s[0])] = s[1]
		}
	}
	return sums, nil
}
