package ledger

import (
	"context"
	"time"

	"github.com/tallycredit/tally"
)

// RecentEntry is a record in a list of recent work, with whom it is about.
type RecentEntry struct {
	Entry
	Subject SubjectView
}

// Recent lists records recorded in [from, to) in a scheme, newest first,
// deductions waiting for a second person marked Pending:
// a recorder sees its own (today's entries, to undo one); reviewers and
// admins see everyone's (to check deductions).
func (s *Service) Recent(ctx context.Context, scheme string, from, to time.Time, limit int) ([]RecentEntry, error) {
	a := ActorOf(ctx)
	f := RecordFilter{Scheme: scheme, From: from, To: to, Limit: limit}
	if err := authorize(a, OpRecentRecords, Target{Scheme: scheme}); err != nil {
		return nil, err
	}
	if a.Role == tally.Recorder || a.Role == tally.Agency {
		f.RecordedBy = a.Name
	}
	if f.Limit <= 0 || f.Limit > MaxPage {
		f.Limit = MaxPage
	}
	var out []RecentEntry
	err := s.store.View(ctx, func(tx Tx) error {
		vs, err := s.versions(ctx, tx, scheme)
		if err != nil {
			return err
		}
		records, err := tx.RecordsRecorded(ctx, f)
		if err != nil {
			return err
		}
		subjects := map[int64]SubjectView{}
		reversals, err := reversalsOf(ctx, tx, records)
		if err != nil {
			return err
		}
		for _, r := range records {
			view, ok := subjects[r.SubjectID]
			if !ok {
				subj, err := tx.SubjectByID(ctx, r.SubjectID)
				if err != nil {
					return err
				}
				view = viewOf(subj)
				subjects[r.SubjectID] = view
			}
			e := RecentEntry{Entry: entry(vs, r), Subject: view}
			e.Reversal = reversals[r.ID]
			e.Reversed = e.Reversal != nil
			if r.Awarded < 0 && !r.IsReversal() && !e.Reversed {
				h, err := tx.Hold(ctx, r.ID)
				if err == nil {
					e.Pending = h.Pending()
				} else if tally.ErrorCodeOf(err) != tally.ENotFound {
					return err
				}
			}
			out = append(out, e)
		}
		es := make([]*Entry, len(out))
		for i := range out {
			es[i] = &out[i].Entry
		}
		return markDisputed(ctx, tx, s.now(), es...)
	})
	return out, err
}

// CategoryCount is how many records of a rule category happened in a
// period.
type CategoryCount struct {
	Category string
	Title    tally.Text
	Records  int64
}

// CategoryCounts counts a scheme's records in effect-or-not that happened
// in [from, to), unreversed, per category of the latest rulebook, for the
// public statistics page. Counts below MinCell are withheld (-1) from all
// but admins and reviewers, as grade counts are.
func (s *Service) CategoryCounts(ctx context.Context, scheme string, from, to time.Time) ([]CategoryCount, error) {
	if err := authorize(ActorOf(ctx), OpReadStatistics, Target{Scheme: scheme}); err != nil {
		return nil, err
	}
	a := ActorOf(ctx)
	exact := Allowed(a, OpExactStatistics, Target{Scheme: scheme})
	var out []CategoryCount
	err := s.store.View(ctx, func(tx Tx) error {
		vs, err := s.versions(ctx, tx, scheme)
		if err != nil {
			return err
		}
		counts, err := tx.RuleCounts(ctx, scheme, from, to)
		if err != nil {
			return err
		}
		book := vs[len(vs)-1].Book
		byCategory := map[string]int64{}
		for rule, n := range counts {
			cat := "?"
			if r, ok := book.Rule(rule); ok {
				cat = r.Category
			}
			byCategory[cat] += n
		}
		for _, c := range book.Categories {
			n := byCategory[c.Code]
			if !exact && n > 0 && n < MinCell {
				n = -1
			}
			out = append(out, CategoryCount{Category: c.Code, Title: c.Title, Records: n})
		}
		return nil
	})
	return out, err
}
