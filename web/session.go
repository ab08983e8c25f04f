package web

import (
	"context"
	"crypto/subtle"
	"errors"
	"github.com/tallycredit/tally/catalog"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// sessionCookie holds a signed-in browser's session secret.
const sessionCookie = "tally_session"

// req is what a page knows about its request: the language, who is
// signed in (nil for nobody) with their session, the request's original
// body (read only once the sender is known) and the files its form
// carried.
type req struct {
	lang    string
	msgs    catalog.Catalogue
	actor   *tally.Actor
	session *tally.Session
	body    io.ReadCloser
	files   map[string][]byte // by field name, read by readForm
}

type reqKey struct{}

// withSession finds the signed-in actor, if any, for every page. Until a
// handler knows the sender may send more, a body is readable only up to
// Options.MaxPublicForm. Pages for someone signed in are not cached.
func (s *Server) withSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := &req{lang: pageLanguage(r), body: r.Body}
		q.msgs = s.msgs[q.lang]
		r.Body = http.MaxBytesReader(w, r.Body, s.opts.MaxPublicForm)
		if c, err := r.Cookie(sessionCookie); err == nil {
			actor, sess, err := s.svc.Session(r.Context(), c.Value)
			switch {
			case err == nil:
				q.actor, q.session = actor, sess
			case tally.ErrorCodeOf(err) == tally.EUnavailable:
				s.failErr(w, r, q, err)
				return
			case !errors.Is(err, ledger.ErrNoSession):
				s.logError(r, "session lookup failed", err)
			}
		}
		if q.actor != nil && !strings.HasPrefix(r.URL.Path, "/static/") {
			w.Header().Set("Cache-Control", "no-store")
		}
		ctx := context.WithValue(r.Context(), reqKey{}, q)
		if q.actor != nil {
			ctx = ledger.WithActor(ctx, q.actor)
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// reqOf returns the page's request details.
func reqOf(r *http.Request) *req {
	if q, ok := r.Context().Value(reqKey{}).(*req); ok {
		return q
	}
	return &req{lang: languages[0]}
}

// handler is a page that needs someone signed in.
type handler func(w http.ResponseWriter, r *http.Request, q *req)

// only admits those signed in with one of roles (any role when nil). A
// form sent after the session ended goes back to sign-in with what was
// typed, so nothing is lost; a form without its session's CSRF value is
// refused. Nothing of a form is read before the session and role are
// checked; then it is read under Options.MaxForm, and a file in it is
// refused.
func (s *Server) only(roles []tally.Role, h handler) http.Handler {
	return s.guard(roles, false, h)
}

// upload is only for a form that may carry a file (read into memory, at
// most ledger.MaxEvidence, into req.files). The form is streamed under
// Options.MaxUpload, each field under Options.MaxField, and the file is
// read only after the form's CSRF value, which must come before it.
func (s *Server) upload(roles []tally.Role, h handler) http.Handler {
	return s.guard(roles, true, h)
}

// errCSRF is a form whose CSRF value is not its session's.
var errCSRF = errors.New("the form's CSRF value is not the session's")

func (s *Server) guard(roles []tally.Role, files bool, h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := reqOf(r)
		if q.actor == nil {
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			s.signInAgain(w, r, q)
			return
		}
		if roles != nil && !slices.Contains(roles, q.actor.Role) {
			s.fail(w, r, q, http.StatusForbidden, q.msgs.Text("error.role"))
			return
		}
		if r.Method == http.MethodPost {
			csrf := func(form url.Values) bool {
				return subtle.ConstantTimeCompare([]byte(form.Get("csrf")), []byte(q.session.CSRF)) == 1
			}
			b := formBody{limit: s.opts.MaxForm, field: s.opts.MaxForm, onFile: func(url.Values) error { return errNoFile }}
			if files {
				b = formBody{limit: s.opts.MaxUpload, field: s.opts.MaxField, file: ledger.MaxEvidence, onFile: func(form url.Values) error {
					if !csrf(form) {
						return errCSRF
					}
					return nil
				}}
			}
			err := readForm(w, r, q, b)
			if err == nil && !csrf(r.PostForm) {
				err = errCSRF
			}
			switch {
			case errors.Is(err, errCSRF):
				s.fail(w, r, q, http.StatusForbidden, q.msgs.Text("error.csrf"))
				return
			case err != nil:
				s.formFailed(w, r, q, err)
				return
			}
		}
		h(w, r, q)
	})
}

// signInAgain shows the sign-in page for a form whose session has ended,
// carrying what was typed back to the form's page afterwards. Files and
// the old CSRF value are not carried: the form is read only up to its
// first file, and only up to Options.MaxPublicForm.
func (s *Server) signInAgain(w http.ResponseWriter, r *http.Request, q *req) {
	_ = readForm(w, r, q, formBody{limit: s.opts.MaxPublicForm, field: s.opts.MaxPublicForm,
		onFile: func(url.Values) error { return errStop }})
	carry := url.Values{}
	for k, v := range r.PostForm {
		if k != "csrf" {
			carry[k] = v
		}
	}
	next := strings.TrimSuffix(r.URL.Path, "/confirm")
	if enc := carry.Encode(); enc != "" {
		next += "?" + enc
	}
	s.render(w, r, q, http.StatusOK, "signin", signInView{Next: next, Expired: true})
}

// signInView is the sign-in form.
type signInView struct {
	Name    string
	Next    string
	Expired bool // a session ended while a form was being filled in
	Failed  bool
	Limited bool
}

func (s *Server) signInPage(w http.ResponseWriter, r *http.Request) {
	q := reqOf(r)
	s.render(w, r, q, http.StatusOK, "signin", signInView{Next: localPath(r.URL.Query().Get("next"))})
}

// signIn checks the password, sets the session cookie and goes on to the
// page asked for, or to the role's own page. The ledger limits wrong
// passwords per name and per client address; a sign-in it refuses for
// that gets 429 with Retry-After.
func (s *Server) signIn(w http.ResponseWriter, r *http.Request) {
	q := reqOf(r)
	name := strings.TrimSpace(r.PostFormValue("name"))
	view := signInView{Name: name, Next: localPath(r.PostFormValue("next"))}
	ctx := ledger.WithSource(r.Context(), clientAddr(r))
	secret, sess, err := s.svc.SignIn(ctx, name, r.PostFormValue("password"))
	var limited *ledger.LimitedError
	switch {
	case errors.As(err, &limited):
		retryAfter(w, limited, s.svc.Now())
		view.Limited = true
		s.render(w, r, q, http.StatusTooManyRequests, "signin", view)
		return
	case err != nil:
		if !errors.Is(err, ledger.ErrBadSignIn) {
			s.log.Error("sign-in failed", "err", err)
		}
		view.Failed = true
		s.render(w, r, q, http.StatusUnauthorized, "signin", view)
		return
	}
	// MaxAge, not Expires: a phone's clock may be wrong.
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: secret, Path: "/", MaxAge: int(sess.Expires.Sub(s.svc.Now()).Seconds()),
		HttpOnly: true, Secure: s.opts.SecureCookies, SameSite: http.SameSiteLaxMode})
	next := view.Next
	if next == "" {
		actor, _, err := s.svc.Session(r.Context(), secret)
		if err != nil {
			s.fail(w, r, q, http.StatusInternalServerError, q.msgs.Text("error.internal"))
			return
		}
		next = homeOf(actor.Role)
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// signOut ends the session. It needs the session's CSRF value, so that
// another site cannot sign a person out.
func (s *Server) signOut(w http.ResponseWriter, r *http.Request) {
	q := reqOf(r)
	if c, err := r.Cookie(sessionCookie); err == nil && q.session != nil {
		if subtle.ConstantTimeCompare([]byte(r.PostFormValue("csrf")), []byte(q.session.CSRF)) != 1 {
			s.fail(w, r, q, http.StatusForbidden, q.msgs.Text("error.csrf"))
			return
		}
		if err := s.svc.SignOut(r.Context(), c.Value); err != nil {
			s.log.Error("sign-out failed", "err", err)
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.opts.SecureCookies, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// homeOf is the page each role starts on.
func homeOf(role tally.Role) string {
	switch role {
	case tally.Recorder, tally.Agency:
		return "/record"
	case tally.SubjectR:
		return "/me"
	case tally.Reviewer:
		return "/review"
	case tally.Admin, tally.RuleMaker:
		return "/admin"
	}
	return "/"
}

// maxLocalPath bounds a redirect target taken from a request.
const maxLocalPath = 2048

// localPath returns p when it is a path on this site, else "", so that
// sign-in and the language switch cannot be used to send someone
// elsewhere. It judges p as a browser would read it: browsers drop TAB,
// CR and LF anywhere in a URL and read a backslash as a slash, so that
// "/<TAB>/evil.example" or "/\\evil.example" mean "//evil.example", another
// site. So p must start with one "/", and must have no ASCII control
// character and no backslash anywhere; its path, percent-decoded once,
// must have none either and no "//"; and net/url must find no scheme,
// host or user in it. A query or fragment may carry encoded control
// characters (a form's text carried through sign-in): a browser does not
// decode them.
func localPath(p string) string {
	if p == "" || len(p) > maxLocalPath || p[0] != '/' || unsafeInPath(p) {
		return ""
	}
	path, _, _ := strings.Cut(p, "?")
	path, _, _ = strings.Cut(path, "#")
	decoded, err := url.PathUnescape(path)
	if err != nil || unsafeInPath(decoded) || strings.Contains(decoded, "//") {
		return ""
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" ||
		!strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") {
		return ""
	}
	return p
}

// unsafeInPath reports whether s holds an ASCII control character, a
// space where a browser would trim it, or a backslash.
func unsafeInPath(s string) bool {
	if strings.HasSuffix(s, " ") {
		return true
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f || c == '\\' {
			return true
		}
	}
	return false
}

// switchLanguage remembers the language chosen and goes back to the page.
func (s *Server) switchLanguage(w http.ResponseWriter, r *http.Request) {
	lang := r.PathValue("lang")
	if !slices.Contains(languages, lang) {
		s.notFound(w, r)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		Secure: s.opts.SecureCookies, SameSite: http.SameSiteLaxMode})
	back := localPath(r.URL.Query().Get("back"))
	if back == "" {
		back = "/"
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// clientAddr is the address a request comes from, without its port: what
// the ledger counts wrong guesses against besides the name or ID typed.
// Behind a reverse proxy it is the proxy's address.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// retryAfter tells a client refused for too many wrong tries when to come
// back, in whole seconds (at least one).
func retryAfter(w http.ResponseWriter, e *ledger.LimitedError, now time.Time) {
	secs := int64(math.Ceil(e.Until.Sub(now).Seconds()))
	w.Header().Set("Retry-After", strconv.FormatInt(max(secs, 1), 10))
}
