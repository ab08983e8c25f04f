package web

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"

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
			s.fail(w, r, q, http.StatusNotFound, q.msgs.Text("board.none"))
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
			s.fail(w, r, q, http.StatusNotFound, q.msgs.Text("board.no_pdf"))
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
	v := closesView{Scheme: r.PostFormValue("scheme"), Period: plain(r.PostFormValue("period")), Errors: fieldErrors{}}
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

// sheetView is a closed month's tally sheet, one unit at a time on a
// phone or every unit at once for printing.
type sheetView struct {
	Sheet  *ledger.Sheet
	Units  []sheetUnit // every unit, for the picker
	Shown  []sheetUnit // the units on this page
	All    bool        // every unit is shown: the page to print
	Prev   *sheetUnit  // the units before and after the one shown, if any
	Next   *sheetUnit
	Totals [][]string // the totals per category over all units, then the grand total
}

// sheetUnit is one unit's part of a sheet: its people and their total,
// its totals per category and its distribution list.
type sheetUnit struct {
	sheet.Group
	Number  int // 1 for the first unit: the page's ?group=
	Totals  [][]string
	Rewards []ledger.RewardLine
}

// sheetPage shows a closed month's tally sheet: the first unit, the unit
// ?group=N, or with ?group=all every unit, ready to print (on A3, a unit
// a page). Each unit has its people in natural order of names, a total
// row, its totals per category and its distribution list with a
// signature column; then come the totals over all units and the late
// records.
func (s *Server) sheetPage(w http.ResponseWriter, r *http.Request, q *req) {
	ctx := r.Context()
	scheme, period := r.PathValue("scheme"), r.PathValue("period")
	sh, err := s.svc.Sheet(ctx, scheme, period)
	if err != nil {
		s.failErr(w, r, q, err)
		return
	}
	var rows []tally.CloseRow
	err = s.svc.EachCloseRow(ctx, scheme, period, func(row *tally.CloseRow) error {
		rows = append(rows, *row)
		return nil
	})
	if err != nil {
		s.failErr(w, r, q, err)
		return
	}
	rewards, err := s.svc.Rewards(ctx, scheme, period)
	if err != nil {
		s.failErr(w, r, q, err)
		return
	}
	v := sheetView{Sheet: sh}
	totals := sheet.TotalLines(sh, q.lang)
	for i, g := range sheet.Groups(rows) {
		u := sheetUnit{Group: g, Number: i + 1}
		for _, l := range totals {
			if l[0] == g.Unit {
				u.Totals = append(u.Totals, l)
			}
		}
		for _, rw := range rewards {
			if rw.Group == g.Unit {
				u.Rewards = append(u.Rewards, rw)
			}
		}
		v.Units = append(v.Units, u)
	}
	for _, l := range totals {
		if l[0] == "*" {
			v.Totals = append(v.Totals, l)
		}
	}
	if !v.pick(r.URL.Query().Get("group")) {
		s.notFound(w, r)
		return
	}
	s.render(w, r, q, http.StatusOK, "sheet", v)
}

// sheetPageRows is the most people a sheet shows on one page by default:
// a sheet of more shows one unit a page, so that a phone scrolls through
// a few dozen rows, not hundreds.
const sheetPageRows = 60

// pick chooses the units to show from ?group=: "all", a unit's number, or
// nothing for every unit of a small sheet and the first unit of a large
// one. It reports false for a unit that does not exist.
func (v *sheetView) pick(group string) bool {
	people := 0
	for _, u := range v.Units {
		people += len(u.Rows)
	}
	if group == "all" || group == "" && people <= sheetPageRows {
		v.All, v.Shown = true, v.Units
		return true
	}
	n := 1
	if group != "" {
		var err error
		if n, err = strconv.Atoi(group); err != nil || n < 1 || n > len(v.Units) {
			return false
		}
	}
	if len(v.Units) == 0 {
		return true
	}
	v.Shown = v.Units[n-1 : n]
	if n > 1 {
		v.Prev = &v.Units[n-2]
	}
	if n < len(v.Units) {
		v.Next = &v.Units[n]
	}
	return true
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
	withheld := q.msgs.Text("stats.withheld", ledger.MinCell)
	for _, d := range ds {
		c := chart.BarChart{Title: q.msgs.Text("stats.period_title", d.Period), Desc: q.msgs.Text("stats.period_desc", d.Period), WithheldText: withheld}
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
