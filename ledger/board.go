package ledger

import (
	"context"
	"fmt"
	"sort"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/rulebook"
)

// DefaultTop is how many role models an honour board names.
const DefaultTop = 10

// HonourBoard is a closed period drawn for the public: the subjects
// ShownPublicly allows when the board is read (organisations, and persons
// who consent to publication then) who earned at least one mark (or, in
// a scheme without a board, a score above the base), highest first, and
// the role models among them. It never lists anyone for a low score, and
// draws each score without the deductions kept in the office
// (publicClosing).
type HonourBoard struct {
	Scheme     string       `json:"scheme"`
	Name       tally.Text   `json:"name"`
	Period     string       `json:"period"`
	Board      *tally.Board `json:"board"`
	RoleModels []BoardEntry `json:"role_models"`
	Entries    []BoardEntry `json:"entries"`
}

// BoardEntry is one name on an honour board.
type BoardEntry struct {
	Rank  int    `json:"rank"` // equal scores share a rank
	Name  string `json:"name"`
	Unit  string `json:"unit"`
	Score int64  `json:"score"`
	Flags int64  `json:"flags"`
	Stars int64  `json:"stars"`
}

// HonourBoard returns the board of a closed period with up to top role
// models (DefaultTop when top <= 0; ties at the last place all count).
// Anyone may read it: it names no person who does not consent now, so a
// withdrawal takes a name off every board at once.
func (s *Service) HonourBoard(ctx context.Context, scheme, period string, top int) (*HonourBoard, error) {
	if err := authorize(ActorOf(ctx), OpReadBoard, Target{Scheme: scheme}); err != nil {
		return nil, err
	}
	if top <= 0 {
		top = DefaultTop
	}
	sheet, err := s.sheetHeader(ctx, scheme, period)
	if err != nil {
		return nil, err
	}
	book := sheet.Book
	var vs []Version
	if err := s.store.View(ctx, func(tx Tx) error {
		vs, err = s.versions(ctx, tx, scheme)
		return err
	}); err != nil {
		return nil, err
	}
	out := &HonourBoard{Scheme: scheme, Name: book.Name, Period: period, Board: book.Board,
		RoleModels: []BoardEntry{}, Entries: []BoardEntry{}}
	var earned []BoardEntry
	var ids []int64
	err = s.eachCloseRow(ctx, scheme, period, func(r *tally.CloseRow) error {
		if !r.Scored || r.Closing == nil {
			return nil
		}
		closing, marks, err := s.publicClosing(ctx, &sheet.Close, vs, book, r)
		if err != nil {
			return err
		}
		if (book.Board != nil && marks.Flags == 0 && marks.Stars == 0) || (book.Board == nil && closing <= book.Base) {
			return nil
		}
		earned = append(earned, BoardEntry{Name: r.Name, Unit: r.Unit, Score: closing, Flags: marks.Flags, Stars: marks.Stars})
		ids = append(ids, r.SubjectID)
		return nil
	})
	if err != nil {
		return nil, err
	}
	var shown map[int64]bool
	err = s.store.View(ctx, func(tx Tx) error {
		shown, err = publicSubjects(ctx, tx, scheme, ids)
		return err
	})
	if err != nil {
		return nil, err
	}
	for i, e := range earned {
		if shown[ids[i]] {
			out.Entries = append(out.Entries, e)
		}
	}
	rank(out.Entries)
	for _, e := range out.Entries {
		if e.Rank <= top {
			out.RoleModels = append(out.RoleModels, e)
		}
	}
	return out, nil
}

// rank sorts entries by score, highest first (then unit and name, so that
// the order is stable), and gives equal scores the same rank.
func rank(es []BoardEntry) {
	sort.SliceStable(es, func(i, j int) bool {
		if es[i].Score != es[j].Score {
			return es[i].Score > es[j].Score
		}
		if es[i].Unit != es[j].Unit {
			return es[i].Unit < es[j].Unit
		}
		return es[i].Name < es[j].Name
	})
	for i := range es {
		if i > 0 && es[i].Score == es[i-1].Score {
			es[i].Rank = es[i-1].Rank
		} else {
			es[i].Rank = i + 1
		}
	}
}

// sheetHeader reads a close and the rulebook version it was taken under,
// with no check of who asks: for the public board.
func (s *Service) sheetHeader(ctx context.Context, scheme, period string) (*Sheet, error) {
	if _, err := tally.ParsePeriod(period); err != nil {
		return nil, err
	}
	out := &Sheet{}
	err := s.store.View(ctx, func(tx Tx) error {
		vs, err := s.versions(ctx, tx, scheme)
		if err != nil {
			return err
		}
		c, err := tx.CloseOf(ctx, scheme, period)
		if err != nil {
			return err
		}
		out.Close, out.Book = *local(c, vs), vs[len(vs)-1].Book
		if c.Version >= 1 && c.Version <= len(vs) {
			out.Book = vs[c.Version-1].Book
		}
		return nil
	})
	return out, err
}

// RewardLine is one line of a period's distribution list: what one subject
// receives, with room for a signature when it is handed out.
type RewardLine struct {
	Reward  string     `json:"reward"`
	Item    tally.Text `json:"item"`
	Unit    tally.Text `json:"unit"`
	Subject string     `json:"subject"` // masked
	Name    string     `json:"name"`
	Group   string     `json:"unit_name"`
	Basis   int64      `json:"basis"` // the points gained, flags, stars, or the place
	Amount  int64      `json:"amount"`
}

// Rewards returns a closed period's distribution list: for each reward of
// the rulebook version the close was taken under, every scored subject
// who earns it, in the order of the sheet (by subject), except the top-N
// prizes, which are by place. Subjects who are not scored get nothing.
func (s *Service) Rewards(ctx context.Context, scheme, period string) ([]RewardLine, error) {
	sheet, err := s.Sheet(ctx, scheme, period)
	if err != nil {
		return nil, err
	}
	out := []RewardLine{}
	rewards := sheet.Book.Rewards
	var tops []BoardEntryRow
	err = s.eachCloseRow(ctx, scheme, period, func(r *tally.CloseRow) error {
		if !r.Scored {
			return nil
		}
		for _, rw := range rewards {
			var basis int64
			switch rw.Per {
			case rulebook.PerGained:
				basis = r.Gains
			case rulebook.PerFlag:
				basis = r.Flags
			case rulebook.PerStar:
				if b := sheet.Book.Board; b != nil {
					basis = r.Flags*b.Flag + r.Stars
				}
			case rulebook.PerTop:
				continue
			}
			if n := basis / rw.Every; n > 0 {
				out = append(out, RewardLine{Reward: rw.Code, Item: rw.Item, Unit: rw.Unit, Subject: r.Masked,
					Name: r.Name, Group: r.Unit, Basis: basis, Amount: n * rw.Amount})
			}
		}
		if r.Closing != nil && *r.Closing > sheet.Book.Base {
			tops = append(tops, BoardEntryRow{BoardEntry{Name: r.Name, Unit: r.Unit, Score: *r.Closing}, r.Masked})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	rankRows(tops)
	for _, rw := range rewards {
		if rw.Per != rulebook.PerTop {
			continue
		}
		for _, t := range tops {
			if t.Rank <= rw.Top {
				out = append(out, RewardLine{Reward: rw.Code, Item: rw.Item, Unit: rw.Unit, Subject: t.Masked,
					Name: t.Name, Group: t.Unit, Basis: int64(t.Rank), Amount: rw.Amount})
			}
		}
	}
	return out, nil
}

// BoardEntryRow is a board entry with the subject's masked identifier,
// for lists that are not public.
type BoardEntryRow struct {
	BoardEntry
	Masked string
}

// rankRows ranks rows as rank does, ties broken by the masked identifier.
func rankRows(rs []BoardEntryRow) {
	sort.SliceStable(rs, func(i, j int) bool {
		if rs[i].Score != rs[j].Score {
			return rs[i].Score > rs[j].Score
		}
		return rs[i].Masked < rs[j].Masked
	})
	for i := range rs {
		if i > 0 && rs[i].Score == rs[i-1].Score {
			rs[i].Rank = rs[i-1].Rank
		} else {
			rs[i].Rank = i + 1
		}
	}
}

// PeriodDistribution is how a closed month's scored subjects spread over
// the grades (or, in a scheme without grades but with a board, over their
// number of flags), as anyone may see it: counts under MinCell (other than
// zero) are withheld (nil).
type PeriodDistribution struct {
	Period  string       `json:"period"`
	Scored  int64        `json:"scored"`
	Buckets []GradeShare `json:"buckets"`
}

// MaxFlagBucket is the last bucket of a board's distribution: this many
// flags or more.
const MaxFlagBucket = 5

// Distributions returns the distribution of each of a scheme's last n
// closes, oldest first, from the frozen snapshots (so a chart of past
// months never changes). Anyone may read them.
func (s *Service) Distributions(ctx context.Context, scheme string, n int) ([]PeriodDistribution, error) {
	if err := authorize(ActorOf(ctx), OpReadBoard, Target{Scheme: scheme}); err != nil {
		return nil, err
	}
	closes, err := s.Closes(ctx, scheme)
	if err != nil {
		return nil, err
	}
	if len(closes) > n {
		closes = closes[len(closes)-n:]
	}
	a := ActorOf(ctx)
	exact := Allowed(a, OpExactStatistics, Target{Scheme: scheme})
	out := []PeriodDistribution{}
	err = s.store.View(ctx, func(tx Tx) error {
		vs, err := s.versions(ctx, tx, scheme)
		if err != nil {
			return err
		}
		for _, c := range closes {
			book := vs[len(vs)-1].Book
			if c.Version >= 1 && c.Version <= len(vs) {
				book = vs[c.Version-1].Book
			}
			counts, err := tx.CloseCounts(ctx, scheme, c.Period)
			if err != nil {
				return err
			}
			var labels []string
			if len(book.Grades) > 0 {
				for _, g := range book.Grades {
					labels = append(labels, g.Grade)
				}
			} else {
				for f := 0; f <= MaxFlagBucket; f++ {
					labels = append(labels, fmt.Sprint(f))
				}
			}
			totals := map[string]int64{}
			d := PeriodDistribution{Period: c.Period, Buckets: []GradeShare{}}
			for _, cc := range counts {
				label := cc.Grade
				if len(book.Grades) == 0 {
					label = fmt.Sprint(min(cc.Flags, MaxFlagBucket))
				}
				totals[label] += cc.Subjects
				d.Scored += cc.Subjects
			}
			for _, l := range labels {
				n := int(totals[l])
				share := GradeShare{Grade: l}
				if exact || n == 0 || n >= MinCell {
					share.Subjects = &n
				}
				d.Buckets = append(d.Buckets, share)
			}
			out = append(out, d)
		}
		return nil
	})
	return out, err
}
