package httpapi

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/wire"
)

// readContext adds the stated purpose (?purpose=) to a read's context; the
// ledger refuses a read that needs one and has none.
func readContext(r *http.Request) *http.Request {
	return r.WithContext(ledger.WithPurpose(r.Context(), r.URL.Query().Get("purpose")))
}

func (s *Server) score(r *http.Request) (int, any, error) {
	return s.atInstant(r, func(ctx context.Context, scheme, subject string, at time.Time) (any, error) {
		return s.svc.Score(ctx, scheme, subject, at)
	})
}

func (s *Server) explanation(r *http.Request) (int, any, error) {
	return s.atInstant(r, func(ctx context.Context, scheme, subject string, at time.Time) (any, error) {
		return s.svc.Explain(ctx, scheme, subject, at)
	})
}

// atInstant serves a read of one subject at ?at= with the stated ?purpose=.
func (s *Server) atInstant(r *http.Request, read func(ctx context.Context, scheme, subject string, at time.Time) (any, error)) (int, any, error) {
	r = readContext(r)
	at, err := s.atParam(r, r.PathValue("scheme"))
	if err != nil {
		return 0, nil, err
	}
	out, err := read(r.Context(), r.PathValue("scheme"), r.PathValue("subject"), at)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, out, nil
}

func (s *Server) history(r *http.Request) (int, any, error) {
	r = readContext(r)
	return idPage(r, func(after int64, limit int) ([]ledger.Entry, error) {
		return s.svc.History(r.Context(), r.PathValue("scheme"), r.PathValue("subject"), after, limit)
	}, func(e ledger.Entry) int64 { return e.ID })
}

func (s *Server) accessLog(r *http.Request) (int, any, error) {
	r = readContext(r)
	return idPage(r, func(after int64, limit int) ([]ledger.AccessEntry, error) {
		return s.svc.AccessLog(r.Context(), r.PathValue("subject"), after, limit)
	}, func(e ledger.AccessEntry) int64 { return e.ID })
}

// idPage serves one page of a list ordered by ID: it reads ?cursor= and
// ?limit=, lists, and gives the next cursor when the page is full.
func idPage[T any](r *http.Request, list func(after int64, limit int) ([]T, error), id func(T) int64) (int, any, error) {
	limit, err := limitParam(r)
	if err != nil {
		return 0, nil, err
	}
	after, err := idCursor(r)
	if err != nil {
		return 0, nil, err
	}
	items, err := list(after, limit)
	if err != nil {
		return 0, nil, err
	}
	out := wire.Page[T]{Items: items}
	if out.Items == nil {
		out.Items = []T{}
	}
	if len(items) == limit {
		out.Next = strconv.FormatInt(id(items[len(items)-1]), 10)
	}
	return http.StatusOK, out, nil
}

// verify answers one yes/no question about one identifier.
func (s *Server) verify(r *http.Request) (int, any, error) {
	var in wire.Question
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	at := time.Time{}
	if in.At != "" {
		loc, err := s.svc.Location(r.Context(), in.Scheme)
		if err != nil {
			return 0, nil, err
		}
		if at, err = ledger.ParseTime(in.At, loc, true); err != nil {
			return 0, nil, tally.FieldErrorf("at", "%v", err)
		}
	}
	ctx := ledger.WithPurpose(r.Context(), in.Purpose)
	ans, err := s.svc.Verify(ctx, ledger.Question{Scheme: in.Scheme, Identifier: in.Subject, GradeAtLeast: in.GradeAtLeast, At: at})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, ans, nil
}

// me says who the token belongs to and what it may do.
func (s *Server) me(r *http.Request) (int, any, error) {
	a := ledger.ActorOf(r.Context())
	return http.StatusOK, wire.Me{Name: a.Name, Role: a.Role, Schemes: nonNil(a.Schemes), Rules: nonNil(a.Rules), Categories: nonNil(a.Categories)}, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
