package client

import (
	"context"
	"encoding/json"
	"io"
	"net/url"

	"github.com/tallycredit/tally/wire"
)

// Catalogue returns the published sanctions catalogue (public).
func (c *Client) Catalogue(ctx context.Context) (*wire.Catalogue, error) {
	var out wire.Catalogue
	return &out, c.getJSON(ctx, "/api/v1/catalogue", nil, nil, &out)
}

// AddListEntry puts a subject on a list under a court's decision
// (agencies of the list's category, admins). On a list with a statement
// period the entry has status proposed and carries the proposal.
func (c *Client) AddListEntry(ctx context.Context, list string, in wire.ListingRequest, opts *Options) (*wire.ListEntry, error) {
	var raw json.RawMessage
	if err := c.postJSON(ctx, "/api/v1/lists/"+esc(list)+"/entries", in, opts, &raw); err != nil {
		return nil, err
	}
	return entryOrProposal(raw)
}

// RemoveListEntry takes an entry off its list.
func (c *Client) RemoveListEntry(ctx context.Context, list string, in wire.RemovalRequest, opts *Options) (*wire.ListEntry, error) {
	var out wire.ListEntry
	return &out, c.postJSON(ctx, "/api/v1/lists/"+esc(list)+"/removals", in, opts, &out)
}

// ImportListEntries sends a CSV ("text/csv") or JSON Lines
// ("application/jsonl") file of list entries.
func (c *Client) ImportListEntries(ctx context.Context, contentType string, body io.Reader, opts *Options) (*wire.ListImportReport, error) {
	var out wire.ListImportReport
	return &out, c.do(ctx, "POST", "/api/v1/lists/imports", nil, contentType, body, opts, &out)
}

// Eligibility answers whether a subject may have a measure, with every
// reason (a purpose in opts; opts.At for another instant than now).
func (c *Client) Eligibility(ctx context.Context, subject, measure string, opts *Options) (*wire.Eligibility, error) {
	var out wire.Eligibility
	q := url.Values{"measure": {measure}}
	return &out, c.getJSON(ctx, "/api/v1/subjects/"+esc(subject)+"/eligibility", q, opts, &out)
}

// Check checks one subject against a measure (verifiers).
func (c *Client) Check(ctx context.Context, in wire.CheckRequest) (*wire.CheckAnswer, error) {
	var out wire.CheckAnswer
	return &out, c.postJSON(ctx, "/api/v1/checks", in, nil, &out)
}

// CheckBatch checks many subjects against one measure (verifiers).
func (c *Client) CheckBatch(ctx context.Context, in wire.BatchRequest) (*wire.BatchAnswers, error) {
	var out wire.BatchAnswers
	return &out, c.postJSON(ctx, "/api/v1/checks/batch", in, nil, &out)
}

// CheckStatistics counts the checks answered per measure and day from
// from to to, both dates such as 2026-11-26; an empty to is today and an
// empty from is to (public).
func (c *Client) CheckStatistics(ctx context.Context, from, to string) (*wire.CheckStatistics, error) {
	var out wire.CheckStatistics
	q := url.Values{}
	setIf(q, "from", from)
	setIf(q, "to", to)
	return &out, c.getJSON(ctx, "/api/v1/checks/statistics", q, nil, &out)
}

// ImportListSnapshot sends a file that is the full snapshot of one list:
// the list's entries it no longer names are revoked with their cascades.
func (c *Client) ImportListSnapshot(ctx context.Context, list, contentType string, body io.Reader, opts *Options) (*wire.ListImportReport, error) {
	var out wire.ListImportReport
	return &out, c.do(ctx, "POST", "/api/v1/lists/imports", url.Values{"snapshot": {list}}, contentType, body, opts, &out)
}

// Revoke records that a source decision was revoked or changed; what it
// derived is removed and reversed at once.
func (c *Client) Revoke(ctx context.Context, in wire.RevocationRequest, opts *Options) (*wire.Cascade, error) {
	var out wire.Cascade
	return &out, c.postJSON(ctx, "/api/v1/revocations", in, opts, &out)
}

// Cascades lists the recorded revocations; overdue: only the overdue ones.
func (c *Client) Cascades(ctx context.Context, overdue bool) (*wire.Page[wire.Cascade], error) {
	var out wire.Page[wire.Cascade]
	var q url.Values
	if overdue {
		q = url.Values{"overdue": {"true"}}
	}
	return &out, c.getJSON(ctx, "/api/v1/revocations", q, nil, &out)
}
