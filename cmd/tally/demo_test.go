package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// servedDemo is a tally demo serving on a free port.
type servedDemo struct {
	printed string // what it printed up to "press Ctrl-C"
	db      string // its database
	base    string // http://127.0.0.1:port
	stop    context.CancelFunc
	exited  chan int
}

// serveDemo runs tally demo with a small population until the test ends
// or stop is called.
func serveDemo(t *testing.T) *servedDemo {
	t.Helper()
	if testing.Short() {
		t.Skip("the demo takes a few seconds")
	}
	t.Setenv("TALLY_LANG", "en") // the tests read the English tour
	dir := t.TempDir()
	ctx, stop := context.WithCancel(context.Background())
	out, w := io.Pipe()
	d := &servedDemo{db: filepath.Join(dir, "demo.db"), stop: stop, exited: make(chan int, 1)}
	done := make(chan struct{})
	go func() {
		defer close(done)
		var errOut strings.Builder
		d.exited <- run(ctx, []string{"demo", "--db", d.db, "--villagers", "30", "--residents", "40",
			"--shops", "5", "--addr", "127.0.0.1:0"}, strings.NewReader(""), w, &errOut)
		w.Close()
	}()
	// Stopped, and waited for: its servers and its NATS folder are gone
	// before the test's folders are removed.
	t.Cleanup(func() {
		stop()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			t.Errorf("demo did not stop within 30s")
		}
	})
	var printed strings.Builder
	lines := bufio.NewScanner(out)
	for lines.Scan() {
		printed.WriteString(lines.Text() + "\n")
		if strings.HasPrefix(lines.Text(), "press Ctrl-C") {
			break
		}
	}
	go io.Copy(io.Discard, out)
	d.printed = printed.String()
	base := regexp.MustCompile(`open (http://127\.0\.0\.1:\d+)/`).FindStringSubmatch(d.printed)
	if base == nil {
		t.Fatalf("demo printed no address:\n%s", d.printed)
	}
	d.base = base[1]
	return d
}

// signIn returns a client signed in as name, and where sign-in landed.
func signIn(t *testing.T, base, name, password string) (*http.Client, *http.Response) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 20 * time.Second}
	resp, err := client.PostForm(base+"/signin", url.Values{"name": {name}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return client, resp
}

// tally demo builds the database, then serves the pages and prints one
// account per role; each account signs in and lands on its role's page.
func TestDemoServesWithAccounts(t *testing.T) {
	d := serveDemo(t)
	accounts := regexp.MustCompile(`(?m)^  (\S+)\s+(\S+)\s+password (\S+)`).FindAllStringSubmatch(d.printed, -1)
	if len(accounts) < 5 {
		t.Fatalf("demo printed too few accounts:\n%s", d.printed)
	}
	want := map[string]string{"admin": "/admin", "rule-maker": "/admin", "recorder": "/record", "reviewer": "/review", "subject": "/me"}
	for _, a := range accounts {
		_, resp := signIn(t, d.base, a[2], a[3])
		if resp.StatusCode != 200 || resp.Request.URL.Path != want[a[1]] {
			t.Errorf("sign in as %s (%s): %d at %s, want %s", a[2], a[1], resp.StatusCode, resp.Request.URL.Path, want[a[1]])
		}
	}
	// Its transparency log is served with a signed checkpoint, the
	// court's, over every entry the demo made.
	eventually(t, "the demo's first signed checkpoint", func() bool {
		resp, err := http.Get(d.base + "/log/checkpoint")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		lines := strings.Split(string(body), "\n")
		return resp.StatusCode == 200 && len(lines) > 3 && lines[0] == "court/log" && lines[1] != "0" && strings.Contains(string(body), "— court/log ")
	})
	d.stop()
	select {
	case code := <-d.exited:
		if code != 0 {
			t.Errorf("demo exited %d after its context ended, want 0", code)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("demo did not stop after its context ended")
	}
}

// tourStop matches one "where to click" stop as tally demo prints it.
var tourStop = regexp.MustCompile(`(?m)^  (.+)\n    (http://\S+)\n    (?:no sign-in|sign in as: (\S+) \(password (\S+)\))\n    look for: 「(.+)」\n(?:    not on it: 「(.+)」)?`)

// tourCommand matches one stop of the tour that is a command to run.
var tourCommand = regexp.MustCompile(`(?m)^  (.+)\n    run: go run \./cmd/tally (.+)\n    look for: 「(.+)」\n`)

// english asks every page in English, the language of the tour it reads.
type english struct{ http.RoundTripper }

func (e english) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Accept-Language", "en")
	return e.RoundTripper.RoundTrip(r)
}

// Every place tally demo says to click exists: signed in as the account it
// names, the page (in English, as the tour is read) answers 200 and shows
// the item (the board leaves out the villager who did not agree to be
// named); every command it says to run shows its item.
func TestDemoTourShowsEachPart(t *testing.T) {
	d := serveDemo(t)
	stops, commands := tourStop.FindAllStringSubmatch(d.printed, -1), tourCommand.FindAllStringSubmatch(d.printed, -1)
	want := []string{"honour board", "tally sheet and rewards", "people page", "consents", "court list", "denied check",
		"notice for the resident to acknowledge", "downloads their own credit report", "disputed", "objection decided",
		"repair applied and approved", "objection awaiting", "repair application awaiting", "second-level appeal", "kiosk",
		"kiosk codes", "shop star", "credit commitments (one overdue)", "working-day calendar"}
	for _, w := range want {
		if !strings.Contains(d.printed, w) {
			t.Errorf("the tour names no %q", w)
		}
	}
	if len(stops)+len(commands) < len(want) {
		t.Fatalf("demo printed %d stops to click and %d commands to run, want %d in all:\n%s", len(stops), len(commands), len(want), d.printed)
	}
	for _, s := range stops {
		what, addr, name, password, look, absent := s[1], s[2], s[3], s[4], s[5], s[6]
		if !strings.HasPrefix(addr, d.base+"/") {
			t.Errorf("%s: %s is not on the served address %s", what, addr, d.base)
			continue
		}
		client := &http.Client{Timeout: 20 * time.Second, Transport: english{http.DefaultTransport}}
		if name != "" {
			var resp *http.Response
			client, resp = signIn(t, d.base, name, password)
			client.Transport = english{http.DefaultTransport}
			if resp.StatusCode != 200 || resp.Request.URL.Path == "/signin" {
				t.Errorf("%s: sign in as %s: %d at %s", what, name, resp.StatusCode, resp.Request.URL.Path)
				continue
			}
		}
		resp, err := client.Get(addr)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		page := string(body)
		if resp.StatusCode != 200 {
			t.Errorf("%s: GET %s as %q: %d", what, addr, name, resp.StatusCode)
			continue
		}
		if !strings.Contains(page, look) {
			t.Errorf("%s: %s as %q does not show %q", what, addr, name, look)
		}
		if absent != "" && strings.Contains(page, absent) {
			t.Errorf("%s: %s shows %q, who did not agree to be named", what, addr, absent)
		}
	}
	if len(commands) < 2 {
		t.Errorf("demo printed %d commands to run, want the commitments and the calendar:\n%s", len(commands), d.printed)
	}
	for _, c := range commands {
		what, args, look := c[1], strings.Fields(c[2]), c[3]
		var out, errOut strings.Builder
		if code := run(context.Background(), args, strings.NewReader(""), &out, &errOut); code != 0 {
			t.Errorf("%s: tally %s exited %d: %s", what, c[2], code, errOut.String())
			continue
		}
		if !strings.Contains(out.String(), look) {
			t.Errorf("%s: tally %s does not show %q:\n%s", what, c[2], look, out.String())
		}
	}
	downloadsOwnReport(t, d)
}

// downloadsOwnReport: the demo's resident downloads their own credit
// report from /me, a PDF.
func downloadsOwnReport(t *testing.T, d *servedDemo) {
	t.Helper()
	client, _ := signIn(t, d.base, "resident", "resident-demo-pass")
	resp, err := client.Get(d.base + "/me")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	csrf := regexp.MustCompile(`action="/me/report"[^>]*>\s*<input type="hidden" name="csrf" value="([^"]+)"`).FindSubmatch(page)
	if csrf == nil {
		t.Fatalf("/me has no report form:\n%s", page)
	}
	resp, err = client.PostForm(d.base+"/me/report", url.Values{"csrf": {string(csrf[1])}})
	if err != nil {
		t.Fatal(err)
	}
	pdf, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(string(pdf), "%PDF") {
		t.Errorf("the resident's report: %d %s %.20q, want a PDF", resp.StatusCode, resp.Header.Get("Content-Type"), pdf)
	}
}
