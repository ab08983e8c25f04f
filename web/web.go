// Package web serves tally's pages: server-rendered HTML in Chinese and
// English for recorders, residents, reviewers, administrators and the
// public. Pages use html/template (parsed once at start), a small style
// sheet and no JavaScript, so that they work on a cheap phone. Every
// action goes through the ledger, which decides who may do what; this
// package only signs people in, shows forms and explains errors.
package web

import (
	"embed"
	"fmt"
	"github.com/tallycredit/tally/catalog"
	"html/template"
	"log/slog"
	"net/http"
	"time"

	"github.com/tallycredit/tally/httpapi"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/report"
)

//go:embed static
var static embed.FS

// Options tunes the pages.
type Options struct {
	// SecureCookies marks cookies Secure: set it whenever the pages are
	// served over HTTPS (directly or behind a proxy).
	SecureCookies bool
	// Reports issues credit reports at the kiosk and prints posters; nil
	// turns the kiosk and PDF posters off.
	Reports *report.Issuer
	// Body limits in bytes (zero: the DefaultMax... constants of body.go).
	// MaxPublicForm caps a form sent without a session; MaxForm a
	// signed-in form without a file; MaxUpload a signed-in form with a
	// file; MaxField each field of a form with a file. A form over its
	// limit is answered 413.
	MaxPublicForm, MaxForm, MaxUpload, MaxField int64
	// KioskTimeout is how long a kiosk session lasts once the report is
	// ready: then the page goes back to an empty kiosk and the report's
	// link stops working (zero: DefaultKioskTimeout).
	KioskTimeout time.Duration
}

// Server serves the pages. It is safe for concurrent use.
type Server struct {
	svc     *ledger.Service
	log     *slog.Logger
	opts    Options
	msgs    catalog.Set
	pages   map[string]map[string]*template.Template // by language, then page
	handler http.Handler
	kiosk   kioskSessions
}

// New parses the templates and message catalogues and returns the pages'
// handler; it fails when a template or catalogue is broken.
func New(svc *ledger.Service, log *slog.Logger, opts Options) (*Server, error) {
	opts.defaults()
	msgs, err := catalog.Load()
	if err != nil {
		return nil, err
	}
	s := &Server{svc: svc, log: log, opts: opts, msgs: msgs}
	if s.pages, err = s.parseTemplates(); err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	s.routes(mux)
	cop := http.NewCrossOriginProtection()
	s.handler = httpapi.Identify(s.recover(headers(cop.Handler(s.withSession(mux)))))
	return s, nil
}

// ServeHTTP serves the pages.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// routes is the page table: every page and who may see it.
func (s *Server) routes(mux *http.ServeMux) {
	mux.Handle("GET /static/", http.FileServerFS(static))
	mux.HandleFunc("GET /{$}", s.home)
	mux.HandleFunc("GET /lang/{lang}", s.switchLanguage)
	mux.HandleFunc("GET /signin", s.signInPage)
	mux.HandleFunc("POST /signin", s.signIn)
	mux.HandleFunc("POST /signout", s.signOut)
	// Public: rulebooks and aggregate statistics.
	mux.HandleFunc("GET /schemes/{scheme}", s.rulebookPage)
	mux.HandleFunc("GET /schemes/{scheme}/statistics", s.statisticsPage)
	mux.HandleFunc("GET /schemes/{scheme}/board", s.boardPage)
	mux.HandleFunc("GET /schemes/{scheme}/board/{period}", s.boardPage)
	mux.HandleFunc("GET /schemes/{scheme}/board/{period}/{format}", s.boardPoster)
	mux.HandleFunc("GET /agreements", s.agreementsPage)
	mux.HandleFunc("GET /verify", s.verifyPage)
	mux.HandleFunc("GET /verify/{code}", s.verifyPage)
	// The kiosk: a resident with a one-time code prints their report.
	mux.HandleFunc("GET /kiosk", s.kioskPage)
	mux.HandleFunc("POST /kiosk", s.kioskReport)
	mux.HandleFunc("GET /kiosk/report/{session}", s.kioskDocument)
	mux.HandleFunc("POST /kiosk/end", s.kioskEnd)
	// Recorders and agencies.
	rec := ledger.RolesFor(ledger.OpRecord)
	mux.Handle("GET /record", s.only(rec, s.findPage))
	mux.Handle("GET /record/today", s.only(rec, s.todayPage))
	mux.Handle("GET /record/{scheme}/{subject}", s.only(rec, s.rulesPage))
	mux.Handle("GET /record/{scheme}/{subject}/{rule}", s.only(rec, s.conductForm))
	mux.Handle("POST /record/{scheme}/{subject}/{rule}", s.upload(rec, s.conductCheck))
	mux.Handle("POST /record/{scheme}/{subject}/{rule}/confirm", s.only(rec, s.conductConfirm))
	mux.Handle("GET /undo/{scheme}/{id}", s.only(rec, s.undoForm))
	mux.Handle("POST /undo/{scheme}/{id}", s.only(rec, s.undo))
	// Clerks: add and enrol people, record their consents (people.go).
	clerk := ledger.RolesFor(ledger.OpEnrol)
	mux.Handle("GET /people", s.only(clerk, s.peoplePage))
	mux.Handle("POST /people", s.only(clerk, s.peopleAdd))
	mux.Handle("GET /people/{scheme}/{subject}", s.only(ledger.RolesFor(ledger.OpSetConsent), s.consentPage))
	mux.Handle("POST /people/{scheme}/{subject}/{what}", s.only(ledger.RolesFor(ledger.OpSetConsent), s.consentSet))
	// Anyone signed in who may read the record it belongs to.
	mux.Handle("GET /evidence/{scheme}/{id}", s.only(nil, s.evidence))
	// Residents.
	mux.Handle("GET /me", s.only(ledger.RolesFor(ledger.OpReadOwnPage), s.mePage))
	mux.Handle("POST /me/consent", s.only(ledger.RolesFor(ledger.OpReadOwnPage), s.consent))
	mux.Handle("POST /me/publication", s.only(ledger.RolesFor(ledger.OpReadOwnPage), s.publication))
	mux.Handle("POST /me/objections", s.only(ledger.RolesFor(ledger.OpReadOwnPage), s.meObject))
	mux.Handle("POST /me/objections/{id}/appeal", s.only(ledger.RolesFor(ledger.OpReadOwnPage), s.meAppeal))
	mux.Handle("POST /me/report", s.only(ledger.RolesFor(ledger.OpReadOwnPage), s.meReport))
	mux.Handle("POST /me/special-report", s.only(ledger.RolesFor(ledger.OpReadOwnPage), s.meSpecialReport))
	mux.Handle("POST /me/notices/{id}/acknowledge", s.only(ledger.RolesFor(ledger.OpReadOwnPage), s.meAcknowledge))
	mux.Handle("POST /me/repairs", s.only(ledger.RolesFor(ledger.OpReadOwnPage), s.meRepair))
	// Reviewers.
	rev := ledger.RolesFor(ledger.OpReview)
	mux.Handle("GET /review", s.only(rev, s.reviewPage))
	mux.Handle("GET /review/person", s.only(rev, s.personPage))
	mux.Handle("POST /review/{scheme}/{id}/reverse", s.only(rev, s.reviewReverse))
	mux.Handle("POST /review/held/{id}/approve", s.only(rev, s.reviewHold(true)))
	mux.Handle("POST /review/held/{id}/reject", s.only(rev, s.reviewHold(false)))
	mux.Handle("POST /review/objections/{id}/decide", s.only(rev, s.reviewDecide))
	mux.Handle("POST /review/repairs/{id}/decide", s.only(rev, s.reviewDecideRepair))
	mux.Handle("POST /review/repairs", s.only(ledger.RolesFor(ledger.OpApplyRepair), s.reviewApplyRepair))
	// Administrators (and rule-makers, for rulebooks).
	adm := ledger.RolesFor(ledger.OpPublishRulebook)
	mux.Handle("GET /admin", s.only(adm, s.adminPage))
	mux.Handle("POST /admin/rulebooks", s.only(adm, s.adminRulebook))
	mux.Handle("POST /admin/accounts", s.only(ledger.RolesFor(ledger.OpManageAccounts), s.adminCreateAccount))
	mux.Handle("POST /admin/accounts/{name}/disable", s.only(ledger.RolesFor(ledger.OpManageAccounts), s.adminDisableAccount))
	mux.Handle("POST /admin/tokens", s.only(ledger.RolesFor(ledger.OpManageTokens), s.adminCreateToken))
	mux.Handle("POST /admin/tokens/{id}/revoke", s.only(ledger.RolesFor(ledger.OpManageTokens), s.adminRevokeToken))
	// Month closes and tally sheets (close.go); one-time kiosk codes.
	mux.Handle("GET /closes", s.only(closers, s.closesPage))
	mux.Handle("POST /closes", s.only(closers, s.closeMonth))
	mux.Handle("GET /closes/{scheme}/{period}", s.only(closers, s.sheetPage))
	mux.Handle("GET /closes/{scheme}/{period}/{file}", s.only(closers, s.sheetFile))
	mux.Handle("GET /kiosk/codes", s.only(ledger.RolesFor(ledger.OpIssueKioskCode), s.kioskCodesPage))
	mux.Handle("POST /kiosk/codes", s.only(ledger.RolesFor(ledger.OpIssueKioskCode), s.kioskIssueCode))
	mux.HandleFunc("/", s.notFound)
}

// headers sets the security headers every page carries. The content
// policy allows no script at all and only this site's style sheet.
func headers(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		next.ServeHTTP(w, r)
	})
}

// recover turns a panic in a handler into a logged 500.
func (s *Server) recover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("page panicked", "path", r.URL.Path, "panic", fmt.Sprint(v), "request_id", httpapi.RequestID(r.Context()))
				http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}
