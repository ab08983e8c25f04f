package client

import (
	"context"
	"strconv"

	"github.com/tallycredit/tally/wire"
)

// Sign records a signed credit commitment, granted at once.
func (c *Client) Sign(ctx context.Context, in wire.CommitmentRequest, opts *Options) (*wire.Commitment, error) {
	var out wire.Commitment
	return &out, c.postJSON(ctx, "/api/v1/commitments", in, opts, &out)
}

// CommitmentQuery selects commitments.
type CommitmentQuery struct {
	Scheme, Subject string
	Open, Overdue   bool
	Cursor          string
	Limit           int
}

// Commitments lists commitments: a subject its own, officials those of
// their schemes.
func (c *Client) Commitments(ctx context.Context, q CommitmentQuery) (*wire.Page[wire.Commitment], error) {
	v := pageQuery(q.Cursor, q.Limit)
	setIf(v, "scheme", q.Scheme)
	setIf(v, "subject", q.Subject)
	if q.Open {
		v.Set("open", "true")
	}
	if q.Overdue {
		v.Set("overdue", "true")
	}
	var out wire.Page[wire.Commitment]
	return &out, c.getJSON(ctx, "/api/v1/commitments", v, nil, &out)
}

// Fulfil records that a commitment was kept.
func (c *Client) Fulfil(ctx context.Context, id int64, in wire.SettleRequest, opts *Options) (*wire.Commitment, error) {
	var out wire.Commitment
	return &out, c.postJSON(ctx, "/api/v1/commitments/"+strconv.FormatInt(id, 10)+"/fulfilment", in, opts, &out)
}

// Breach records that a commitment was broken: a record under its rule.
func (c *Client) Breach(ctx context.Context, id int64, in wire.SettleRequest, opts *Options) (*wire.Commitment, error) {
	var out wire.Commitment
	return &out, c.postJSON(ctx, "/api/v1/commitments/"+strconv.FormatInt(id, 10)+"/breach", in, opts, &out)
}
