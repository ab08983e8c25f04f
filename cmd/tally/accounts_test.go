package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// runIn runs one command line with stdin and returns its exit code,
// stdout and stderr.
func (c *cli) runIn(stdin string, args ...string) (int, string, string) {
	c.t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), append(args, "--db", c.db), strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

// account makes an account with a password read from standard input.
func (c *cli) account(name, role, password string) {
	c.t.Helper()
	if code, out, errOut := c.runIn(password+"\n", "accounts", "create", "--name", name, "--role", role, "--password-stdin"); code != 0 {
		c.t.Fatalf("accounts create %s: exit %d %s%s", name, code, out, errOut)
	}
}

// `tally accounts disable NAME` and `tally accounts password NAME` take
// the account's name, change it, and say so; bad usage and unknown names
// get their exit codes.
func TestAccountsDisableAndPasswordAtTheCommandLine(t *testing.T) {
	c := newCLI(t)
	c.ok("init")
	c.account("wang", "admin", "first long password")
	out := c.ok("accounts", "password", "wang", "--json")
	var made struct{ Name, Password string }
	if err := json.Unmarshal([]byte(out), &made); err != nil || made.Name != "wang" || len(made.Password) < 10 {
		t.Errorf("accounts password --json: %v %q, want the made password", err, out)
	}
	if code, out, errOut := c.runIn("second long password\n", "accounts", "password", "wang", "--password-stdin"); code != 0 {
		t.Errorf("accounts password --password-stdin: exit %d %s%s", code, out, errOut)
	}
	if code, out, errOut := c.runIn("short\n", "accounts", "password", "wang", "--password-stdin"); code != exitInvalid || !strings.Contains(errOut, "password") {
		t.Errorf("a short password: exit %d %s%s, want %d naming the password", code, out, errOut, exitInvalid)
	}
	out = c.ok("accounts", "disable", "wang")
	if !strings.Contains(out, "wang disabled") {
		t.Errorf("accounts disable printed %q", out)
	}
	if out := c.ok("accounts", "list"); !regexp.MustCompile(`wang\s+admin\s+\S+\s+disabled`).MatchString(out) {
		t.Errorf("accounts list after disable:\n%s\nwant wang disabled", out)
	}
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"accounts", "disable"}, exitInvalid},
		{[]string{"accounts", "disable", "a", "b"}, exitInvalid},
		{[]string{"accounts", "password"}, exitInvalid},
		{[]string{"accounts", "disable", "nobody"}, exitNotFound},
		{[]string{"accounts", "password", "nobody"}, exitNotFound},
	} {
		if code, out, errOut := c.run(tc.args...); code != tc.code {
			t.Errorf("tally %s: exit %d %s%s, want %d", strings.Join(tc.args, " "), code, out, errOut, tc.code)
		}
	}
}

// serveCLI starts `tally serve` on the CLI's database and returns its
// address; it stops when the test ends.
func serveCLI(t *testing.T, c *cli) string {
	t.Helper()
	ctx, stop := context.WithCancel(context.Background())
	out, w := io.Pipe()
	exited := make(chan int, 1)
	go func() {
		var errOut strings.Builder
		exited <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--db", c.db}, strings.NewReader(""), w, &errOut)
		w.Close()
	}()
	t.Cleanup(func() { stop(); <-exited })
	addr := servedAt(t, out)
	return addr
}

// browser is a cookie jar that does not follow redirects, so that a test
// sees where each answer sends it.
type browser struct {
	t    *testing.T
	base string
	c    *http.Client
}

func newBrowser(t *testing.T, base string) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: base, c: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// signIn posts the sign-in form and returns the status.
func (b *browser) signIn(name, password string) int {
	b.t.Helper()
	resp, err := b.c.PostForm(b.base+"/signin", url.Values{"name": {name}, "password": {password}})
	if err != nil {
		b.t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// get opens a page and returns the status and where it redirects.
func (b *browser) get(path string) (int, string) {
	b.t.Helper()
	resp, err := b.c.Get(b.base + path)
	if err != nil {
		b.t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("Location")
}

// signedIn reports whether the browser still opens the admin page.
func (b *browser) signedIn() bool {
	b.t.Helper()
	status, where := b.get("/admin")
	if status == http.StatusOK {
		return true
	}
	if status != http.StatusSeeOther || !strings.HasPrefix(where, "/signin") {
		b.t.Fatalf("/admin: %d to %q, want 200 or a redirect to sign-in", status, where)
	}
	return false
}

// An account disabled at the command line is signed out of the running
// server at its next request and cannot sign in again; a new password
// ends every session opened with the old one.
func TestAccountCommandsSignOutAtOnce(t *testing.T) {
	c := newCLI(t)
	c.ok("init")
	c.account("wang", "admin", "first long password")
	c.account("zhao", "admin", "zhao long password")
	base := serveCLI(t, c)

	phone, laptop, other := newBrowser(t, base), newBrowser(t, base), newBrowser(t, base)
	for _, b := range []*browser{phone, laptop} {
		if status := b.signIn("wang", "first long password"); status != http.StatusSeeOther {
			t.Fatalf("sign in as wang: %d, want 303", status)
		}
	}
	if status := other.signIn("zhao", "zhao long password"); status != http.StatusSeeOther {
		t.Fatalf("sign in as zhao: %d, want 303", status)
	}
	if !phone.signedIn() || !laptop.signedIn() || !other.signedIn() {
		t.Fatal("a fresh session does not open /admin")
	}
	c.runIn("second long password\n", "accounts", "password", "wang", "--password-stdin")
	if phone.signedIn() || laptop.signedIn() {
		t.Error("a session opened with the old password still works after `accounts password`")
	}
	if !other.signedIn() {
		t.Error("another account's session ended with wang's password change")
	}
	if status := phone.signIn("wang", "first long password"); status != http.StatusUnauthorized {
		t.Errorf("the old password: %d, want 401", status)
	}
	if status := phone.signIn("wang", "second long password"); status != http.StatusSeeOther || !phone.signedIn() {
		t.Errorf("the new password: %d, want 303 and a working session", status)
	}

	c.ok("accounts", "disable", "wang")
	if phone.signedIn() {
		t.Error("a disabled account's session still opens /admin")
	}
	if status := laptop.signIn("wang", "second long password"); status != http.StatusUnauthorized || laptop.signedIn() {
		t.Errorf("a disabled account signs in: %d, want 401 and no session", status)
	}
	if !other.signedIn() {
		t.Error("another account's session ended with wang's disablement")
	}
}
