// Package client is a Go client for tally's HTTP API (/api/v1). The CLI's
// remote mode and the end-to-end tests use it, so it stays true to the
// server.
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/wire"
)

// MaxAnswer bounds the answers a Client reads: the largest the server
// gives (a page of records, a full tile, a rulebook) is a few megabytes,
// and a client that follows another instance's log (an auditor) must not
// let that server fill its memory.
const MaxAnswer = 64 << 20

// Client calls one tally server with one token (or none, as the public).
// It is safe for concurrent use.
type Client struct {
	base      string
	token     string
	lang      string
	http      *http.Client
	maxAnswer int64
}

// New returns a client for the server at base (e.g. http://127.0.0.1:8080)
// using token; hc nil means a client with a 60-second timeout.
func New(base, token string, hc *http.Client) *Client {
	if hc == nil {
		hc = &http.Client{Timeout: 60 * time.Second}
	}
	return &Client{base: strings.TrimRight(base, "/"), token: token, http: hc, maxAnswer: MaxAnswer}
}

// WithMaxAnswer returns a copy of c that refuses answers longer than n
// bytes (MaxAnswer by default).
func (c *Client) WithMaxAnswer(n int64) *Client {
	cp := *c
	cp.maxAnswer = n
	return &cp
}

// InLanguage returns a copy of c that asks for refusals in lang (sent as
// Accept-Language, such as "en" or "zh"); the server answers in Chinese
// when a client asks for no language.
func (c *Client) InLanguage(lang string) *Client {
	cp := *c
	cp.lang = lang
	return &cp
}

// Error is a problem document the server sent (see wire.Problem for its
// codes), with the answer's Retry-After header, if any.
type Error struct {
	wire.Problem
	RetryAfter string `json:"-"`
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Detail)
	if e.Field != "" {
		msg += " (at " + e.Field + ")"
	}
	return msg
}

// As lets errors.As find a *tally.Error with the matching code, so callers
// (the CLI's exit codes) treat remote and local errors alike.
func (e *Error) As(target any) bool {
	t, ok := target.(**tally.Error)
	if !ok {
		return false
	}
	code := tally.ErrorCode(e.Code)
	switch e.Code {
	case "unauthorized":
		code = tally.EForbidden
	case "malformed", "too_large", "rate_limited":
		code = tally.EInvalid
	}
	*t = &tally.Error{Code: code, Message: e.Detail, Field: e.Field, Line: e.Line}
	return true
}

// Options are the extra parts of a request.
type Options struct {
	IdempotencyKey string
	Purpose        string
	At             string
}

// do sends a request and decodes a JSON answer into out (into a *[]byte:
// the answer's bytes as they came).
func (c *Client) do(ctx context.Context, method, path string, query url.Values, contentType string, body io.Reader, opts *Options, out any) error {
	if opts != nil {
		if query == nil {
			query = url.Values{}
		}
		if opts.Purpose != "" {
			query.Set("purpose", opts.Purpose)
		}
		if opts.At != "" {
			query.Set("at", opts.At)
		}
	}
	u := c.base + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return err
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if c.lang != "" {
		req.Header.Set("Accept-Language", c.lang)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if opts != nil && opts.IdempotencyKey != "" {
		req.Header.Set("Idempotency-Key", opts.IdempotencyKey)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, c.maxAnswer+1))
	if err != nil {
		return err
	}
	if int64(len(raw)) > c.maxAnswer {
		return tally.Errorf(tally.EUnavailable, "the answer to %s %s is longer than %d bytes", method, path, c.maxAnswer)
	}
	if resp.StatusCode >= 400 {
		e := &Error{Problem: wire.Problem{Status: resp.StatusCode}, RetryAfter: resp.Header.Get("Retry-After")}
		if jerr := json.Unmarshal(raw, e); jerr != nil || e.Code == "" {
			e.Code, e.Detail = "internal", strings.TrimSpace(string(raw))
		}
		return e
	}
	if out == nil {
		return nil
	}
	if b, ok := out.(*[]byte); ok { // an answer that is not JSON: the log's checkpoint and tiles
		*b = raw
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("decode %s %s: %w", method, path, err)
	}
	return nil
}

func (c *Client) getJSON(ctx context.Context, path string, query url.Values, opts *Options, out any) error {
	return c.do(ctx, http.MethodGet, path, query, "", nil, opts, out)
}

func (c *Client) postJSON(ctx context.Context, path string, in any, opts *Options, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	return c.do(ctx, http.MethodPost, path, nil, "application/json", bytes.NewReader(body), opts, out)
}

func esc(s string) string { return url.PathEscape(s) }

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }
