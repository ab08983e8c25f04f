package client

import (
	"context"

	"github.com/tallycredit/tally/wire"
)

// Agreements returns the data-sharing agreements in force and this
// instance's name (public).
func (c *Client) Agreements(ctx context.Context) (*wire.Agreements, error) {
	var out wire.Agreements
	return &out, c.getJSON(ctx, "/api/v1/agreements", nil, nil, &out)
}
