package main

import (
	"fmt"
	"io"

	"github.com/tallycredit/tally/report"
)

// cmdBoard prints a closed month's honour board as text, or as an A3
// poster in SVG or PDF.
func cmdBoard(e *env, args []string) error {
	fs := e.flags("board", "--scheme S --period YYYY-MM [--top N] [--format text|svg|pdf] [--out FILE] [--lang zh|en] [--font FILE.ttf]")
	scheme := fs.String("scheme", "", e.text("cli.flag.scheme"))
	period := fs.String("period", "", e.text("cli.flag.closed_period"))
	top := fs.Int("top", 10, e.text("cli.flag.board_top"))
	format := fs.String("format", "text", e.text("cli.flag.board_format"))
	out := fs.String("out", "", e.text("cli.flag.out"))
	lang := &e.docLang // set by the common --lang
	font := fs.String("font", "", e.text("cli.flag.board_font", report.FontEnv))
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	b, err := svc.HonourBoard(e.ctx, *scheme, *period, *top)
	if err != nil {
		return err
	}
	switch *format {
	case "text":
		return e.print(b, func(w io.Writer) {
			fmt.Fprintln(w, e.text("cli.board.head", b.Name.In(*lang), b.Period, len(b.RoleModels), len(b.Entries)))
			for _, m := range b.Entries {
				fmt.Fprintln(w, e.text("cli.board.line", m.Rank, m.Name, m.Unit, m.Score, m.Flags, m.Stars))
			}
		})
	case "svg":
		return writeTo(e, *out, func(w io.Writer) error { _, err := w.Write(report.PosterSVG(b, *lang)); return err })
	case "pdf":
		path, err := report.FindFont(*font)
		if err != nil {
			return err
		}
		doc, err := report.PosterPDF(b, *lang, path)
		if err != nil {
			return err
		}
		return writeTo(e, *out, func(w io.Writer) error { _, err := w.Write(doc); return err })
	}
	return e.fieldErrorf("format", "cli.board.bad_format", *format)
}
