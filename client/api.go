package client

import (
	"context"
	"io"
	"net/url"
	"strconv"
	"time"

	"github.com/tallycredit/tally"
)

// Page is one page of a list; Next is the cursor of the next page, "" at
// the end.
type Page[T any] struct {
	Items []T    `json:"items"`
	Next  string `json:"next_cursor"`
}

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

// SchemeSummary is one scheme in the list of schemes.
type SchemeSummary struct {
	Scheme    string              `json:"scheme"`
	Name      tally.Text          `json:"name"`
	Version   int                 `json:"version"`
	Effective time.Time           `json:"effective"`
	Subjects  []tally.SubjectKind `json:"subjects"`
	Rules     int                 `json:"rules"`
}

// Schemes lists the published schemes (public).
func (c *Client) Schemes(ctx context.Context, cursor string, limit int) (*Page[SchemeSummary], error) {
	var out Page[SchemeSummary]
	return &out, c.getJSON(ctx, "/api/v1/schemes", pageQuery(cursor, limit), nil, &out)
}

// Rule is a rule as the API shows it.
type Rule struct {
	Code     string         `json:"code"`
	Title    tally.Text     `json:"title"`
	Category string         `json:"category"`
	Points   string         `json:"points"`
	Effect   string         `json:"effect"`
	Lasts    string         `json:"lasts"`
	Severity tally.Severity `json:"severity"`
	Basis    string         `json:"basis"`
	Evidence bool           `json:"evidence_required"`
	Cap      *struct {
		Points int64  `json:"points"`
		Per    string `json:"per"`
	} `json:"cap"`
	Facts []struct {
		Name string     `json:"name"`
		Type string     `json:"type"`
		Unit tally.Text `json:"unit"`
	} `json:"facts"`
}

// Version is one published rulebook version.
type Version struct {
	Version     int       `json:"version"`
	Effective   time.Time `json:"effective"`
	PublishedAt time.Time `json:"published_at"`
	PublishedBy string    `json:"published_by"`
	Digest      string    `json:"digest"`
	Source      string    `json:"source"`
}

// Scheme is a scheme's rulebook in force, with its versions.
type Scheme struct {
	Scheme   string              `json:"scheme"`
	Name     tally.Text          `json:"name"`
	Subjects []tally.SubjectKind `json:"subjects"`
	Base     int64               `json:"base"`
	Timezone string              `json:"timezone"`
	Rules    []Rule              `json:"rules"`
	Versions []Version           `json:"versions"`
}

// Scheme returns a scheme's rulebook in force (public).
func (c *Client) Scheme(ctx context.Context, scheme string) (*Scheme, error) {
	var out Scheme
	return &out, c.getJSON(ctx, "/api/v1/schemes/"+esc(scheme), nil, nil, &out)
}

// Published is the outcome of publishing a rulebook.
type Published struct {
	Scheme    string    `json:"scheme"`
	Version   int       `json:"version"`
	Effective time.Time `json:"effective"`
	Unchanged bool      `json:"unchanged"`
}

// Publish publishes a rulebook file (rule-makers of its scheme, admins).
func (c *Client) Publish(ctx context.Context, filename string, src []byte, opts *Options) (*Published, error) {
	var out Published
	q := url.Values{"filename": {filename}}
	return &out, c.do(ctx, "POST", "/api/v1/rulebooks", q, "application/yaml", bytesReader(src), opts, &out)
}

// Subject is a subject as the API shows it: masked.
type Subject struct {
	Kind    tally.SubjectKind `json:"kind"`
	Subject string            `json:"subject"`
	Name    string            `json:"name"`
	Existed bool              `json:"existed"`
}

// AddSubject adds a person or organisation.
func (c *Client) AddSubject(ctx context.Context, kind tally.SubjectKind, id, name string, opts *Options) (*Subject, error) {
	var out Subject
	return &out, c.postJSON(ctx, "/api/v1/subjects", map[string]any{"kind": kind, "id": id, "name": name}, opts, &out)
}

// Enrolment is the outcome of Enrol.
type Enrolment struct {
	Scheme  string  `json:"scheme"`
	Subject Subject `json:"subject"`
	Unit    string  `json:"unit"`
	Consent bool    `json:"consent"`
	Existed bool    `json:"existed"`
}

// Enrol enrols a subject in a scheme with their consent decision.
func (c *Client) Enrol(ctx context.Context, scheme, subject, unit string, consent bool, how string, opts *Options) (*Enrolment, error) {
	var out Enrolment
	in := map[string]any{"subject": subject, "unit": unit, "consent": consent, "how": how}
	return &out, c.postJSON(ctx, "/api/v1/schemes/"+esc(scheme)+"/enrolments", in, opts, &out)
}

// Conduct is what a record says happened.
type Conduct struct {
	Subject  string         `json:"subject"`
	Rule     string         `json:"rule"`
	Facts    map[string]any `json:"facts"`
	At       string         `json:"at"`
	Ref      string         `json:"ref"`
	Evidence string         `json:"evidence,omitempty"`
	DryRun   bool           `json:"dry_run,omitempty"`
}

// Recorded is a record as written (or, for a dry run, as it would be).
type Recorded struct {
	Record    tally.Record `json:"record"`
	Subject   Subject      `json:"subject"`
	Title     tally.Text   `json:"title"`
	Unchanged bool         `json:"unchanged"`
	DryRun    bool         `json:"dry_run"`
	Pending   string       `json:"pending"` // why it waits for a second person, if it does
}

// Record records conduct in a scheme.
func (c *Client) Record(ctx context.Context, scheme string, in Conduct, opts *Options) (*Recorded, error) {
	var out Recorded
	return &out, c.postJSON(ctx, "/api/v1/schemes/"+esc(scheme)+"/records", in, opts, &out)
}

// Reverse reverses a record with a reason and the reversal's own ref.
func (c *Client) Reverse(ctx context.Context, scheme string, id int64, reason, ref string, opts *Options) (*Recorded, error) {
	var out Recorded
	path := "/api/v1/schemes/" + esc(scheme) + "/records/" + strconv.FormatInt(id, 10) + "/reversal"
	return &out, c.postJSON(ctx, path, map[string]string{"reason": reason, "ref": ref}, opts, &out)
}

// RowError is one bad row of an import.
type RowError struct {
	Line    int    `json:"line"`
	Ref     string `json:"ref"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// ImportReport counts an import's rows.
type ImportReport struct {
	Rows      int        `json:"rows"`
	Recorded  int        `json:"recorded"`
	Unchanged int        `json:"unchanged"`
	Bad       []RowError `json:"bad"`
}

// Import sends a CSV ("text/csv") or JSON Lines ("application/jsonl") file.
func (c *Client) Import(ctx context.Context, contentType string, body io.Reader, opts *Options) (*ImportReport, error) {
	var out ImportReport
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

// Entry is a record with its rule's title and basis.
type Entry struct {
	tally.Record
	Title    tally.Text     `json:"title"`
	Category string         `json:"category"`
	Basis    string         `json:"basis"`
	Severity tally.Severity `json:"severity"`
	Reversed bool           `json:"reversed"`
	Pending  bool           `json:"pending"`
	Repaired time.Time      `json:"repaired_at"`
}

// Explanation is a score with the records in effect.
type Explanation struct {
	tally.Score
	InEffect []Entry `json:"in_effect"`
}

// Explain returns a score with every record in effect.
func (c *Client) Explain(ctx context.Context, scheme, subject string, opts *Options) (*Explanation, error) {
	var out Explanation
	return &out, c.getJSON(ctx, subjectPath(scheme, subject, "explanation"), nil, opts, &out)
}

// History returns a page of a subject's records, reversals included.
func (c *Client) History(ctx context.Context, scheme, subject, cursor string, limit int, opts *Options) (*Page[Entry], error) {
	var out Page[Entry]
	return &out, c.getJSON(ctx, subjectPath(scheme, subject, "records"), pageQuery(cursor, limit), opts, &out)
}

// Access is one entry of a subject's access log.
type Access struct {
	ID      int64      `json:"id"`
	At      time.Time  `json:"at"`
	Scheme  string     `json:"scheme"`
	Actor   string     `json:"actor"`
	Role    tally.Role `json:"role"`
	Action  string     `json:"action"`
	Purpose string     `json:"purpose"`
	Detail  string     `json:"detail"`
}

// AccessLog returns a page of who read or changed a subject's data (an
// admin states a purpose in opts).
func (c *Client) AccessLog(ctx context.Context, subject, cursor string, limit int, opts *Options) (*Page[Access], error) {
	var out Page[Access]
	return &out, c.getJSON(ctx, "/api/v1/subjects/"+esc(subject)+"/access-log", pageQuery(cursor, limit), opts, &out)
}

// Question is a verifier's yes/no question.
type Question struct {
	Scheme       string `json:"scheme"`
	Subject      string `json:"subject"`
	GradeAtLeast string `json:"grade_at_least"`
	At           string `json:"at,omitempty"`
	Purpose      string `json:"purpose"`
}

// Answer is the reply: yes or no.
type Answer struct {
	Scheme   string    `json:"scheme"`
	Subject  string    `json:"subject"`
	Question string    `json:"question"`
	Answer   bool      `json:"answer"`
	AsOf     time.Time `json:"as_of"`
}

// Verify asks a yes/no question (verifiers).
func (c *Client) Verify(ctx context.Context, q Question) (*Answer, error) {
	var out Answer
	return &out, c.postJSON(ctx, "/api/v1/verify", q, nil, &out)
}

// Me describes the token's holder.
type Me struct {
	Name       string     `json:"name"`
	Role       tally.Role `json:"role"`
	Schemes    []string   `json:"schemes"`
	Rules      []string   `json:"rules"`
	Categories []string   `json:"categories"`
}

// Me returns who the token belongs to.
func (c *Client) Me(ctx context.Context) (*Me, error) {
	var out Me
	return &out, c.getJSON(ctx, "/api/v1/me", nil, nil, &out)
}

// Statistics returns a scheme's grade distribution (public).
func (c *Client) Statistics(ctx context.Context, scheme string, opts *Options) (map[string]any, error) {
	var out map[string]any
	return out, c.getJSON(ctx, "/api/v1/schemes/"+esc(scheme)+"/statistics", nil, opts, &out)
}

// TokenRequest is the input of CreateToken.
type TokenRequest struct {
	Name       string     `json:"name"`
	Role       tally.Role `json:"role"`
	Schemes    []string   `json:"schemes,omitempty"`
	Rules      []string   `json:"rules,omitempty"`
	Categories []string   `json:"categories,omitempty"`
	Subject    string     `json:"subject,omitempty"`
	Expires    string     `json:"expires,omitempty"`
}

// Token is an API token as listed: never its secret.
type Token struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	Role       tally.Role `json:"role"`
	Schemes    []string   `json:"schemes"`
	Rules      []string   `json:"rules"`
	Categories []string   `json:"categories"`
	Created    time.Time  `json:"created"`
	CreatedBy  string     `json:"created_by"`
	Expires    time.Time  `json:"expires"`
	Revoked    time.Time  `json:"revoked"`
	Token      string     `json:"token"` // the secret: only in CreateToken's answer
}

// CreateToken makes an API token (admins); its Token is the secret.
func (c *Client) CreateToken(ctx context.Context, in TokenRequest, opts *Options) (*Token, error) {
	var out Token
	return &out, c.postJSON(ctx, "/api/v1/tokens", in, opts, &out)
}

// Tokens lists a page of tokens (admins).
func (c *Client) Tokens(ctx context.Context, cursor string, limit int) (*Page[Token], error) {
	var out Page[Token]
	return &out, c.getJSON(ctx, "/api/v1/tokens", pageQuery(cursor, limit), nil, &out)
}

// RevokeToken revokes a token now (admins).
func (c *Client) RevokeToken(ctx context.Context, id int64, opts *Options) error {
	return c.do(ctx, "POST", "/api/v1/tokens/"+strconv.FormatInt(id, 10)+"/revocation", nil, "", nil, opts, nil)
}

// PeopleReport counts a subjects import's rows.
type PeopleReport struct {
	Rows     int        `json:"rows"`
	Added    int        `json:"added"`
	Existed  int        `json:"existed"`
	Enrolled int        `json:"enrolled"`
	Bad      []RowError `json:"bad"`
}

// ImportSubjects sends a CSV file of subjects to add and enrol.
func (c *Client) ImportSubjects(ctx context.Context, body io.Reader, opts *Options) (*PeopleReport, error) {
	var out PeopleReport
	return &out, c.do(ctx, "POST", "/api/v1/subjects/imports", nil, "text/csv", body, opts, &out)
}
