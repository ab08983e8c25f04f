package httpapi

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/parse"
	"github.com/tallycredit/tally/wire"
)

// Problem is an RFC 9457 problem document (see wire.Problem), the body of
// every refusal and fault.
type Problem = wire.Problem

// The codes of problems the HTTP layer raises itself, beside the domain's
// invalid, not_found, conflict, forbidden and internal.
const (
	codeUnauthorized = "unauthorized"
	codeTooLarge     = "too_large"
	codeRateLimited  = "rate_limited"
	codeMalformed    = "malformed"
)

// statusOf maps each error code to its HTTP status: the one place that
// does so.
var statusOf = map[string]int{
	string(tally.EInvalid):     http.StatusBadRequest,
	codeMalformed:              http.StatusBadRequest,
	string(tally.ENotFound):    http.StatusNotFound,
	string(tally.EConflict):    http.StatusConflict,
	string(tally.EForbidden):   http.StatusForbidden,
	string(tally.EInternal):    http.StatusInternalServerError,
	string(tally.EUnavailable): http.StatusServiceUnavailable,
	codeUnauthorized:           http.StatusUnauthorized,
	codeTooLarge:               http.StatusRequestEntityTooLarge,
	codeRateLimited:            http.StatusTooManyRequests,
}

// problemOf turns an error into a problem document. Internal errors say
// nothing about their cause: it goes to the log, not to the client.
func problemOf(err error) Problem {
	var p *problemError
	if errors.As(err, &p) {
		return p.Problem
	}
	var fe *parse.FileError
	if errors.As(err, &fe) {
		return malformedFile(fe)
	}
	code := string(tally.ErrorCodeOf(err))
	pr := Problem{Code: code, Status: statusOf[code]}
	var te *tally.Error
	if errors.As(err, &te) && code != string(tally.EInternal) {
		pr.Detail, pr.Field, pr.Line = te.Message, te.Field, te.Line
	} else if code != string(tally.EInternal) {
		pr.Detail = err.Error()
	} else {
		pr.Detail = "an internal error occurred; it has been logged"
	}
	return fill(pr)
}

// malformedFile is the problem of an import file refused because rows
// cannot be read: every such row with its line, column and field.
func malformedFile(fe *parse.FileError) Problem {
	p := Problem{Code: string(tally.EInvalid), Status: statusOf[string(tally.EInvalid)], Detail: fe.Error(), Problems: []wire.Fault{}}
	if len(fe.Bad) > 0 {
		p.Line, p.Field = fe.Bad[0].Line, fe.Bad[0].Field
	}
	for _, b := range fe.Bad {
		p.Problems = append(p.Problems, wire.Fault{Line: b.Line, Column: b.Column, Cell: b.Cell, Field: b.Field, Message: b.Message})
	}
	return fill(p)
}

func fill(p Problem) Problem {
	if p.Status == 0 {
		p.Status = http.StatusInternalServerError
	}
	p.Type = "urn:tally:problem:" + p.Code
	p.Title = http.StatusText(p.Status)
	return p
}

// problemError is an error that is already a problem document.
type problemError struct{ Problem }

func (p *problemError) Error() string { return p.Detail }

// newProblem returns an error carrying a problem of the given code.
func newProblem(code, field, detail string) error {
	return &problemError{fill(Problem{Code: code, Status: statusOf[code], Field: field, Detail: detail})}
}

// retryAfter is the Retry-After of a 503 that sets none itself: seconds
// to wait before trying a database that did not answer again.
const retryAfter = "5"

// writeProblem sends a problem document, with the request's ID (set on
// the response by identify) and, for a 503, a Retry-After.
func writeProblem(w http.ResponseWriter, p Problem) {
	h := w.Header()
	p.RequestID = h.Get(RequestIDHeader)
	if p.Status == http.StatusServiceUnavailable && h.Get("Retry-After") == "" {
		h.Set("Retry-After", retryAfter)
	}
	h.Set("Content-Type", "application/problem+json")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}

// writeJSON sends a JSON body with a status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		writeProblem(w, problemOf(err))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)+1))
	w.WriteHeader(status)
	_, _ = w.Write(append(body, '\n'))
}
