package main

import (
	"fmt"
	"io"
	"strconv"

	"github.com/tallycredit/tally/localtime"
)

// cmdReview lists the records waiting for a second person and approves or
// rejects one.
func cmdReview(e *env, args []string) error {
	return dispatch(e, "review", args,
		subcommand{"pending", reviewPending},
		subcommand{"approve", func(e *env, args []string) error { return reviewDecide(e, true, args) }},
		subcommand{"reject", func(e *env, args []string) error { return reviewDecide(e, false, args) }})
}

func reviewPending(e *env, args []string) error {
	fs := e.flags("review pending", "[--scheme S] [--limit N]")
	scheme := fs.String("scheme", "", e.text("cli.flag.only_scheme"))
	limit := fs.Int("limit", 100, e.text("cli.flag.at_most"))
	if _, err := e.parse(fs, args); err != nil {
		return err
	}
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	held, err := svc.PendingReviews(e.ctx, *scheme, 0, *limit)
	if err != nil {
		return err
	}
	return e.print(held, func(w io.Writer) {
		if len(held) == 0 {
			fmt.Fprintln(w, e.text("cli.review.none"))
		}
		zone := zones(e, svc)
		for _, h := range held {
			fmt.Fprintln(w, e.text("cli.review.line", h.Record.ID, h.Scheme, h.Subject.Subject, h.Record.Rule, h.Record.Awarded,
				localtime.Date(h.Record.HappenedAt, zone(h.Scheme)), h.Record.RecordedBy, h.Reason))
		}
	})
}

func reviewDecide(e *env, approve bool, args []string) error {
	name := "review reject"
	if approve {
		name = "review approve"
	}
	fs := e.flags(name, "RECORD --reasons TEXT")
	reasons := fs.String("reasons", "", e.text("cli.flag.review_reasons"))
	pos, err := e.parse(fs, args, "RECORD")
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(pos[0], 10, 64)
	if err != nil || id <= 0 {
		return e.fieldErrorf("RECORD", "cli.review.bad_id", pos[0])
	}
	svc, done, err := e.open(false)
	if err != nil {
		return err
	}
	defer done()
	decide := svc.Reject
	if approve {
		decide = svc.Approve
	}
	h, err := decide(e.ctx, id, *reasons)
	if err != nil {
		return err
	}
	return e.print(h, func(w io.Writer) {
		if h.Decision.Approved {
			fmt.Fprintln(w, e.text("cli.review.approved", h.RecordID, h.Decision.By))
		} else {
			fmt.Fprintln(w, e.text("cli.review.rejected", h.RecordID, h.Decision.By, h.Decision.Reversal))
		}
	})
}
