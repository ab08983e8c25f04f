package web

import (
	"html/template"
	"net/http"
	"strconv"
	"time"

	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/rulebook"
	"github.com/tallycredit/tally/web/chart"
)

// home lists the schemes, for everyone.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	q := reqOf(r)
	schemes, err := s.svc.Schemes(r.Context())
	if err != nil {
		s.failErr(w, r, q, err)
		return
	}
	s.render(w, r, q, http.StatusOK, "home", schemes)
}

// rulebookView is a scheme's published rulebook, one version, with what
// changed from the version before.
type rulebookView struct {
	Versions []ledger.Version
	Version  ledger.Version
	Changes  []rulebook.Change
	HasPrev  bool
	Groups   []ruleGroup
}

func (s *Server) rulebookPage(w http.ResponseWriter, r *http.Request) {
	q := reqOf(r)
	versions, err := s.svc.Versions(r.Context(), r.PathValue("scheme"))
	if err != nil {
		s.failErr(w, r, q, err)
		return
	}
	i := len(versions) - 1
	if n, err := strconv.Atoi(r.URL.Query().Get("version")); err == nil {
		for j, v := range versions {
			if v.Version == n {
				i = j
			}
		}
	}
	v := rulebookView{Versions: versions, Version: versions[i]}
	if i > 0 {
		v.HasPrev = true
		v.Changes = rulebook.Diff(versions[i-1].Book, versions[i].Book)
	}
	book := versions[i].Book
	for _, c := range book.Categories {
		g := ruleGroup{Category: c}
		for _, rule := range book.Rules {
			if rule.Category == c.Code {
				g.Rules = append(g.Rules, rule)
			}
		}
		v.Groups = append(v.Groups, g)
	}
	s.render(w, r, q, http.StatusOK, "rulebook", v)
}

// statisticsView is a scheme's aggregates, as charts and tables.
type statisticsView struct {
	Book       *rulebook.Book
	Stats      *ledger.Statistics
	Categories []ledger.CategoryCount
	From       time.Time
	GradeChart template.HTML
	CatChart   template.HTML
	// Periods are the last closed months' distributions, oldest first,
	// with a chart each: how the grades moved from month to month.
	Periods      []ledger.PeriodDistribution
	PeriodCharts []template.HTML
}

// statisticsPage shows a scheme's grade distribution and records per
// category over the last year; small counts are withheld.
func (s *Server) statisticsPage(w http.ResponseWriter, r *http.Request) {
	q := reqOf(r)
	ctx := r.Context()
	scheme := r.PathValue("scheme")
	now := s.svc.Now()
	book, err := s.svc.BookInForce(ctx, scheme, now)
	if err != nil {
		s.failErr(w, r, q, err)
		return
	}
	v := statisticsView{Book: book, From: now.AddDate(-1, 0, 0).In(book.Location)}
	if v.Stats, err = s.svc.Statistics(ctx, scheme, now); err != nil {
		s.failErr(w, r, q, err)
		return
	}
	if v.Categories, err = s.svc.CategoryCounts(ctx, scheme, v.From, now); err != nil {
		s.failErr(w, r, q, err)
		return
	}
	withheld := q.msgs.Text("stats.withheld", ledger.MinCell)
	grades := chart.BarChart{Title: q.msgs.Text("stats.grades"), Desc: q.msgs.Text("stats.grades_desc"), WithheldText: withheld}
	for _, g := range v.Stats.Grades {
		b := chart.Bar{Label: g.Grade, Withheld: g.Subjects == nil}
		if g.Subjects != nil {
			b.Value = float64(*g.Subjects)
		}
		grades.Bars = append(grades.Bars, b)
	}
	cats := chart.BarChart{Title: q.msgs.Text("stats.categories"), Desc: q.msgs.Text("stats.categories_desc"), WithheldText: withheld}
	for _, c := range v.Categories {
		cats.Bars = append(cats.Bars, chart.Bar{Label: c.Title.In(q.lang), Value: float64(max(c.Records, 0)), Withheld: c.Records < 0})
	}
	if len(grades.Bars) > 0 {
		v.GradeChart = chart.Bars(grades)
	}
	v.CatChart = chart.Bars(cats)
	if v.Periods, err = s.svc.Distributions(ctx, scheme, 6); err != nil {
		s.failErr(w, r, q, err)
		return
	}
	v.PeriodCharts = s.distributionCharts(q, v.Periods)
	s.render(w, r, q, http.StatusOK, "statistics", v)
}
