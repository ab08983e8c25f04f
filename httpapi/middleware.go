package httpapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/catalog"
	"github.com/tallycredit/tally/ledger"
)

// handlerFunc is an API endpoint: it returns a status and a body to send
// as JSON, or an error to send as a problem.
type handlerFunc func(r *http.Request) (int, any, error)

// endpoint wraps an API handler with what every API request goes
// through, in order: no caching of answers that may be personal, a
// deadline, authentication, the rate limit, the body limit (an upload is
// refused to a caller without a token before a byte of it is read),
// idempotent replay, and the mapping of errors to problems.
func (s *Server) endpoint(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !publicReads[r.Pattern] {
			w.Header().Set("Cache-Control", "no-store")
		}
		ctx, cancel := context.WithTimeout(r.Context(), s.cfg.RequestTimeout)
		defer cancel()
		actor, err := s.authenticate(ctx, r)
		if err != nil {
			s.problem(w, r, err)
			return
		}
		if wait, ok := s.limiterOf(r).allow(limitKey(actor, r)); !ok {
			w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds()+0.999)))
			writeProblem(w, r, newProblem(codeRateLimited, "", "problem.rate_limited"))
			return
		}
		limit := s.cfg.MaxBody
		if uploads[r.Pattern] {
			if anonymous(actor) {
				w.Header().Set("WWW-Authenticate", `Bearer realm="tally"`)
				writeProblem(w, r, newProblem(codeUnauthorized, "", "problem.import_needs_token"))
				return
			}
			limit = s.cfg.MaxUpload
		}
		if r.ContentLength > limit {
			writeProblem(w, r, readError(&http.MaxBytesError{Limit: limit}))
			return
		}
		capped := &cappedBody{ReadCloser: http.MaxBytesReader(w, r.Body, limit)}
		r.Body = capped
		r = r.WithContext(ledger.WithActor(ctx, actor))
		setActorName(r, actor.Name)
		noted := func(r *http.Request) (int, any, error) {
			status, body, err := h(r)
			if capped.over != nil {
				// However the handler reported it, the body was cut short.
				status, body, err = 0, nil, readError(capped.over)
			}
			if err != nil && statusOfErr(err) >= 500 {
				noteError(r, err)
			}
			return status, body, err
		}
		// Only token holders get replays: the public has no key space of its own.
		if key := r.Header.Get("Idempotency-Key"); key != "" && r.Method == http.MethodPost && actor.TokenID != 0 {
			s.idempotent(w, r, actor, key, noted)
			return
		}
		status, body, err := noted(r)
		send(w, r, actor, status, body, err)
	})
}

// cappedBody remembers that its reader (an http.MaxBytesReader) hit the
// limit, so that the answer is a 413 even when a reader in between (a CSV
// parser, say) reported the cut as something else.
type cappedBody struct {
	io.ReadCloser
	over *http.MaxBytesError
}

func (c *cappedBody) Read(p []byte) (int, error) {
	n, err := c.ReadCloser.Read(p)
	if mb := (*http.MaxBytesError)(nil); errors.As(err, &mb) {
		c.over = mb
	}
	return n, err
}

// uploads are the routes whose body is a file (CSV or JSON Lines), allowed
// up to Config.MaxUpload bytes and only to token holders.
var uploads = map[string]bool{
	"POST /api/v1/imports":          true,
	"POST /api/v1/subjects/imports": true,
	"POST /api/v1/lists/imports":    true,
}

// publicReads are the routes whose answers hold nothing personal (the
// published rulebooks), so they may be cached; every other API answer is
// sent with Cache-Control: no-store.
var publicReads = map[string]bool{
	"GET /api/v1/schemes":                             true,
	"GET /api/v1/schemes/{scheme}":                    true,
	"GET /api/v1/schemes/{scheme}/versions/{version}": true,
}

// anonymous reports whether a is the public: no token, no role.
func anonymous(a *tally.Actor) bool { return a.TokenID == 0 && a.Role == tally.Public }

// problem sends err as a problem; a fault of the server (5xx) is noted
// for the request's log line.
func (s *Server) problem(w http.ResponseWriter, r *http.Request, err error) {
	status := statusOfErr(err)
	if status >= 500 {
		noteError(r, err)
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="tally"`)
	}
	writeProblem(w, r, err)
}

// send writes a handler's result. A refusal of an anonymous caller is a
// 401: it may be allowed with a token.
func send(w http.ResponseWriter, r *http.Request, actor *tally.Actor, status int, body any, err error) {
	if err != nil {
		if problemOf(err, catalog.Default).Code == string(tally.EForbidden) && anonymous(actor) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="tally"`)
			err = newProblem(codeUnauthorized, "", "problem.needs_token")
		}
		writeProblem(w, r, err)
		return
	}
	if b, ok := body.(served); ok {
		b.write(w, status)
		return
	}
	writeJSON(w, r, status, body)
}

// authenticate resolves the bearer token, if any, to an actor; without
// one the caller is the public.
func (s *Server) authenticate(ctx context.Context, r *http.Request) (*tally.Actor, error) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return ledger.ActorOf(ctx), nil
	}
	secret, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || strings.TrimSpace(secret) == "" {
		return nil, newProblem(codeUnauthorized, "Authorization", "problem.bearer_wanted")
	}
	a, err := s.svc.Authenticate(ctx, strings.TrimSpace(secret))
	if errors.Is(err, ledger.ErrBadToken) {
		return nil, newProblem(codeUnauthorized, "Authorization", "problem.bad_token")
	}
	return a, err
}

// limitKey is whom a request counts against: its token, or its address.
// tileRateFactor is how many more requests a second the transparency
// log's checkpoint and tiles allow than the rest of the API: a client or
// witness catching up reads thousands of small immutable tiles, each cheap
// to serve and cacheable, so the API's own rate would hold it to a crawl.
const tileRateFactor = 50

// tileRoutes are the routes tileLimits bounds.
var tileRoutes = map[string]bool{"GET /log/checkpoint": true, "GET /log/tile/{path...}": true}

// limiterOf returns the rate limiter for r's route.
func (s *Server) limiterOf(r *http.Request) *limiter {
	if tileRoutes[r.Pattern] {
		return s.tileLimits
	}
	return s.limits
}

func limitKey(a *tally.Actor, r *http.Request) string {
	if a.TokenID != 0 {
		return "token:" + strconv.FormatInt(a.TokenID, 10)
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return "addr:" + host
}

// requestNote carries what the endpoint learns (the actor's name, the
// error behind a 5xx) out to the request log, which runs outside it.
type requestNote struct {
	name string
	err  error
}

type requestNoteKey struct{}

func noteOf(r *http.Request) *requestNote {
	if n, ok := r.Context().Value(requestNoteKey{}).(*requestNote); ok {
		return n
	}
	return &requestNote{}
}

func setActorName(r *http.Request, name string) { noteOf(r).name = name }

func noteError(r *http.Request, err error) { noteOf(r).err = err }

// statusWriter remembers the status a handler sent.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// observe logs and counts every request by its route pattern, never by its
// path: paths hold identity numbers, which must not reach the logs. Each
// log line carries the request's ID; a 5xx is logged as an error with its
// cause.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		began := time.Now()
		note := &requestNote{}
		r = r.WithContext(context.WithValue(r.Context(), requestNoteKey{}, note))
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		route := r.Pattern
		if route == "" {
			route = "unmatched"
		}
		took := time.Since(began)
		s.metrics.observe(r.Method, route, sw.status, took)
		attrs := []any{"method", r.Method, "route", route, "status", sw.status, "ms", took.Milliseconds(),
			"actor", note.name, "request_id", RequestID(r.Context())}
		if sw.status >= 500 {
			if note.err != nil {
				attrs = append(attrs, "err", note.err.Error())
			}
			s.log.Error("request failed", attrs...)
			return
		}
		s.log.Info("request", attrs...)
	})
}

// recover turns a panic into a logged 500.
func (s *Server) recover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", "route", r.Pattern, "panic", fmt.Sprint(v), "request_id", RequestID(r.Context()))
				writeProblem(w, r, errors.New("panic"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}
