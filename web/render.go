package web

import (
	"bytes"
	"embed"
	"fmt"
	"github.com/tallycredit/tally/catalog"
	"github.com/tallycredit/tally/rulebook"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/httpapi"
	"github.com/tallycredit/tally/localtime"
)

//go:embed templates/*.html
var templateFiles embed.FS

// view is what every template receives: the page's language, who is
// signed in, the CSRF value its forms carry, and the page's own data.
type view struct {
	Lang  string
	Other string // the language the switch offers
	Path  string // this page, to come back to after switching language
	Actor *tally.Actor
	CSRF  string
	Home  string // the signed-in role's own page
	Data  any
	zone  func() *time.Location
}

// Zone is the time zone the page's dates are shown in (see pageZone);
// templates pass it to date, datetime and stamp.
func (v view) Zone() *time.Location { return v.zone() }

// parseTemplates parses every page with the layout, once per language, so
// that the t function of a page speaks its language.
func (s *Server) parseTemplates() (map[string]map[string]*template.Template, error) {
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		return nil, err
	}
	out := map[string]map[string]*template.Template{}
	for _, lang := range languages {
		base, err := template.New("layout.html").Funcs(funcs(lang, s.msgs[lang])).ParseFS(templateFiles, "templates/layout.html")
		if err != nil {
			return nil, err
		}
		out[lang] = map[string]*template.Template{}
		for _, n := range names {
			name := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
			if name == "layout" {
				continue
			}
			t, err := template.Must(base.Clone()).ParseFS(templateFiles, n)
			if err != nil {
				return nil, err
			}
			out[lang][name] = t
		}
	}
	return out, nil
}

// funcs are the template functions of one language.
func funcs(lang string, msgs catalog.Catalogue) template.FuncMap {
	return template.FuncMap{
		"t":    msgs.Text,
		"tOr":  msgs.TextOr,
		"text": func(t tally.Text) string { return t.In(lang) },
		// problem is a rulebook's lint finding in the page's language.
		"problem": func(p rulebook.Problem) string { return p.Render(catalog.Translator(lang)) },
		// grade is a grade's name in the page language, as the rulebook
		// writes it when the catalogue has no translation (AAA, B); "—"
		// for none.
		"grade": func(v any) string {
			g, _ := v.(string)
			if p, ok := v.(*string); ok && p != nil {
				g = *p
			}
			if g == "" {
				return "—"
			}
			return msgs.TextOr("grade."+g, g)
		},
		// purpose is an access purpose the system states (record, review)
		// in the page language, or as the reader typed it.
		"purpose": func(p string) string { return msgs.TextOr("purpose."+p, p) },
		"date": func(zone *time.Location, v any) string {
			t, ok := v.(time.Time)
			if p, isPtr := v.(*time.Time); isPtr && p != nil {
				t, ok = *p, true
			}
			if !ok {
				return ""
			}
			return localtime.Date(t, zone)
		},
		"datetime": func(zone *time.Location, t time.Time) string { return localtime.DateTime(t, zone) },
		"stamp":    func(zone *time.Location, t time.Time) string { return localtime.Stamp(t, zone, lang) },
		"signed":   func(n int64) string { return fmt.Sprintf("%+d", n) },
		"neg":      func(n int64) int64 { return -n },
		"num": func(p *int64) string {
			if p == nil {
				return "—"
			}
			return strconv.FormatInt(*p, 10)
		},
		"str": func(p *string) string {
			if p == nil || *p == "" {
				return "—"
			}
			return *p
		},
		// query builds an encoded query string; its type keeps the
		// template from escaping it again inside an href.
		"query": func(kv ...string) template.URL {
			v := url.Values{}
			for i := 0; i+1 < len(kv); i += 2 {
				v.Set(kv[i], kv[i+1])
			}
			return template.URL(v.Encode())
		},
		"fieldOf": func(id, label, value string, errs fieldErrors) formField {
			return formField{ID: id, Name: strings.TrimPrefix(id, "token-"), Label: label, Value: value, Error: errs[strings.ReplaceAll(id, "-", "_")]}
		},
		"hasFile": func(evidence string) bool { return strings.HasPrefix(evidence, "sha256:") },
	}
}

// render writes a page in the request's language.
func (s *Server) render(w http.ResponseWriter, r *http.Request, q *req, status int, page string, data any) {
	t := s.pages[q.lang][page]
	if t == nil {
		s.log.Error("no such template", "page", page, "request_id", httpapi.RequestID(r.Context()))
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	v := view{Lang: q.lang, Other: "en", Path: r.URL.RequestURI(), Actor: q.actor, Data: data, zone: s.pageZone(r, data)}
	if catalog.Pick(q.lang) == "en" {
		v.Other = "zh"
	}
	if r.Method != http.MethodGet {
		v.Path = r.URL.Path
	}
	if q.session != nil {
		v.CSRF = q.session.CSRF
	}
	if q.actor != nil {
		v.Home = homeOf(q.actor.Role)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", v); err != nil {
		s.log.Error("template failed", "page", page, "err", err, "request_id", httpapi.RequestID(r.Context()))
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// formField is one labelled text input with its error, for the "field"
// template.
type formField struct {
	ID, Name, Label, Value, Error string
}

// message is the data of the plain message page.
type message struct {
	Title string
	Text  string
}

// fail shows a message page with a status; a 503 says when to try again.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, q *req, status int, text string) {
	if status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", unavailableRetryAfter)
	}
	s.render(w, r, q, status, "message", message{Title: q.msgs.Text("error.title"), Text: text})
}

// failErr shows an error from the ledger in the page's language: what
// kind of problem it is, then the ledger's own words.
func (s *Server) failErr(w http.ResponseWriter, r *http.Request, q *req, err error) {
	status, text := s.explainErr(q, err)
	if status >= 500 {
		s.logError(r, "page failed", err)
	}
	s.fail(w, r, q, status, text)
}

// explainErr maps a ledger error to a status and a sentence in the page's
// language, the ledger's detail following in the same language.
func (s *Server) explainErr(q *req, err error) (int, string) {
	code := tally.ErrorCodeOf(err)
	var status int
	switch code {
	case tally.EInvalid:
		status = http.StatusBadRequest
	case tally.ENotFound:
		status = http.StatusNotFound
	case tally.EConflict:
		status = http.StatusConflict
	case tally.EForbidden:
		status = http.StatusForbidden
	case tally.EUnavailable:
		return http.StatusServiceUnavailable, q.msgs.Text("error.unavailable")
	default:
		return http.StatusInternalServerError, q.msgs.Text("error.internal")
	}
	return status, q.explain(code, catalog.ErrorText(q.lang, err))
}

// explain is what kind of error code is, then its detail, in the page's
// language.
func (q *req) explain(code tally.ErrorCode, detail string) string {
	sep := ""
	if catalog.Pick(q.lang) == "en" {
		sep = " "
	}
	return q.msgs.Text("error."+string(code)) + sep + detail
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	q := reqOf(r)
	s.fail(w, r, q, http.StatusNotFound, q.msgs.Text("error.not_found_page"))
}

// unavailableRetryAfter is the Retry-After of a 503: seconds to wait before trying a
// database that did not answer again.
const unavailableRetryAfter = "5"

// logError logs a failure of a page with the request's path and ID.
func (s *Server) logError(r *http.Request, msg string, err error) {
	s.log.Error(msg, "path", r.URL.Path, "err", err, "request_id", httpapi.RequestID(r.Context()))
}
