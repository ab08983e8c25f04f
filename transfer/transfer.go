// Package transfer moves a whole ledger from the embedded SQLite store to
// a PostgreSQL store, row for row, and then checks that the two agree: the
// same number of rows in every table and the same score for every enrolled
// subject of every scheme.
package transfer

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/postgres"
	"github.com/tallycredit/tally/sqlite"
)

// Report says what a copy moved and what its check found.
type Report struct {
	Rows     map[string]int64 `json:"rows"`     // rows copied, by table
	Schemes  int              `json:"schemes"`  // schemes whose scores were compared
	Subjects int              `json:"subjects"` // scores compared
	AsOf     time.Time        `json:"as_of"`
}

// Progress is told what the copy is doing: a table or scheme and a count.
type Progress func(stage string, n int64)

// Copy writes every row of from into to, which must hold no ledger data
// yet, table by table in an order that satisfies foreign keys.
func Copy(ctx context.Context, from *sqlite.DB, to *postgres.DB, progress Progress) (map[string]int64, error) {
	if progress == nil {
		progress = func(string, int64) {}
	}
	if err := mustBeEmpty(ctx, to); err != nil {
		return nil, err
	}
	copied := map[string]int64{}
	for _, table := range sqlite.Tables {
		rows := make(chan []any, 256)
		var columns []string
		ready := make(chan struct{})
		readErr := make(chan error, 1)
		go func() {
			var once bool
			err := from.ReadRows(ctx, table, func(cols []string, row []any) error {
				if !once {
					columns, once = cols, true
					close(ready)
				}
				select {
				case rows <- row:
					return nil
				case <-ctx.Done():
					return ctx.Err()
				}
			})
			if !once {
				close(ready)
			}
			close(rows)
			readErr <- err
		}()
		<-ready
		if columns == nil { // an empty table
			if err := <-readErr; err != nil {
				return copied, err
			}
			continue
		}
		var n int64
		written, err := to.CopyIn(ctx, table, columns, func() ([]any, error) {
			row, ok := <-rows
			if !ok {
				return nil, io.EOF
			}
			if n++; n%10000 == 0 {
				progress(table, n)
			}
			return row, nil
		})
		if rerr := <-readErr; err == nil {
			err = rerr
		}
		if err != nil {
			return copied, fmt.Errorf("copy %s: %w", table, err)
		}
		if written != n {
			return copied, tally.Errorf(tally.EInternal, "copy %s: read %d rows, wrote %d", table, n, written)
		}
		copied[table] = written
		progress(table, written)
	}
	return copied, nil
}

// mustBeEmpty refuses a target that already holds schemes or subjects, so
// that a copy never mixes two ledgers.
func mustBeEmpty(ctx context.Context, to *postgres.DB) error {
	return to.View(ctx, func(tx ledger.Tx) error {
		schemes, err := tx.Schemes(ctx)
		if err != nil {
			return err
		}
		if len(schemes) > 0 {
			return tally.Errorf(tally.EConflict, "the target database already holds schemes (%v): copy only into an empty database", schemes)
		}
		if _, err := tx.SubjectByID(ctx, 1); tally.ErrorCodeOf(err) != tally.ENotFound {
			if err != nil {
				return err
			}
			return tally.Errorf(tally.EConflict, "the target database already holds subjects: copy only into an empty database")
		}
		return nil
	})
}

// Verify compares two ledgers opened with the same identity key: the
// score of every enrolled subject of every scheme at instant at, and the
// number of subjects and records in each scheme. The first difference is
// returned as an error.
func Verify(ctx context.Context, from, to *ledger.Service, at time.Time, progress Progress) (*Report, error) {
	if progress == nil {
		progress = func(string, int64) {}
	}
	rep := &Report{AsOf: at}
	schemes, err := from.Schemes(ctx)
	if err != nil {
		return rep, err
	}
	for _, v := range schemes {
		want := map[int64]string{}
		err := from.EachScore(ctx, v.Scheme, at, func(id int64, sc *tally.Score) error {
			want[id] = scoreKey(sc)
			return nil
		})
		if err != nil {
			return rep, err
		}
		seen := 0
		err = to.EachScore(ctx, v.Scheme, at, func(id int64, sc *tally.Score) error {
			if w, ok := want[id]; !ok || w != scoreKey(sc) {
				return tally.Errorf(tally.EInternal, "scheme %s subject %s: source score %q, copy %q", v.Scheme, sc.Subject, w, scoreKey(sc))
			}
			seen++
			if seen%1000 == 0 {
				progress("verify "+v.Scheme, int64(seen))
			}
			return nil
		})
		if err != nil {
			return rep, err
		}
		if seen != len(want) {
			return rep, tally.Errorf(tally.EInternal, "scheme %s: %d subjects scored in the source, %d in the copy", v.Scheme, len(want), seen)
		}
		a, err := from.Distribution(ctx, v.Scheme, at)
		if err != nil {
			return rep, err
		}
		b, err := to.Distribution(ctx, v.Scheme, at)
		if err != nil {
			return rep, err
		}
		if a.Subjects != b.Subjects || a.Records != b.Records || a.Total != b.Total {
			return rep, tally.Errorf(tally.EInternal, "scheme %s: source has %d subjects, %d records, total score %d; copy %d, %d, %d",
				v.Scheme, a.Subjects, a.Records, a.Total, b.Subjects, b.Records, b.Total)
		}
		rep.Schemes++
		rep.Subjects += seen
	}
	return rep, nil
}

// scoreKey is what two copies of a score must agree on.
func scoreKey(sc *tally.Score) string {
	if !sc.Scored {
		return "unscored: " + sc.Unscored
	}
	grade := ""
	if sc.Grade != nil {
		grade = *sc.Grade
	}
	return fmt.Sprintf("%d %s %d factors", *sc.Score, grade, len(sc.Factors))
}
