package web

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/report"
	"github.com/tallycredit/tally/sheet"
	"github.com/tallycredit/tally/web/chart"
)

// closers are the roles that close months and read tally sheets (the
// ledger checks the scheme).
var closers = ledger.RolesFor(ledger.OpClose)

// boardView is a closed month's public honour board.
type boardView struct {
	Board  *ledger.HonourBoard
	Poster template.HTML
	Closes []tally.Close
	PDF    bool
}

// boardPage shows a scheme's honour board: the month asked for, or the
// latest closed month.
func (s *Server) boardPage(w http.ResponseWriter, r *http.Request) {
	q := reqOf(r)
	scheme, period := r.PathValue("scheme"), r.PathValue("period")
	closes, err := s.svc.Closes(r.Context(), scheme)
	if err != nil {
		s.failErr(w, r, q, err)
		return
	}
	if period == "" {
		if len(closes) == 0 {
			s.fail(w, r, q, http.StatusNotFound, q.msgs.translate("board.none"))
			return
		}
		period = closes[len(closes)-1].Period
	}
	b, err := s.svc.HonourBoard(r.Context(), scheme, period, 0)
	if err != nil {
		s.failErr(w, r, q, err)
		return
	}
	v := boardView{Board: b, Poster: template.HTML(report.PosterSVG(b, q.lang)), Closes: closes, PDF: s.opts.Reports != nil}
	s.render(w, r, q, http.StatusOK, "board", v)
}

// boardPoster sends the A3 poster as SVG or, with a report font, PDF.
func (s *Server) boardPoster(w http.ResponseWriter, r *http.Request) {
	q := reqOf(r)
	b, err := s.svc.HonourBoard(r.Context(), r.PathValue("scheme"), r.PathValue("period"), 0)
	if err != nil {
		s.failErr(w, r, q, err)
		return
	}
	name := b.Scheme + "-" + b.Period + "-board"
	switch r.PathValue("format") {
	case "poster.svg":
		download(w, "image/svg+xml", name+".svg", report.PosterSVG(b, q.lang))
	case "poster.pdf":
		if s.opts.Reports == nil {
			s.fail(w, r, q, http.StatusNotFound, q.msgs.translate("board.no_pdf"))
			return
		}
		doc, err := report.PosterPDF(b, q.lang, s.opts.Reports.Font)
		if err != nil {
			s.failErr(w, r, q, err)
			return
		}
		download(w, "application/pdf", name+".pdf", doc)
	default:
		s.notFound(w, r)
	}
}

// download sends a file to save.
func download(w http.ResponseWriter, contentType, name string, body []byte) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name))
	h.Set("Cache-Control", "no-store")
	_, _ = w.Write(body)
}

// verifyPage tells whoever holds a printed report what was issued under
// its code.
func (s *Server) verifyPage(w http.ResponseWriter, r *http.Request) {
	q := reqOf(r)
	ctx := r.Context()
	if q.actor == nil {
		ctx = ledger.WithActor(ctx, &tally.Actor{Name: "public", Role: tally.Public})
	}
	issued, err := s.svc.VerifyReport(ctx, r.PathValue("code"))
	if tally.ErrorCodeOf(err) == tally.ENotFound {
		s.render(w, r, q, http.StatusNotFound, "verify", verifyView{Code: r.PathValue("code")})
		return
	}
	if err != nil {
		s.failErr(w, r, q, err)
		return
	}
	s.render(w, r, q, http.StatusOK, "verify", verifyView{Code: issued.Code, Issued: issued})
}

type verifyView struct {
	Code   string
	Issued *tally.IssuedReport
}

// closesView is the page to close a month and the list of closed months.
type closesView struct {
	Schemes []ledger.Version
	Closes  map[string][]tally.Close
	Scheme  string
	Period  string
	Errors  fieldErrors
}

func (s *Server) closesPage(w http.ResponseWriter, r *http.Request, q *req) {
	s.renderCloses(w, r, q, http.StatusOK, closesView{Errors: fieldErrors{}})
}

func (s *Server) renderCloses(w http.ResponseWriter, r *http.Request, q *req, status int, v closesView) {
	schemes, err := s.schemesOf(r.Context(), q.actor)
	if err != nil {
		s.failErr(w, r, q, err)
		return
	}
	v.Schemes, v.Closes = schemes, map[string][]tally.Close{}
	for _, sc := range schemes {
		if v.Closes[sc.Scheme], err = s.svc.Closes(r.Context(), sc.Scheme); err != nil {
			s.failErr(w, r, q, err)
			return
		}
	}
	s.render(w, r, q, status, "closes", v)
}

// closeMonth closes a month and shows its sheet.
func (s *Server) closeMonth(w http.ResponseWriter, r *http.Request, q *req) {
	v := closesView{Scheme: r.PostFormValue("scheme"), Period: strings.TrimSpace(r.PostFormValue("period")), Errors: fieldErrors{}}
	c, _, err := s.svc.Close(r.Context(), v.Scheme, v.Period, nil)
	if err != nil {
		if v.Errors.take(q, err, map[string]string{"period": "period", "scheme": "scheme"}) {
			s.renderCloses(w, r, q, http.StatusUnprocessableEntity, v)
			return
		}
		s.failErr(w, r, q, err)
		return
	}
	http.Redirect(w, r, "/closes/"+url.PathEscape(c.Scheme)+"/"+c.Period, http.StatusSeeOther)
}

// sheetView is a printable tally sheet.
type sheetView struct {
	Sheet   *ledger.Sheet
	Rows    []tally.CloseRow
	Totals  [][]string
	Rewards []ledger.RewardLine
}

// sheetPage shows a closed month's tally sheet, ready to print: every
// subject, the totals per unit and category, late records and the
// distribution list with a signature column.
func (s *Server) sheetPage(w http.ResponseWriter, r *http.Request, q *req) {
	ctx := r.Context()
	scheme, period := r.PathValue("scheme"), r.PathValue("period")
	sh, err := s.svc.Sheet(ctx, scheme, period)
	if err != nil {
		s.failErr(w, r, q, err)
		return
	}
	v := sheetView{Sheet: sh, Totals: sheet.TotalLines(sh, q.lang)}
	err = s.svc.EachCloseRow(ctx, scheme, period, func(row *tally.CloseRow) error {
		v.Rows = append(v.Rows, *row)
		return nil
	})
	if err != nil {
		s.failErr(w, r, q, err)
		return
	}
	if v.Rewards, err = s.svc.Rewards(ctx, scheme, period); err != nil {
		s.failErr(w, r, q, err)
		return
	}
	s.render(w, r, q, http.StatusOK, "sheet", v)
}

// sheetFile sends a closed month's sheet as CSV or xlsx, or its
// distribution list as CSV.
func (s *Server) sheetFile(w http.ResponseWriter, r *http.Request, q *req) {
	ctx := r.Context()
	scheme, period := r.PathValue("scheme"), r.PathValue("period")
	sh, err := s.svc.Sheet(ctx, scheme, period)
	if err != nil {
		s.failErr(w, r, q, err)
		return
	}
	rows := func(fn func(*tally.CloseRow) error) error { return s.svc.EachCloseRow(ctx, scheme, period, fn) }
	var buf bytes.Buffer
	name := sheet.Filename(sh)
	switch r.PathValue("file") {
	case "sheet.csv":
		err = sheet.WriteCSV(&buf, sh, rows, q.lang)
		download(w, "text/csv; charset=utf-8", name+".csv", buf.Bytes())
	case "totals.csv":
		err = sheet.WriteTotalsCSV(&buf, sh, q.lang)
		download(w, "text/csv; charset=utf-8", name+"-totals.csv", buf.Bytes())
	case "sheet.xlsx":
		err = sheet.WriteXLSX(&buf, sh, rows, q.lang)
		download(w, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name+".xlsx", buf.Bytes())
	case "rewards.csv":
		var lines []ledger.RewardLine
		if lines, err = s.svc.Rewards(ctx, scheme, period); err == nil {
			err = sheet.WriteRewardsCSV(&buf, lines, q.lang)
		}
		download(w, "text/csv; charset=utf-8", name+"-rewards.csv", buf.Bytes())
	default:
		s.notFound(w, r)
		return
	}
	if err != nil {
		s.log.Error("sheet file failed", "path", r.URL.Path, "err", err)
	}
}

// distributionCharts draws a scheme's grade distribution in each of its
// last closed months, and a table of the change from month to month.
func (s *Server) distributionCharts(q *req, ds []ledger.PeriodDistribution) []template.HTML {
	var out []template.HTML
	withheld := q.msgs.translate("stats.withheld", ledger.MinCell)
	for _, d := range ds {
		c := chart.BarChart{Title: q.msgs.translate("stats.period_title", d.Period), Desc: q.msgs.translate("stats.period_desc", d.Period), WithheldText: withheld}
		for _, b := range d.Buckets {
			bar := chart.Bar{Label: b.Grade, Withheld: b.Subjects == nil}
			if b.Subjects != nil {
				bar.Value = float64(*b.Subjects)
			}
			c.Bars = append(c.Bars, bar)
		}
		out = append(out, chart.Bars(c))
	}
	return out
}
