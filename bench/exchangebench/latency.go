package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/bench/listed"
	"github.com/tallycredit/tally/checkindex"
	"github.com/tallycredit/tally/ledger"
)

// pollEvery is how often the airline's check index is asked while a
// change travels.
const pollEvery = time.Millisecond

// verifier is the context of the airline's checks: a verifier token's.
func verifier(ctx context.Context) context.Context {
	return ledger.WithActor(ctx, &tally.Actor{Name: "airline-gate", Role: tally.Verifier})
}

// travel is one change's trip from the court to the airline's answers.
type travel struct {
	call   time.Duration // the court's use case, until it returned
	answer time.Duration // from the start of the use case until the airline answered the new way
	closed int           // checks answered "cannot answer" meanwhile
}

// answerOf asks the airline's check index about person i.
func answerOf(ctx context.Context, c *checkindex.Checker, i int) (string, error) {
	id, name := listed.Person(i)
	a, err := c.Check(ctx, checkindex.CheckQuery{Identifier: id, Name: name, Measure: measure})
	if err != nil {
		return "", err
	}
	return a.Answer, nil
}

// awaitAnswer polls the airline until person i is answered want, counting
// the checks answered "cannot answer" (the verifier failing closed).
func awaitAnswer(ctx context.Context, c *checkindex.Checker, i int, want string, began time.Time, timeout time.Duration) (time.Duration, int, error) {
	closed := 0
	for {
		got, err := answerOf(ctx, c, i)
		switch {
		case err == nil && got == want:
			return time.Since(began), closed, nil
		case errors.Is(err, checkindex.ErrNotReady) || tally.ErrorCodeOf(err) == tally.EUnavailable:
			closed++
		case err != nil:
			return 0, closed, err
		}
		if time.Since(began) > timeout {
			return 0, closed, fmt.Errorf("person %d still not %s after %s (last answer %q, %v)", i, want, timeout, got, err)
		}
		time.Sleep(pollEvery)
	}
}

// awaitFresh waits until the airline answers at all: it has heard the
// court's heartbeat since the load.
func awaitFresh(ctx context.Context, r *rig, someone int, timeout time.Duration) error {
	_, _, err := awaitAnswer(verifier(ctx), r.checker, someone, checkindex.AnswerDenied, time.Now(), timeout)
	return err
}

// removals removes k of the n listed persons on the court, spread over
// them, one at a time, and times each removal until the airline allows
// the person. Before each it checks that the airline denies the person.
func removals(ctx context.Context, r *rig, n, k int, timeout time.Duration) ([]travel, error) {
	vctx := verifier(ctx)
	out := make([]travel, 0, k)
	for j := range k {
		i := j * n / k
		if got, err := answerOf(vctx, r.checker, i); err != nil || got != checkindex.AnswerDenied {
			return out, fmt.Errorf("before removing person %d the airline answers %q, %v; want denied", i, got, err)
		}
		began := time.Now()
		_, err := r.court.svc.Remove(r.court.admin, ledger.Removal{List: listID, CaseNumber: caseNumber(i), Reason: tally.Performed})
		if err != nil {
			return out, fmt.Errorf("remove person %d: %w", i, err)
		}
		t := travel{call: time.Since(began)}
		if t.answer, t.closed, err = awaitAnswer(vctx, r.checker, i, checkindex.AnswerAllowed, began, timeout); err != nil {
			return out, fmt.Errorf("removal of person %d: %w", i, err)
		}
		out = append(out, t)
		showCount("removals", j+1, k)
	}
	return out, nil
}

// listings lists k new persons (n, n+1, ...) on the court, one at a
// time, and times each listing until the airline denies the person.
func listings(ctx context.Context, r *rig, n, k int, timeout time.Duration) ([]travel, error) {
	vctx := verifier(ctx)
	notice := noticeDay(time.Now())
	out := make([]travel, 0, k)
	for j := range k {
		i := n + j
		if got, err := answerOf(vctx, r.checker, i); err != nil || got != checkindex.AnswerAllowed {
			return out, fmt.Errorf("before listing person %d the airline answers %q, %v; want allowed", i, got, err)
		}
		began := time.Now()
		if _, err := r.court.svc.List(r.court.admin, listing(i, notice)); err != nil {
			return out, fmt.Errorf("list person %d: %w", i, err)
		}
		t := travel{call: time.Since(began)}
		var err error
		if t.answer, t.closed, err = awaitAnswer(vctx, r.checker, i, checkindex.AnswerDenied, began, timeout); err != nil {
			return out, fmt.Errorf("listing of person %d: %w", i, err)
		}
		out = append(out, t)
		showCount("listings", j+1, k)
	}
	return out, nil
}

// showCount writes to the terminal how many of k trips are done, every
// tenth and the last.
func showCount(what string, done, k int) {
	if done%10 == 0 || done == k {
		fmt.Fprintf(os.Stderr, "\r%s %d/%d", what, done, k)
	}
	if done == k {
		fmt.Fprintln(os.Stderr)
	}
}
