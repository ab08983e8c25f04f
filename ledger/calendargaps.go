package ledger

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/rulebook"
)

// CalendarGap is a year the working-day calendar lacks but needs, and why.
// Deadlines counted on such a year are provisional (Monday to Friday);
// the operator closes the gap with `tally calendar import`.
type CalendarGap struct {
	Year      int       `json:"year"`
	Why       GapReason `json:"why"`                 // the strongest reason
	Deadlines int       `json:"deadlines,omitempty"` // open deadlines counted across it or ending in it
}

// CalendarImportCommand is how an operator closes a gap.
const CalendarImportCommand = "tally calendar import FILE"

// Situation says the gap in Chinese and English: the year, why it is
// needed and how deadlines are counted meanwhile.
func (g CalendarGap) Situation() tally.Text {
	why := message("calendar.gap." + string(g.Why))
	return tally.Text{
		Zh: messages.In("zh").Text("calendar.gap", g.Year, why.Zh, g.Deadlines),
		En: messages.In("en").Text("calendar.gap", g.Year, why.En, g.Deadlines),
	}
}

// Warning is the Situation with the import command, for the operator's
// log and command line.
func (g CalendarGap) Warning() tally.Text {
	s := g.Situation()
	return tally.Text{
		Zh: messages.In("zh").Text("calendar.gap.import", s.Zh, CalendarImportCommand),
		En: messages.In("en").Text("calendar.gap.import", s.En, CalendarImportCommand),
	}
}

// GapReason is why a year's calendar is needed.
type GapReason string

// The reasons, strongest first.
const (
	GapCurrentYear GapReason = "current"  // the year now
	GapNextYear    GapReason = "next"     // next year, from NextYearNeededFrom
	GapDeadline    GapReason = "deadline" // an open deadline depends on it
)

// NextYearNeededFrom is the month from which next year's calendar is
// needed: the State Council usually publishes its notice in November or
// December, and deadlines of late December run into January.
const NextYearNeededFrom = time.November

// CalendarGaps returns the years, in order, whose holiday notice the
// calendar lacks and that are needed at instant at (zero: now), in the
// default zone: the current year always, the next year from 1 November,
// and any year an open objection's or repair's deadline was counted
// across or falls in.
func (s *Service) CalendarGaps(ctx context.Context, at time.Time) ([]CalendarGap, error) {
	if err := authorize(ActorOf(ctx), OpReadCalendar, Target{}); err != nil {
		return nil, err
	}
	if at.IsZero() {
		at = s.now()
	}
	loc, err := time.LoadLocation(rulebook.DefaultTimezone)
	if err != nil {
		return nil, err
	}
	local := at.In(loc)
	var out []CalendarGap
	err = s.store.View(ctx, func(tx Tx) error {
		cal := workdays(ctx, tx)
		deadlines, err := s.openDeadlineYears(ctx, tx, cal)
		if err != nil {
			return err
		}
		need := map[int]GapReason{}
		for y := range deadlines {
			need[y] = GapDeadline
		}
		if local.Month() >= NextYearNeededFrom {
			need[local.Year()+1] = GapNextYear
		}
		need[local.Year()] = GapCurrentYear
		known, err := cal.calendar()
		if err != nil {
			return err
		}
		for y, why := range need {
			if !known.Holds(y) {
				out = append(out, CalendarGap{Year: y, Why: why, Deadlines: deadlines[y]})
			}
		}
		slices.SortFunc(out, func(a, b CalendarGap) int { return cmp.Compare(a.Year, b.Year) })
		return nil
	})
	return out, err
}

// openDeadlineYears counts, for each year the calendar lacks, the
// deadlines of open objections and repairs that depend on it, each
// deadline as its scheme's clocks set it (a list entry's, its list's).
func (s *Service) openDeadlineYears(ctx context.Context, tx Tx, cal *storedCalendar) (map[int]int, error) {
	type settings struct {
		dp  tally.DueProcess
		loc *time.Location
	}
	type source struct{ scheme, list string } // whose clocks: a scheme's, else a list's
	count, known := map[int]int{}, map[source]settings{}
	note := func(src source, runs func(tally.DueProcess, *time.Location) ([]run, error)) error {
		st, ok := known[src]
		if !ok {
			var (
				dp  tally.DueProcess
				loc *time.Location
				err error
			)
			if src.scheme != "" {
				dp, loc, err = s.dueSettings(ctx, tx, src.scheme)
			} else {
				dp, loc, err = s.listDue(ctx, tx, src.list)
			}
			if err != nil {
				return err
			}
			st = settings{dp, loc}
			known[src] = st
		}
		rs, err := runs(st.dp, st.loc)
		if err != nil {
			return err
		}
		for _, r := range rs {
			years, err := cal.lacking(st.loc, r)
			if err != nil {
				return err
			}
			for _, y := range years {
				count[y]++
			}
		}
		return nil
	}
	for f := (DueFilter{Open: true, Limit: MaxPage}); ; {
		os, err := tx.Objections(ctx, f)
		if err != nil {
			return nil, err
		}
		for i := range os {
			o := &os[i]
			src := source{scheme: o.Scheme}
			if o.Scheme == "" && o.Target == tally.TargetEntry {
				e, err := subjectEntry(ctx, tx, o.SubjectID, o.TargetID)
				if err != nil {
					return nil, err
				}
				src.list = e.List
			}
			if err := note(src, func(dp tally.DueProcess, _ *time.Location) ([]run, error) {
				return objectionRuns(o, dp, time.Time{}), nil
			}); err != nil {
				return nil, err
			}
		}
		if len(os) < f.Limit {
			break
		}
		f.After = os[len(os)-1].ID
	}
	for f := (DueFilter{Open: true, Limit: MaxPage}); ; {
		ps, err := tx.Repairs(ctx, f)
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			if err := note(source{scheme: p.Scheme}, func(dp tally.DueProcess, loc *time.Location) ([]run, error) {
				by, err := deadline(dp.RepairDecide, p.AppliedAt, loc, cal)
				return []run{{dp.RepairDecide, p.AppliedAt, by}}, err
			}); err != nil {
				return nil, err
			}
		}
		if len(ps) < f.Limit {
			break
		}
		f.After = ps[len(ps)-1].ID
	}
	return count, nil
}
