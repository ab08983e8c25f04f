package client

import (
	"context"
	"net/url"
	"strconv"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/wire"
)

// Object files an objection.
func (c *Client) Object(ctx context.Context, in ObjectionRequest, opts *Options) (*wire.Objection, error) {
	var out wire.Objection
	return &out, c.postJSON(ctx, "/api/v1/objections", in, opts, &out)
}

// ObjectionQuery selects objections.
type ObjectionQuery struct {
	Scheme, Subject string
	Open, Overdue   bool
	Cursor          string
	Limit           int
}

// Objections lists objections: a subject its own, reviewers their queue.
func (c *Client) Objections(ctx context.Context, q ObjectionQuery) (*wire.Page[wire.Objection], error) {
	v := pageQuery(q.Cursor, q.Limit)
	setIf(v, "scheme", q.Scheme)
	setIf(v, "subject", q.Subject)
	if q.Open {
		v.Set("open", "true")
	}
	if q.Overdue {
		v.Set("overdue", "true")
	}
	var out wire.Page[wire.Objection]
	return &out, c.getJSON(ctx, "/api/v1/objections", v, nil, &out)
}

func setIf(v url.Values, name, value string) {
	if value != "" {
		v.Set(name, value)
	}
}

func objectionPath(id int64, what string) string {
	return "/api/v1/objections/" + strconv.FormatInt(id, 10) + "/" + what
}

// Acknowledge acknowledges an objection.
func (c *Client) Acknowledge(ctx context.Context, id int64, opts *Options) (*tally.Objection, error) {
	var out tally.Objection
	return &out, c.postJSON(ctx, objectionPath(id, "acknowledgement"), struct{}{}, opts, &out)
}

// Decide decides an objection.
func (c *Client) Decide(ctx context.Context, id int64, in DecisionRequest, opts *Options) (*wire.Objection, error) {
	var out wire.Objection
	return &out, c.postJSON(ctx, objectionPath(id, "decision"), in, opts, &out)
}

// Appeal appeals the decision on an objection.
func (c *Client) Appeal(ctx context.Context, id int64, grounds, evidence string, opts *Options) (*wire.Objection, error) {
	var out wire.Objection
	return &out, c.postJSON(ctx, objectionPath(id, "appeal"), wire.AppealRequest{Grounds: grounds, Evidence: evidence}, opts, &out)
}

// PendingReviews lists the records waiting for a second person.
func (c *Client) PendingReviews(ctx context.Context, scheme, cursor string, limit int) (*wire.Page[wire.Held], error) {
	v := pageQuery(cursor, limit)
	setIf(v, "scheme", scheme)
	var out wire.Page[wire.Held]
	return &out, c.getJSON(ctx, "/api/v1/reviews", v, nil, &out)
}

// Review approves or rejects a held record.
func (c *Client) Review(ctx context.Context, record int64, approve bool, reasons string, opts *Options) (*tally.Hold, error) {
	what := "rejection"
	if approve {
		what = "approval"
	}
	var out tally.Hold
	return &out, c.postJSON(ctx, "/api/v1/reviews/"+strconv.FormatInt(record, 10)+"/"+what, wire.ReasonsRequest{Reasons: reasons}, opts, &out)
}

// ApplyRepair applies for credit repair of a deduction.
func (c *Client) ApplyRepair(ctx context.Context, scheme, subject string, record int64, obligations string, opts *Options) (*tally.Repair, error) {
	var out tally.Repair
	in := wire.RepairRequest{Scheme: scheme, Subject: subject, Record: record, Obligations: obligations}
	return &out, c.postJSON(ctx, "/api/v1/repairs", in, opts, &out)
}

// Repairs lists repair applications.
func (c *Client) Repairs(ctx context.Context, scheme string, open bool, cursor string, limit int) (*wire.Page[tally.Repair], error) {
	v := pageQuery(cursor, limit)
	setIf(v, "scheme", scheme)
	if open {
		v.Set("open", "true")
	}
	var out wire.Page[tally.Repair]
	return &out, c.getJSON(ctx, "/api/v1/repairs", v, nil, &out)
}

// Notices lists notices with their delivery attempts and
// acknowledgments: a subject's (identifier; "" for all, or one's own).
func (c *Client) Notices(ctx context.Context, subject string, open bool, cursor string, limit int) (*wire.Page[tally.Notice], error) {
	v := pageQuery(cursor, limit)
	setIf(v, "subject", subject)
	if open {
		v.Set("open", "true")
	}
	var out wire.Page[tally.Notice]
	return &out, c.getJSON(ctx, "/api/v1/notices", v, nil, &out)
}

// DecideRepair approves or refuses a repair.
func (c *Client) DecideRepair(ctx context.Context, id int64, approve bool, reasons string, opts *Options) (*tally.Repair, error) {
	var out tally.Repair
	return &out, c.postJSON(ctx, "/api/v1/repairs/"+strconv.FormatInt(id, 10)+"/decision", wire.RepairDecisionRequest{Approve: approve, Reasons: reasons}, opts, &out)
}
