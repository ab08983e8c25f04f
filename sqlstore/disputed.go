package sqlstore

import (
	"context"
	"time"

	"github.com/tallycredit/tally"
)

// disputedQuery selects the records and list entries of some subjects
// that an objection or appeal holds under dispute at an instant: filed at
// or before it and not decided by then. It mirrors tally.Objection.Disputes
// and finds the objections through their subject index.
const disputedQuery = `SELECT DISTINCT o.target, o.target_id FROM objections o
	LEFT JOIN objection_decisions d ON d.objection_id = o.id
	WHERE o.target <> 'score' AND o.filed_at <= ? AND (d.objection_id IS NULL OR d.decided_at > ?) AND o.subject_id `

// Disputed returns the records and list entries of the subjects that are
// disputed at instant at: one statement where the driver binds arrays,
// else one per IN list of up to maxIn subjects.
func (t *Tx) Disputed(ctx context.Context, subjectIDs []int64, at time.Time) (tally.Disputed, error) {
	out := tally.Disputed{}
	for len(subjectIDs) > 0 {
		n, in, args := len(subjectIDs), `= ANY(?)`, []any{subjectIDs}
		if !t.d.Arrays {
			n = min(n, maxIn)
			l, vs := list(subjectIDs[:n])
			in, args = `IN (`+l+`)`, vs
		}
		got, err := collect(ctx, t, scanObjected, disputedQuery+in, append([]any{micros(at), micros(at)}, args...)...)
		if err != nil {
			return nil, t.wrap(err, "read disputed")
		}
		for _, o := range got {
			out[o] = true
		}
		subjectIDs = subjectIDs[n:]
	}
	return out, nil
}

func scanObjected(row Row) (tally.Objected, error) {
	var (
		o      tally.Objected
		target string
	)
	err := row.Scan(&target, &o.ID)
	o.Target = tally.ObjectionTarget(target)
	return o, err
}
