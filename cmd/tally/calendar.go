package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/localtime"
	"github.com/tallycredit/tally/workday"
)

// cmdCalendar imports and shows the working-day calendar that
// due-process clocks count on.
func cmdCalendar(e *env, args []string) error {
	return dispatch(e, "calendar", args,
		subcommand{"import", calendarImport},
		subcommand{"show", calendarShow},
		subcommand{"check", calendarCheck})
}

// calendarImport checks a calendar file (the format of holidays-cn.json)
// and stores its years.
func calendarImport(e *env, args []string) error {
	pos, err := e.parse(e.flags("calendar import", "FILE"), args, "FILE")
	if err != nil {
		return err
	}
	src, err := e.readFile(pos[0])
	if err != nil {
		return err
	}
	years, err := workday.Parse(pos[0], src)
	if err != nil {
		return tally.Errorf(tally.EInvalid, "%v", err)
	}
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	if err := svc.ImportCalendar(e.ctx, years); err != nil {
		return err
	}
	imported := make([]int, len(years))
	for i, y := range years {
		imported[i] = y.Year
	}
	return e.print(map[string]any{"imported": imported}, func(w io.Writer) {
		for _, y := range years {
			off, work := counts(y)
			fmt.Fprintln(w, e.text("cli.calendar.imported", y.Year, off, work, y.Source))
		}
	})
}

// counts returns the days off and make-up working days of a year.
func counts(y workday.Year) (off, work int) {
	for _, d := range y.Days() {
		if d.Working {
			work++
		} else {
			off++
		}
	}
	return off, work
}

// calendarShow prints one year's days off and make-up working days, and
// where the year came from.
func calendarShow(e *env, args []string) error {
	pos, err := e.parse(e.flags("calendar show", "YEAR"), args, "YEAR")
	if err != nil {
		return err
	}
	year, err := strconv.Atoi(pos[0])
	if err != nil {
		return &tally.Error{Code: tally.EInvalid, Field: "YEAR", Message: e.text("cli.calendar.bad_year", pos[0])}
	}
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	y, err := svc.Calendar(e.ctx, year)
	if err != nil {
		return err
	}
	days := y.Days()
	return e.print(struct {
		Year     int           `json:"year"`
		Source   string        `json:"source"`
		Imported bool          `json:"imported"`
		Days     []workday.Day `json:"days"`
	}{y.Year.Year, y.Source, y.Imported, days}, func(w io.Writer) {
		fmt.Fprintf(w, "%d: %s\n", y.Year.Year, y.Source)
		if y.Imported {
			fmt.Fprintln(w, e.text("cli.calendar.imported_by", localtime.DateTime(y.At, nil), y.By))
		} else {
			fmt.Fprintln(w, e.text("cli.calendar.built_in"))
		}
		for _, d := range days {
			if d.Working {
				fmt.Fprintln(w, e.text("cli.calendar.make_up", d.Date))
			} else {
				fmt.Fprintln(w, e.text("cli.calendar.off", d.Date, d.Holiday))
			}
		}
	})
}

// calendarCheck names each year the calendar lacks but needs (the current
// year, the next from 1 November, any year an open deadline depends on)
// and exits 3, as for a year not found, when there is one: deadlines are
// then provisional until the year is imported. For cron and monitoring.
func calendarCheck(e *env, args []string) error {
	fs := e.flags("calendar check", "[--at DAY]")
	at := fs.String("at", "", e.text("cli.flag.calendar_at"))
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	when := time.Now()
	if *at != "" {
		t, err := ledger.ParseTime(*at, localtime.Default(), false)
		if err != nil {
			return tally.FieldErrorf("at", "%v", err)
		}
		when = t
	}
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	gaps, err := svc.CalendarGaps(e.ctx, when)
	if err != nil {
		return err
	}
	err = e.print(struct {
		Gaps []ledger.CalendarGap `json:"gaps"`
	}{append([]ledger.CalendarGap{}, gaps...)}, func(w io.Writer) {
		if len(gaps) == 0 {
			fmt.Fprintln(w, e.text("cli.calendar.complete", localtime.Date(when, localtime.Default())))
		}
		for _, g := range gaps {
			fmt.Fprintln(w, g.Warning().In(e.cfg.Lang))
		}
	})
	if err == nil && len(gaps) > 0 {
		return &exitStatus{code: exitNotFound}
	}
	return err
}

// warnCalendarGaps logs, as a warning in the operator's language, each
// year tally calendar check names at instant at (zero: now): deadlines
// counted on it are provisional until it is imported. The server keeps
// serving.
func warnCalendarGaps(e *env, svc *ledger.Service, log *slog.Logger, at time.Time) {
	gaps, err := svc.CalendarGaps(e.ctx, at)
	if err != nil {
		log.ErrorContext(e.ctx, "calendar check", "err", err)
		return
	}
	for _, g := range gaps {
		log.WarnContext(e.ctx, g.Warning().In(e.cfg.Lang), "year", g.Year, "why", string(g.Why), "deadlines", g.Deadlines)
	}
}

// everyTick calls do at each tick until ctx ends: the server's daily
// calendar check.
func everyTick(ctx context.Context, tick <-chan time.Time, do func()) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick:
			do()
		}
	}
}
