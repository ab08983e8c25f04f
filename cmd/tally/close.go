package main

import (
	"fmt"
	"io"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/localtime"
	"github.com/tallycredit/tally/sheet"
)

// cmdClose freezes a scheme's month, showing progress on a terminal.
func cmdClose(e *env, args []string) error {
	fs := e.flags("close", "--scheme S --period YYYY-MM")
	scheme := fs.String("scheme", "", e.text("cli.flag.scheme"))
	period := fs.String("period", "", e.text("cli.flag.close_period"))
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	if *scheme == "" {
		return e.fieldErrorf("scheme", "cli.name_the_scheme")
	}
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	bar := e.bar(e.text("cli.progress.close", *scheme, *period))
	c, made, err := svc.Close(e.ctx, *scheme, *period, func(n, total int64) {
		bar.count(n, total, "cli.progress.unit_subjects", e.text("cli.progress.subjects_of", n, total))
	})
	bar.done()
	if err != nil {
		return err
	}
	return e.print(map[string]any{"close": c, "made": made}, func(w io.Writer) {
		how := e.text("cli.close.closed")
		if !made {
			how = e.text("cli.close.already")
		}
		fmt.Fprintln(w, e.text("cli.close.done", c.Scheme, c.Period, how, localtime.DateTime(c.ClosedAt, zoneOf(e, svc, c.Scheme)),
			c.ClosedBy, c.Subjects, c.Records, c.Late, c.Digest))
	})
}

// cmdSheet writes a closed month's tally sheet as CSV or an Excel
// workbook, or its totals per category.
func cmdSheet(e *env, args []string) error {
	fs := e.flags("sheet", "--scheme S --period YYYY-MM [--format csv|xlsx|totals] [--out FILE] [--lang zh|en]")
	scheme := fs.String("scheme", "", e.text("cli.flag.scheme"))
	period := fs.String("period", "", e.text("cli.flag.closed_period"))
	format := fs.String("format", "csv", e.text("cli.flag.sheet_format"))
	out := fs.String("out", "", e.text("cli.flag.out"))
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
		return e.fieldErrorf("format", "cli.sheet.bad_format", *format)
	})
}

// cmdRewards prints a closed month's distribution list with a signature
// column, as CSV.
func cmdRewards(e *env, args []string) error {
	fs := e.flags("rewards", "--scheme S --period YYYY-MM [--out FILE] [--lang zh|en]")
	scheme := fs.String("scheme", "", e.text("cli.flag.scheme"))
	period := fs.String("period", "", e.text("cli.flag.closed_period"))
	out := fs.String("out", "", e.text("cli.flag.out"))
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
	scheme := fs.String("scheme", "", e.text("cli.flag.scheme"))
	yes := fs.Bool("yes", false, e.text("cli.flag.publication_yes"))
	no := fs.Bool("no", false, e.text("cli.flag.publication_no"))
	how := fs.String("how", "", e.text("cli.flag.publication_how"))
	pos, err := e.parse(fs, args, "ID")
	if err != nil {
		return err
	}
	if *yes == *no {
		return e.fieldErrorf("yes", "cli.publication.one_of")
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
		said := "cli.publication.no"
		if *yes {
			said = "cli.publication.yes"
		}
		fmt.Fprintln(w, e.text(said, *scheme))
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
		return e.fileError(tally.EInvalid, "out", path, err)
	}
	if err := fn(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
