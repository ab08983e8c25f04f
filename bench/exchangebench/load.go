package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/tallycredit/tally/bench/listed"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/parse"
)

// The listings the benchmark makes: person i (listed.Person) under case
// caseNumber(i), on the list the court-to-airline agreement shares, with
// a notice served half a year ago (the entry is in effect).
const (
	listID  = "judgment-defaulters"
	measure = "air-travel" // a measure the catalogue links to listID
	court   = "荣成市人民法院"
	grounds = "able to perform but refuses"
	basis   = "SPC Provisions art. 1(1)"
)

func caseNumber(i int) string { return "(2025)鲁1082执" + strconv.Itoa(i) + "号" }

// noticeDay is the day the benchmark's notices were served.
func noticeDay(now time.Time) time.Time { return now.AddDate(0, -6, 0) }

// listing is person i's listing, as List takes it.
func listing(i int, notice time.Time) ledger.Listing {
	id, name := listed.Person(i)
	return ledger.Listing{List: listID, Identifier: id, Name: name, CaseNumber: caseNumber(i), Court: court,
		DecidedOn: notice.AddDate(0, 0, -10), NoticeServed: notice, Grounds: grounds, Basis: basis}
}

// listingsCSV is a court's import file of persons [from, to).
func listingsCSV(from, to int, notice time.Time) []byte {
	var b bytes.Buffer
	b.WriteString("list,subject,name,case_number,court,decided,notice,grounds,basis\n")
	decided, served := notice.AddDate(0, 0, -10).Format(time.DateOnly), notice.Format(time.DateOnly)
	for i := from; i < to; i++ {
		id, name := listed.Person(i)
		fmt.Fprintf(&b, "%s,%s,%s,%s,%s,%s,%s,%s,%s\n", listID, id, name, caseNumber(i), court, decided, served, grounds, basis)
	}
	return b.Bytes()
}

// loadResult is when each stage of the bulk load was done, counted from
// its start: the court had listed every entry, the stream had
// acknowledged every share, the airline had applied every change.
type loadResult struct {
	listed, published, applied time.Duration
}

// load lists persons [0, n) on the court through ImportListings, a file
// of batch rows at a time, and waits until the airline has applied them
// all. With staged, the publisher starts only once the court has listed
// everything and the receiver once everything is published, so that
// each stage's rate is its own; otherwise all three run at once, as in
// production.
func load(ctx context.Context, r *rig, n, batch int, staged bool, timeout time.Duration) (loadResult, error) {
	var res loadResult
	var listedN atomic.Int64
	began := time.Now()
	done, shown := make(chan struct{}), make(chan struct{})
	defer func() { close(done); <-shown }()
	go func() {
		defer close(shown)
		showProgress(done, began, n, &listedN, &r.out.published, &r.in.taken)
	}()
	if !staged {
		r.startPublisher()
		r.startReceiver()
	}
	notice := noticeDay(time.Now())
	for from := 0; from < n; from += batch {
		to := min(from+batch, n)
		rep, err := r.court.svc.ImportListings(r.court.admin, bytes.NewReader(listingsCSV(from, to, notice)), parse.CSV,
			func(p ledger.ListImportReport) { listedN.Store(int64(from + p.Listed)) })
		if err != nil {
			return res, fmt.Errorf("import rows %d-%d: %w", from, to, err)
		}
		if len(rep.Bad) > 0 || rep.Listed != to-from {
			return res, fmt.Errorf("import rows %d-%d: %d listed, %d bad (first: %+v)", from, to, rep.Listed, len(rep.Bad), rep.Bad)
		}
	}
	res.listed = time.Since(began)
	if staged {
		r.startPublisher()
	}
	var err error
	if res.published, err = waitCount(ctx, began, &r.out.published, n, timeout); err != nil {
		return res, fmt.Errorf("publishing: %w", err)
	}
	if staged {
		r.startReceiver()
	}
	if res.applied, err = waitCount(ctx, began, &r.in.taken, n, timeout); err != nil {
		return res, fmt.Errorf("applying at the airline: %w", err)
	}
	return res, nil
}

// waitCount waits until count reaches n and returns when, since began.
func waitCount(ctx context.Context, began time.Time, count *atomic.Int64, n int, timeout time.Duration) (time.Duration, error) {
	deadline := time.Now().Add(timeout)
	for count.Load() < int64(n) {
		if time.Now().After(deadline) {
			return 0, fmt.Errorf("%d of %d after %s", count.Load(), n, timeout)
		}
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(5 * time.Millisecond):
		}
	}
	return time.Since(began), nil
}

// showProgress writes the three counts to the terminal every second
// until done.
func showProgress(done <-chan struct{}, began time.Time, n int, counts ...*atomic.Int64) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-done:
			fmt.Fprintln(os.Stderr)
			return
		case <-t.C:
			fmt.Fprintf(os.Stderr, "\r%4.0fs  court listed %d  published %d  airline applied %d  of %d ",
				time.Since(began).Seconds(), counts[0].Load(), counts[1].Load(), counts[2].Load(), n)
		}
	}
}
