package httpapi

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/catalog"
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
// does so. Each code has a title (problem.title.CODE) in the catalogue.
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

// texts is the message catalogue the problems are read from; it is
// embedded and never changes.
var texts = catalog.MustLoad()

// langOf is the language a request reads problems in: as its
// Accept-Language asks, Chinese when it asks for neither.
func langOf(r *http.Request) string {
	return catalog.Negotiate(r.Header.Get("Accept-Language"))
}

// problemOf turns an error into a problem document whose title and detail
// are in lang; its type, code, status and field stay the same in every
// language, for clients to act on. Internal errors say nothing about their
// cause: it goes to the log, not to the client.
func problemOf(err error, lang string) Problem {
	c := texts.In(lang)
	var wf *withFaults
	if errors.As(err, &wf) {
		p := problemOf(wf.error, lang)
		p.Problems = wf.faults
		return p
	}
	var p *problemError
	if errors.As(err, &p) {
		return fill(Problem{Code: p.code, Field: p.field, Detail: c.Text(p.key, p.args...)}, c)
	}
	var fe *parse.FileError
	if errors.As(err, &fe) {
		return malformedFile(fe, lang)
	}
	code := string(tally.ErrorCodeOf(err))
	pr := Problem{Code: code}
	var te *tally.Error
	switch {
	case code == string(tally.EInternal):
		pr.Detail = c.Text("problem.detail.internal")
	case errors.As(err, &te):
		pr.Detail, pr.Field, pr.Line = c.Text("problem.detail."+code, catalog.ErrorDetail(lang, err)), te.Field, te.Line
	default:
		pr.Detail = c.Text("problem.detail."+code, catalog.ErrorText(lang, err))
	}
	return fill(pr, c)
}

// statusOfErr is the HTTP status err is answered with.
func statusOfErr(err error) int {
	return problemOf(err, catalog.Default).Status
}

// malformedFile is the problem of an import file refused because rows
// cannot be read: every such row with its line, column and field, and
// what is wrong with it in lang.
func malformedFile(fe *parse.FileError, lang string) Problem {
	c, tr := texts.In(lang), catalog.Translator(lang)
	p := Problem{Code: string(tally.EInvalid), Problems: []wire.Fault{}}
	if len(fe.Bad) > 0 {
		p.Line, p.Field = fe.Bad[0].Line, fe.Bad[0].Field
		p.Detail = c.Text("problem.file_malformed", where(fe.Bad[0], c, tr))
		if fe.Count > 1 {
			p.Detail += c.Text("problem.file_malformed_more", fe.Count-1)
		}
	} else {
		p.Detail = c.Text("problem.file_malformed_none")
	}
	for _, b := range fe.Bad {
		p.Problems = append(p.Problems, wire.Fault{Line: b.Line, Column: b.Column, Cell: b.Cell, Field: b.Field, Message: b.Say(tr)})
	}
	return fill(p, c)
}

// where says where in a file a malformed row is, and what is wrong with it.
func where(b parse.RowError, c catalog.Catalogue, tr tally.Translator) string {
	at := c.Text("problem.at_line", b.Line)
	if b.Cell != "" {
		at = c.Text("problem.at_cell", b.Line, b.Cell)
	} else if b.Column > 0 {
		at = c.Text("problem.at_column", b.Line, b.Column)
	}
	if b.Field != "" {
		return c.Text("problem.at_field", at, b.Field, b.Say(tr))
	}
	return c.Text("problem.at", at, b.Say(tr))
}

// fill completes a problem from its code: status, type and title.
func fill(p Problem, c catalog.Catalogue) Problem {
	p.Status = statusOf[p.Code]
	if p.Status == 0 {
		p.Code, p.Status = string(tally.EInternal), http.StatusInternalServerError
	}
	p.Type = "urn:tally:problem:" + p.Code
	p.Title = c.Text("problem.title." + p.Code)
	return p
}

// problemError is a problem the HTTP layer raises itself: its code, the
// input at fault, and what it says, as a catalogue key with the data the
// sentence embeds (a field name, a size), read in the request's language
// when it is sent.
type problemError struct {
	code, field string
	key         string
	args        []any
}

// Error is the problem's detail in English, for the log.
func (p *problemError) Error() string { return texts.In("en").Text(p.key, p.args...) }

// newProblem returns an error carrying a problem of the given code that
// says the catalogue's text key, with args.
func newProblem(code, field, key string, args ...any) error {
	return &problemError{code: code, field: field, key: key, args: args}
}

// withFaults is a refusal with every fault found beside it, such as each
// problem of a refused rulebook with its line.
type withFaults struct {
	error
	faults []wire.Fault
}

func (w *withFaults) Unwrap() error { return w.error }

// retryAfter is the Retry-After of a 503 that sets none itself: seconds
// to wait before trying a database that did not answer again.
const retryAfter = "5"

// writeProblem sends err as a problem document in the request's language,
// with the request's ID (set on the response by identify) and, for a 503,
// a Retry-After.
func writeProblem(w http.ResponseWriter, r *http.Request, err error) {
	p := problemOf(err, langOf(r))
	h := w.Header()
	p.RequestID = h.Get(RequestIDHeader)
	if p.Status == http.StatusServiceUnavailable && h.Get("Retry-After") == "" {
		h.Set("Retry-After", retryAfter)
	}
	h.Set("Content-Type", "application/problem+json")
	h.Set("Content-Language", langOf(r))
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}

// writeJSON sends a JSON body with a status.
func writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	body, ok := v.(encodedJSON)
	if !ok {
		var err error
		if body, err = json.Marshal(v); err != nil {
			writeProblem(w, r, err)
			return
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)+1))
	w.WriteHeader(status)
	_, _ = w.Write(append(body, '\n'))
}
