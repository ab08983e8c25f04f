package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// warnedYears returns the years of the WARN lines of a JSON log.
func warnedYears(t *testing.T, log string) []int {
	t.Helper()
	var years []int
	for _, line := range strings.Split(log, "\n") {
		var l struct {
			Level string
			Msg   string
			Year  int
		}
		if json.Unmarshal([]byte(line), &l) == nil && l.Level == "WARN" && l.Year != 0 {
			if !strings.Contains(l.Msg, "tally calendar import FILE") {
				t.Errorf("the warning of %d does not name the import: %q", l.Year, l.Msg)
			}
			years = append(years, l.Year)
		}
	}
	return years
}

// The server's warning names the year, why and the import command, in the
// operator's language, with the year as a field of the log line.
func TestCalendarGapWarning(t *testing.T) {
	c := newCLI(t)
	c.ok("init")
	for _, tt := range []struct{ lang, want string }{
		{"zh", "没有 2028 年的节假日安排（今年需要"},
		{"en", "no holiday calendar for 2028 (needed this year"},
	} {
		e := &env{ctx: context.Background(), stdout: io.Discard, stderr: io.Discard, cfg: defaultConfig()}
		e.cfg.DB, e.cfg.Lang = c.db, tt.lang
		svc, done, err := e.open(false)
		if err != nil {
			t.Fatal(err)
		}
		var log bytes.Buffer
		warnCalendarGaps(e, svc, slog.New(slog.NewJSONHandler(&log, nil)), time.Date(2028, 3, 1, 9, 0, 0, 0, time.UTC))
		done()
		if got := warnedYears(t, log.String()); !slices.Equal(got, []int{2028}) || !strings.Contains(log.String(), tt.want) {
			t.Errorf("%s: warned of %v in %q, want 2028 saying %q", tt.lang, got, log.String(), tt.want)
		}
	}
}

// The daily check runs at each tick and stops with the server.
func TestEveryTick(t *testing.T) {
	ctx, stop := context.WithCancel(context.Background())
	tick, did, ended := make(chan time.Time), make(chan bool), make(chan bool)
	go func() { everyTick(ctx, tick, func() { did <- true }); ended <- true }()
	for range 2 {
		tick <- time.Now()
		<-did
	}
	stop()
	<-ended
}

// tally serve warns at start of each year tally calendar check names, and
// stays ready: a missing year is the operator's to fix, not an outage.
func TestServeWarnsOfCalendarGaps(t *testing.T) {
	c := newCLI(t)
	c.ok("init")
	_, out, _ := c.run("calendar", "check", "--json")
	var check struct{ Gaps []struct{ Year int } }
	if err := json.Unmarshal([]byte(out), &check); err != nil {
		t.Fatalf("calendar check --json: %v %q", err, out)
	}
	var want []int
	for _, g := range check.Gaps {
		want = append(want, g.Year)
	}

	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	stdout, w := io.Pipe()
	var log lockedWriter
	exited := make(chan int, 1)
	go func() {
		exited <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--db", c.db}, strings.NewReader(""), w, &log)
		w.Close()
	}()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("serve printed nothing: %v\n%s", err, log.String())
	}
	go io.Copy(io.Discard, stdout)
	if got := warnedYears(t, log.String()); !slices.Equal(got, want) {
		t.Errorf("serve warned of %v at start, want %v (as calendar check names them)\n%s", got, want, log.String())
	}
	url := regexp.MustCompile(`http://127\.0\.0\.1:\d+`).FindString(line)
	res, err := http.Get(url + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("/readyz answered %d with a year missing from the calendar, want 200", res.StatusCode)
	}
	stop()
	if code := <-exited; code != 0 {
		t.Errorf("serve exited %d", code)
	}
}
