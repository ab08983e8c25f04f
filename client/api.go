package client

import (
	"context"
	"io"
	"net/url"
	"strconv"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/wire"
)

// The request bodies callers build, and the history entry the CLI prints,
// under the names the client has always given them; every other body is
// named by package wire.
type (
	Conduct          = wire.Conduct
	Question         = wire.Question
	TokenRequest     = wire.TokenRequest
	ObjectionRequest = wire.ObjectionRequest
	DecisionRequest  = wire.DecisionRequest
	Entry            = wire.Entry
)

func pageQuery(cursor string, limit int) url.Values {
	q := url.Values{}
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	return q
}

// Schemes lists the published schemes (public).
func (c *Client) Schemes(ctx context.Context, cursor string, limit int) (*wire.Page[wire.SchemeSummary], error) {
	var out wire.Page[wire.SchemeSummary]
	return &out, c.getJSON(ctx, "/api/v1/schemes", pageQuery(cursor, limit), nil, &out)
}

// Scheme returns a scheme's rulebook in force (public).
func (c *Client) Scheme(ctx context.Context, scheme string) (*wire.Scheme, error) {
	var out wire.Scheme
	return &out, c.getJSON(ctx, "/api/v1/schemes/"+esc(scheme), nil, nil, &out)
}

// Version returns one published version of a scheme's rulebook with its
// source text (public).
func (c *Client) Version(ctx context.Context, scheme string, version int) (*wire.VersionSource, error) {
	var out wire.VersionSource
	return &out, c.getJSON(ctx, "/api/v1/schemes/"+esc(scheme)+"/versions/"+strconv.Itoa(version), nil, nil, &out)
}

// Lint checks a rulebook without publishing it (public).
func (c *Client) Lint(ctx context.Context, src []byte) (*wire.Lint, error) {
	var out wire.Lint
	return &out, c.do(ctx, "POST", "/api/v1/rulebooks/lint", nil, "application/yaml", bytesReader(src), nil, &out)
}

// Publish publishes a rulebook file (rule-makers of its scheme, admins).
func (c *Client) Publish(ctx context.Context, filename string, src []byte, opts *Options) (*wire.Published, error) {
	var out wire.Published
	q := url.Values{"filename": {filename}}
	return &out, c.do(ctx, "POST", "/api/v1/rulebooks", q, "application/yaml", bytesReader(src), opts, &out)
}

// AddSubject adds a person or organisation.
func (c *Client) AddSubject(ctx context.Context, kind tally.SubjectKind, id, name string, opts *Options) (*wire.Subject, error) {
	var out wire.Subject
	return &out, c.postJSON(ctx, "/api/v1/subjects", wire.SubjectRequest{Kind: kind, ID: id, Name: name}, opts, &out)
}

// Enrol enrols a subject in a scheme with their consent decision.
func (c *Client) Enrol(ctx context.Context, scheme, subject, unit string, consent bool, how string, opts *Options) (*wire.Enrolment, error) {
	var out wire.Enrolment
	in := wire.EnrolRequest{Subject: subject, Unit: unit, Consent: &consent, How: how}
	return &out, c.postJSON(ctx, "/api/v1/schemes/"+esc(scheme)+"/enrolments", in, opts, &out)
}

// Record records conduct in a scheme.
func (c *Client) Record(ctx context.Context, scheme string, in Conduct, opts *Options) (*wire.Recorded, error) {
	var out wire.Recorded
	return &out, c.postJSON(ctx, "/api/v1/schemes/"+esc(scheme)+"/records", in, opts, &out)
}

// Reverse reverses a record with a reason and the reversal's own ref.
func (c *Client) Reverse(ctx context.Context, scheme string, id int64, reason, ref string, opts *Options) (*wire.Recorded, error) {
	var out wire.Recorded
	path := "/api/v1/schemes/" + esc(scheme) + "/records/" + strconv.FormatInt(id, 10) + "/reversal"
	return &out, c.postJSON(ctx, path, wire.ReversalRequest{Reason: reason, Ref: ref}, opts, &out)
}

// Import sends a CSV ("text/csv") or JSON Lines ("application/jsonl") file.
func (c *Client) Import(ctx context.Context, contentType string, body io.Reader, opts *Options) (*wire.ImportReport, error) {
	var out wire.ImportReport
	return &out, c.do(ctx, "POST", "/api/v1/imports", nil, contentType, body, opts, &out)
}

func subjectPath(scheme, subject, what string) string {
	return "/api/v1/schemes/" + esc(scheme) + "/subjects/" + esc(subject) + "/" + what
}

// Score returns a subject's score (reviewers, admins with a purpose; the
// subject itself).
func (c *Client) Score(ctx context.Context, scheme, subject string, opts *Options) (*tally.Score, error) {
	var out tally.Score
	return &out, c.getJSON(ctx, subjectPath(scheme, subject, "score"), nil, opts, &out)
}

// Explain returns a score with every record in effect.
func (c *Client) Explain(ctx context.Context, scheme, subject string, opts *Options) (*wire.Explanation, error) {
	var out wire.Explanation
	return &out, c.getJSON(ctx, subjectPath(scheme, subject, "explanation"), nil, opts, &out)
}

// History returns a page of a subject's records, reversals included.
func (c *Client) History(ctx context.Context, scheme, subject, cursor string, limit int, opts *Options) (*wire.Page[Entry], error) {
	var out wire.Page[Entry]
	return &out, c.getJSON(ctx, subjectPath(scheme, subject, "records"), pageQuery(cursor, limit), opts, &out)
}

// AccessLog returns a page of who read or changed a subject's data (an
// admin states a purpose in opts).
func (c *Client) AccessLog(ctx context.Context, subject, cursor string, limit int, opts *Options) (*wire.Page[wire.Access], error) {
	var out wire.Page[wire.Access]
	return &out, c.getJSON(ctx, "/api/v1/subjects/"+esc(subject)+"/access-log", pageQuery(cursor, limit), opts, &out)
}

// Verify asks a yes/no question (verifiers).
func (c *Client) Verify(ctx context.Context, q Question) (*wire.Answer, error) {
	var out wire.Answer
	return &out, c.postJSON(ctx, "/api/v1/verify", q, nil, &out)
}

// Me returns who the token belongs to.
func (c *Client) Me(ctx context.Context) (*wire.Me, error) {
	var out wire.Me
	return &out, c.getJSON(ctx, "/api/v1/me", nil, nil, &out)
}

// Statistics returns a scheme's grade distribution (public), as a map of
// the fields of wire.Statistics: which of them carry a value depends on
// who asks (a total that would be one person's score is withheld).
func (c *Client) Statistics(ctx context.Context, scheme string, opts *Options) (map[string]any, error) {
	var out map[string]any
	return out, c.getJSON(ctx, "/api/v1/schemes/"+esc(scheme)+"/statistics", nil, opts, &out)
}

// CreateToken makes an API token (admins); its Token is the secret.
func (c *Client) CreateToken(ctx context.Context, in TokenRequest, opts *Options) (*wire.Token, error) {
	var out wire.Token
	return &out, c.postJSON(ctx, "/api/v1/tokens", in, opts, &out)
}

// Tokens lists a page of tokens (admins); their Token is empty, as the
// server never shows a secret again.
func (c *Client) Tokens(ctx context.Context, cursor string, limit int) (*wire.Page[wire.Token], error) {
	var out wire.Page[wire.Token]
	return &out, c.getJSON(ctx, "/api/v1/tokens", pageQuery(cursor, limit), nil, &out)
}

// RevokeToken revokes a token now (admins).
func (c *Client) RevokeToken(ctx context.Context, id int64, opts *Options) error {
	return c.do(ctx, "POST", "/api/v1/tokens/"+strconv.FormatInt(id, 10)+"/revocation", nil, "", nil, opts, nil)
}

// ImportSubjects sends a CSV file of subjects to add and enrol.
func (c *Client) ImportSubjects(ctx context.Context, body io.Reader, opts *Options) (*wire.PeopleReport, error) {
	var out wire.PeopleReport
	return &out, c.do(ctx, "POST", "/api/v1/subjects/imports", nil, "text/csv", body, opts, &out)
}
