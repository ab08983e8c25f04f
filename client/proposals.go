package client

import (
	"context"
	"encoding/json"
	"strconv"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/wire"
)

// ProposalQuery selects proposed listings.
type ProposalQuery struct {
	List, Subject string
	Open          bool
	Cursor        string
	Limit         int
}

// Proposals lists proposed listings: a subject its own, officials those
// of their lists.
func (c *Client) Proposals(ctx context.Context, q ProposalQuery) (*wire.Page[wire.Proposal], error) {
	v := pageQuery(q.Cursor, q.Limit)
	setIf(v, "list", q.List)
	setIf(v, "subject", q.Subject)
	if q.Open {
		v.Set("open", "true")
	}
	var out wire.Page[wire.Proposal]
	return &out, c.getJSON(ctx, "/api/v1/proposals", v, nil, &out)
}

// StateCase files the subject's statement on a proposal.
func (c *Client) StateCase(ctx context.Context, id int64, in wire.StatementRequest, opts *Options) (*wire.Proposal, error) {
	var out wire.Proposal
	return &out, c.postJSON(ctx, "/api/v1/proposals/"+strconv.FormatInt(id, 10)+"/statement", in, opts, &out)
}

// DecideProposal lists or drops a proposal.
func (c *Client) DecideProposal(ctx context.Context, id int64, in wire.ProposalDecisionRequest, opts *Options) (*wire.Proposal, error) {
	var out wire.Proposal
	return &out, c.postJSON(ctx, "/api/v1/proposals/"+strconv.FormatInt(id, 10)+"/decision", in, opts, &out)
}

// entryOrProposal reads the answer of a listing: an entry, or (202, a
// list with a statement period) a proposal, shown as an entry with status
// proposed that carries it.
func entryOrProposal(raw json.RawMessage) (*wire.ListEntry, error) {
	var probe struct {
		StateBy *string `json:"state_by"`
	}
	if err := json.Unmarshal(raw, &probe); err != nil {
		return nil, err
	}
	var out wire.ListEntry
	if probe.StateBy == nil {
		return &out, json.Unmarshal(raw, &out)
	}
	var p wire.Proposal
	if err := json.Unmarshal(raw, &p); err != nil {
		return nil, err
	}
	out = wire.ListEntry{List: p.List, ListName: p.ListName, Subject: p.Subject, Name: p.Name, CaseNumber: p.CaseNumber,
		Court: p.Court, DecidedOn: p.DecidedOn, Grounds: p.Grounds, Basis: p.Basis, Aggravation: p.Aggravation,
		Status: tally.EntryProposed, RecordedBy: p.ProposedBy, Proposal: &p}
	return &out, nil
}
