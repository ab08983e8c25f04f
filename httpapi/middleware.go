package httpapi

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// handlerFunc is an API endpoint: it returns a status and a body to send
// as JSON, or an error to send as a problem.
type handlerFunc func(r *http.Request) (int, any, error)

// endpoint wraps an API handler with what every API request goes
// through, in order: a deadline, authentication, the rate limit, the body
// limit, idempotent replay, and the mapping of errors to problems.
func (s *Server) endpoint(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), s.cfg.RequestTimeout)
		defer cancel()
		actor, err := s.authenticate(ctx, r)
		if err != nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="tally"`)
			writeProblem(w, problemOf(err))
			return
		}
		if wait, ok := s.limits.allow(limitKey(actor, r)); !ok {
			w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds()+0.999)))
			writeProblem(w, problemOf(newProblem(codeRateLimited, "", "too many requests; retry after the time in Retry-After")))
			return
		}
		limit := s.cfg.MaxBody
		if strings.HasSuffix(r.URL.Path, "/imports") { // records and subjects
			limit = s.cfg.MaxUpload
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		r = r.WithContext(ledger.WithActor(ctx, actor))
		setActorName(r, actor.Name)
		// Only token holders get replays: the public has no key space of its own.
		if key := r.Header.Get("Idempotency-Key"); key != "" && r.Method == http.MethodPost && actor.TokenID != 0 {
			s.idempotent(w, r, actor, key, h)
			return
		}
		status, body, err := h(r)
		send(w, actor, status, body, err)
	})
}

// send writes a handler's result. A refusal of an anonymous caller is a
// 401: it may be allowed with a token.
func send(w http.ResponseWriter, actor *tally.Actor, status int, body any, err error) {
	if err != nil {
		p := problemOf(err)
		if p.Code == string(tally.EForbidden) && actor.TokenID == 0 && actor.Role == tally.Public {
			w.Header().Set("WWW-Authenticate", `Bearer realm="tally"`)
			p = problemOf(newProblem(codeUnauthorized, "", "this needs an API token: send Authorization: Bearer TOKEN"))
		}
		writeProblem(w, p)
		return
	}
	writeJSON(w, status, body)
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
		return nil, newProblem(codeUnauthorized, "Authorization", "want Authorization: Bearer TOKEN")
	}
	a, err := s.svc.Authenticate(ctx, strings.TrimSpace(secret))
	if errors.Is(err, ledger.ErrBadToken) {
		return nil, newProblem(codeUnauthorized, "Authorization", "the token is unknown, expired or revoked")
	}
	return a, err
}

// limitKey is whom a request counts against: its token, or its address.
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

// actorNote carries the actor's name from the endpoint out to the request
// log, which runs outside it.
type actorNote struct{ name string }

type actorNoteKey struct{}

func setActorName(r *http.Request, name string) {
	if n, ok := r.Context().Value(actorNoteKey{}).(*actorNote); ok {
		n.name = name
	}
}

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
// path: paths hold identity numbers, which must not reach the logs.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		began := time.Now()
		note := &actorNote{}
		r = r.WithContext(context.WithValue(r.Context(), actorNoteKey{}, note))
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		route := r.Pattern
		if route == "" {
			route = "unmatched"
		}
		took := time.Since(began)
		s.metrics.observe(r.Method, route, sw.status, took)
		s.log.Info("request", "method", r.Method, "route", route, "status", sw.status, "ms", took.Milliseconds(), "actor", note.name)
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
				s.log.Error("panic", "route", r.Pattern, "panic", fmt.Sprint(v))
				writeProblem(w, problemOf(errors.New("panic")))
			}
		}()
		next.ServeHTTP(w, r)
	})
}
