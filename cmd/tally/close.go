package main

import (
	"fmt"
	"io"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/sheet"
)

// cmdClose freezes a scheme's month, showing progress on a terminal.
func cmdClose(e *env, args []string) error {
	fs := e.flags("close", "--scheme S --period YYYY-MM")
	scheme := fs.String("scheme", "", "the scheme")
	period := fs.String("period", "", "the month to close, e.g. 2026-11")
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	if *scheme == "" {
		return tally.FieldErrorf("scheme", "name the scheme")
	}
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	bar := newProgress(e.stderr, "close "+*scheme+" "+*period)
	c, made, err := svc.Close(e.ctx, *scheme, *period, func(n, total int64) { bar.show("%d of %d subjects", n, total) })
	bar.done()
	if err != nil {
		return err
	}
	return e.print(map[string]any{"close": c, "made": made}, func(w io.Writer) {
		how := "closed"
		if !made {
			how = "already closed"
		}
		fmt.Fprintf(w, "%s %s %s at %s by %s: %d subjects, %d records in the period, %d late\ndigest %s\nnext: tally sheet --scheme %s --period %s\n",
			c.Scheme, c.Period, how, c.ClosedAt.Format("2006-01-02 15:04"), c.ClosedBy, c.Subjects, c.Records, c.Late, c.Digest, c.Scheme, c.Period)
	})
}

// cmdSheet writes a closed month's tally sheet as CSV or an Excel
// workbook, or its totals per category.
func cmdSheet(e *env, args []string) error {
	fs := e.flags("sheet", "--scheme S --period YYYY-MM [--format csv|xlsx|totals] [--out FILE] [--lang zh|en]")
	scheme := fs.String("scheme", "", "the scheme")
	period := fs.String("period", "", "the closed month, e.g. 2026-11")
	format := fs.String("format", "csv", "csv (one line per subject), xlsx (a workbook with the sheet, totals and late records) or totals (CSV per unit and category)")
	out := fs.String("out", "", "the file to write (default: standard output)")
	lang := &e.docLang // set by the common --lang
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	s, err := svc.Sheet(e.ctx, *scheme, *period)
	if err != nil {
		return err
	}
	rows := func(fn func(*tally.CloseRow) error) error { return svc.EachCloseRow(e.ctx, *scheme, *period, fn) }
	return writeTo(e, *out, func(w io.Writer) error {
		switch *format {
		case "csv":
			return sheet.WriteCSV(w, s, rows, *lang)
		case "totals":
			return sheet.WriteTotalsCSV(w, s, *lang)
		case "xlsx":
			return sheet.WriteXLSX(w, s, rows, *lang)
		}
		return tally.FieldErrorf("format", "%q: want csv, xlsx or totals", *format)
	})
}

// cmdRewards prints a closed month's distribution list with a signature
// column, as CSV.
func cmdRewards(e *env, args []string) error {
	fs := e.flags("rewards", "--scheme S --period YYYY-MM [--out FILE] [--lang zh|en]")
	scheme := fs.String("scheme", "", "the scheme")
	period := fs.String("period", "", "the closed month")
	out := fs.String("out", "", "the file to write (default: standard output)")
	lang := &e.docLang // set by the common --lang
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	lines, err := svc.Rewards(e.ctx, *scheme, *period)
	if err != nil {
		return err
	}
	if e.cfg.JSON {
		return e.print(lines, nil)
	}
	return writeTo(e, *out, func(w io.Writer) error { return sheet.WriteRewardsCSV(w, lines, *lang) })
}

// cmdPublication records a subject's decision about the honour board.
func cmdPublication(e *env, args []string) error {
	fs := e.flags("publication", "ID --scheme S --yes|--no [--how TEXT]")
	scheme := fs.String("scheme", "", "the scheme")
	yes := fs.Bool("yes", false, "the subject agrees to appear on the honour board")
	no := fs.Bool("no", false, "the subject does not (the default until they agree)")
	how := fs.String("how", "", "how the decision was given, e.g. \"signed form\"")
	pos, err := e.parse(fs, args, "ID")
	if err != nil {
		return err
	}
	if *yes == *no {
		return tally.FieldErrorf("yes", "give exactly one of --yes and --no")
	}
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	if err := svc.SetPublication(e.ctx, *scheme, pos[0], *yes, *how); err != nil {
		return err
	}
	return e.print(map[string]any{"scheme": *scheme, "published": *yes}, func(w io.Writer) {
		fmt.Fprintf(w, "publication on the honour board of %s: %v (every board follows it at once)\n", *scheme, *yes)
	})
}

// writeTo calls fn with the file named path (created, replaced), or with
// standard output when path is empty.
func writeTo(e *env, path string, fn func(io.Writer) error) error {
	if path == "" {
		return fn(e.stdout)
	}
	f, err := createPrivate(path)
	if err != nil {
		return tally.FieldErrorf("out", "%v", err)
	}
	if err := fn(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
