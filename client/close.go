package client

import (
	"context"
	"net/url"
	"strconv"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// Closed is a close and whether the request made it.
type Closed struct {
	Close tally.Close `json:"close"`
	Made  bool        `json:"made"`
}

// Close closes a scheme's month (or returns the close made before).
func (c *Client) Close(ctx context.Context, scheme, period string) (*Closed, error) {
	var out Closed
	err := c.postJSON(ctx, "/api/v1/schemes/"+esc(scheme)+"/closes", map[string]string{"period": period}, nil, &out)
	return &out, err
}

// Sheet is a closed month without its rows.
type Sheet struct {
	tally.Close
	Totals     []tally.CategoryTotal `json:"totals"`
	ByCategory []tally.CategoryTotal `json:"by_category"`
	Total      tally.CategoryTotal   `json:"total"`
	Late       []ledger.LateEntry    `json:"late_records"`
}

// Sheet returns a closed month's totals and late records.
func (c *Client) Sheet(ctx context.Context, scheme, period string) (*Sheet, error) {
	var out Sheet
	err := c.getJSON(ctx, "/api/v1/schemes/"+esc(scheme)+"/closes/"+esc(period), nil, nil, &out)
	return &out, err
}

// CloseRows returns a page of a closed month's rows after cursor ("" for
// the first) and the next cursor ("" after the last page).
func (c *Client) CloseRows(ctx context.Context, scheme, period, cursor string, limit int) ([]tally.CloseRow, string, error) {
	q := url.Values{}
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	var out struct {
		Items []tally.CloseRow `json:"items"`
		Next  string           `json:"next_cursor"`
	}
	err := c.getJSON(ctx, "/api/v1/schemes/"+esc(scheme)+"/closes/"+esc(period)+"/rows", q, nil, &out)
	return out.Items, out.Next, err
}

// Board returns a closed month's honour board.
func (c *Client) Board(ctx context.Context, scheme, period string) (*ledger.HonourBoard, error) {
	var out ledger.HonourBoard
	err := c.getJSON(ctx, "/api/v1/schemes/"+esc(scheme)+"/closes/"+esc(period)+"/board", nil, nil, &out)
	return &out, err
}

// Report returns what was issued under a report's verification code.
func (c *Client) Report(ctx context.Context, code string) (*tally.IssuedReport, error) {
	var out tally.IssuedReport
	err := c.getJSON(ctx, "/api/v1/reports/"+esc(code), nil, nil, &out)
	return &out, err
}
