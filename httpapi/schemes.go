package httpapi

import (
	"github.com/tallycredit/tally/catalog"
	"io"
	"net/http"
	"sort"
	"strconv"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/rulebook"
	"github.com/tallycredit/tally/wire"
)

// limitParam reads ?limit=, bounded by ledger.MaxPage (default 100).
func limitParam(r *http.Request) (int, error) {
	v := r.URL.Query().Get("limit")
	if v == "" {
		return 100, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > ledger.MaxPage {
		return 0, tally.FieldErrorf("limit", "want a number from 1 to %d", ledger.MaxPage)
	}
	return n, nil
}

// idCursor reads ?cursor= for lists ordered by a numeric ID.
func idCursor(r *http.Request) (int64, error) {
	v := r.URL.Query().Get("cursor")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, tally.FieldErrorf("cursor", "not a cursor this API gave")
	}
	return n, nil
}

func (s *Server) listSchemes(r *http.Request) (int, any, error) {
	limit, err := limitParam(r)
	if err != nil {
		return 0, nil, err
	}
	all, err := s.svc.Schemes(r.Context())
	if err != nil {
		return 0, nil, err
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Scheme < all[j].Scheme })
	cursor := r.URL.Query().Get("cursor")
	out := wire.Page[wire.SchemeSummary]{Items: []wire.SchemeSummary{}}
	for _, v := range all {
		if v.Scheme <= cursor {
			continue
		}
		if len(out.Items) == limit {
			out.Next = out.Items[len(out.Items)-1].Scheme
			break
		}
		out.Items = append(out.Items, wire.SchemeSummary{Scheme: v.Scheme, Name: v.Book.Name, Version: v.Version,
			Effective: v.Effective, Subjects: v.Book.Subjects, Rules: len(v.Book.Rules)})
	}
	return http.StatusOK, out, nil
}

func (s *Server) getScheme(r *http.Request) (int, any, error) {
	vs, err := s.svc.Versions(r.Context(), r.PathValue("scheme"))
	if err != nil {
		return 0, nil, err
	}
	b := vs[len(vs)-1].Book
	out := wire.Scheme{Scheme: b.Scheme, Name: b.Name, Subjects: b.Subjects, Base: b.Base, Timezone: b.Location.String(),
		Grades: []wire.Grade{}, Board: b.Board, Categories: []wire.Category{}, Rules: []wire.Rule{}, Versions: []wire.Version{}}
	for _, g := range b.Grades {
		gv := wire.Grade{Grade: g.Grade}
		if g.HasMin {
			min := g.Min
			gv.Min = &min
		}
		out.Grades = append(out.Grades, gv)
	}
	for _, c := range b.Categories {
		out.Categories = append(out.Categories, wire.Category{Code: c.Code, Title: c.Title})
	}
	for _, rule := range b.Rules {
		out.Rules = append(out.Rules, viewRule(rule))
	}
	for _, v := range vs {
		out.Versions = append(out.Versions, versionOf(v.RulebookVersion))
	}
	return http.StatusOK, out, nil
}

func viewRule(r *rulebook.Rule) wire.Rule {
	v := wire.Rule{Code: r.Code, Title: r.Title, Category: r.Category, Facts: []wire.Fact{}, Points: r.Points, Effect: string(r.Effect),
		Lasts: r.Lasts.String(), Severity: r.Severity, Basis: r.Basis, Evidence: r.EvidenceRequired}
	if r.Cap != nil {
		v.Cap = &wire.Cap{Points: r.Cap.Points, Per: r.Cap.Per.String()}
	}
	for _, f := range r.Facts {
		v.Facts = append(v.Facts, wire.Fact{Name: f.Name, Type: string(f.Type), Unit: f.Unit, Min: f.Min, Max: f.Max})
	}
	return v
}

// getVersion returns one published version with its source text.
func (s *Server) getVersion(r *http.Request) (int, any, error) {
	vs, err := s.svc.Versions(r.Context(), r.PathValue("scheme"))
	if err != nil {
		return 0, nil, err
	}
	n, err := strconv.Atoi(r.PathValue("version"))
	if err != nil || n < 1 || n > len(vs) {
		return 0, nil, tally.Errorf(tally.ENotFound, "scheme %s has no version %q", r.PathValue("scheme"), r.PathValue("version"))
	}
	v := vs[n-1]
	return http.StatusOK, wire.VersionSource{Version: versionOf(v.RulebookVersion), Source: string(v.Source)}, nil
}

func versionOf(v tally.RulebookVersion) wire.Version {
	return wire.Version{Version: v.Version, Effective: v.Effective, PublishedAt: v.PublishedAt, PublishedBy: v.PublishedBy, Digest: v.Digest}
}

func (s *Server) statistics(r *http.Request) (int, any, error) {
	at, err := s.atParam(r, r.PathValue("scheme"))
	if err != nil {
		return 0, nil, err
	}
	d, err := s.svc.Statistics(r.Context(), r.PathValue("scheme"), at)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, d, nil
}

func lintOf(book *rulebook.Book, report rulebook.Report, lang string) wire.Lint {
	tr := catalog.Translator(lang)
	out := wire.Lint{OK: book != nil, Problems: []wire.Fault{}}
	if book != nil {
		out.Scheme = book.Scheme
	}
	for _, p := range report {
		out.Problems = append(out.Problems, wire.Fault{Line: p.Line, Rule: p.Rule, Field: p.Field, Message: p.Say(tr), Warning: p.Warning})
	}
	return out
}

// lintRulebook checks a rulebook sent as the body (YAML) for anyone.
func (s *Server) lintRulebook(r *http.Request) (int, any, error) {
	src, err := io.ReadAll(r.Body)
	if err != nil {
		return 0, nil, readError(err)
	}
	book, report := rulebook.Load("rulebook", src)
	return http.StatusOK, lintOf(book, report, langOf(r)), nil
}

// publishRulebook publishes the rulebook sent as the body (YAML).
func (s *Server) publishRulebook(r *http.Request) (int, any, error) {
	src, err := io.ReadAll(r.Body)
	if err != nil {
		return 0, nil, readError(err)
	}
	name := r.URL.Query().Get("filename")
	if name == "" {
		name = "rulebook"
	}
	pub, err := s.svc.Publish(r.Context(), name, src)
	if err != nil {
		if _, report := rulebook.Load(name, src); report.Err() != nil {
			// Refused for its content: give every problem with its line,
			// as lint does, beside the summary.
			return 0, nil, &withFaults{err, lintOf(nil, report.Errors(), langOf(r)).Problems}
		}
		return 0, nil, err
	}
	status := http.StatusCreated
	if pub.Unchanged {
		status = http.StatusOK
	}
	return status, wire.Published{Scheme: pub.Version.Scheme, Version: pub.Version.Version, Effective: pub.Version.Effective,
		Unchanged: pub.Unchanged, Warnings: lintOf(pub.Book, pub.Warnings, langOf(r)).Problems}, nil
}

// atParam reads ?at= in a scheme's time zone: a date means the end of that
// day; absent means now.
func (s *Server) atParam(r *http.Request, scheme string) (time.Time, error) {
	v := r.URL.Query().Get("at")
	if v == "" {
		return s.svc.Now(), nil
	}
	loc, err := s.svc.Location(r.Context(), scheme)
	if err != nil {
		return time.Time{}, err
	}
	at, err := ledger.ParseTime(v, loc, true)
	if err != nil {
		return time.Time{}, tally.FieldErrorf("at", "%v", err)
	}
	return at, nil
}
