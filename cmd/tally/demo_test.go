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

// tally demo builds the database, then serves the pages and prints one
// account per role; each account signs in and lands on its role's page.
func TestDemoServesWithAccounts(t *testing.T) {
	if testing.Short() {
		t.Skip("the demo takes a few seconds")
	}
	dir := t.TempDir()
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	out, w := io.Pipe()
	exited := make(chan int, 1)
	go func() {
		var errOut strings.Builder
		exited <- run(ctx, []string{"demo", "--db", filepath.Join(dir, "demo.db"), "--villagers", "30", "--residents", "40",
			"--shops", "5", "--addr", "127.0.0.1:0"}, strings.NewReader(""), w, &errOut)
		w.Close()
	}()
	var printed strings.Builder
	lines := bufio.NewScanner(out)
	for lines.Scan() {
		printed.WriteString(lines.Text() + "\n")
		if strings.HasPrefix(lines.Text(), "press Ctrl-C") {
			break
		}
	}
	go io.Copy(io.Discard, out)
	base := regexp.MustCompile(`open (http://127\.0\.0\.1:\d+)/`).FindStringSubmatch(printed.String())
	accounts := regexp.MustCompile(`(?m)^  (\S+)\s+(\S+)\s+password (\S+)`).FindAllStringSubmatch(printed.String(), -1)
	if base == nil || len(accounts) < 5 {
		t.Fatalf("demo printed no address or too few accounts:\n%s", printed.String())
	}
	want := map[string]string{"admin": "/admin", "rule-maker": "/admin", "recorder": "/record", "reviewer": "/review", "subject": "/me"}
	for _, a := range accounts {
		jar, _ := cookiejar.New(nil)
		client := &http.Client{Jar: jar, Timeout: 20 * time.Second}
		resp, err := client.PostForm(base[1]+"/signin", url.Values{"name": {a[2]}, "password": {a[3]}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.Request.URL.Path != want[a[1]] {
			t.Errorf("sign in as %s (%s): %d at %s, want %s", a[2], a[1], resp.StatusCode, resp.Request.URL.Path, want[a[1]])
		}
	}
	stop()
	select {
	case code := <-exited:
		if code != 0 {
			t.Errorf("demo exited %d after its context ended, want 0", code)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("demo did not stop after its context ended")
	}
}
