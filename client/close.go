package client

import (
	"context"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/wire"
)

func closePath(scheme, period, what string) string {
	return "/api/v1/schemes/" + esc(scheme) + "/closes/" + esc(period) + what
}

// Close closes a scheme's month (or returns the close made before).
func (c *Client) Close(ctx context.Context, scheme, period string) (*wire.Closed, error) {
	var out wire.Closed
	err := c.postJSON(ctx, "/api/v1/schemes/"+esc(scheme)+"/closes", wire.CloseRequest{Period: period}, nil, &out)
	return &out, err
}

// Sheet returns a closed month's totals and late records.
func (c *Client) Sheet(ctx context.Context, scheme, period string) (*wire.Sheet, error) {
	var out wire.Sheet
	err := c.getJSON(ctx, closePath(scheme, period, ""), nil, nil, &out)
	return &out, err
}

// CloseRows returns a page of a closed month's rows after cursor ("" for
// the first) and the next cursor ("" after the last page).
func (c *Client) CloseRows(ctx context.Context, scheme, period, cursor string, limit int) ([]tally.CloseRow, string, error) {
	var out wire.Page[tally.CloseRow]
	err := c.getJSON(ctx, closePath(scheme, period, "/rows"), pageQuery(cursor, limit), nil, &out)
	return out.Items, out.Next, err
}

// Board returns a closed month's honour board.
func (c *Client) Board(ctx context.Context, scheme, period string) (*wire.HonourBoard, error) {
	var out wire.HonourBoard
	err := c.getJSON(ctx, closePath(scheme, period, "/board"), nil, nil, &out)
	return &out, err
}

// Report returns what was issued under a report's verification code.
func (c *Client) Report(ctx context.Context, code string) (*wire.Report, error) {
	var out wire.Report
	err := c.getJSON(ctx, "/api/v1/reports/"+esc(code), nil, nil, &out)
	return &out, err
}

// SpecialReport asks for a special credit report and returns the issue
// with its sealed PDF.
func (c *Client) SpecialReport(ctx context.Context, in wire.SpecialReportRequest, opts *Options) (*wire.SpecialReport, error) {
	var out wire.SpecialReport
	return &out, c.postJSON(ctx, "/api/v1/reports/special", in, opts, &out)
}
