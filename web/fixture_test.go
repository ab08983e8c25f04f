package web_test

import (
	"context"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/examples"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/sqlite"
	"github.com/tallycredit/tally/web"
)

// Identifiers from the project's public examples.
const (
	zhang = "360426199101010071" // a villager who consents
	li    = "34052419800101001X" // another villager
)

// clock is the site's settable clock, so that tests can end sessions and
// days.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// site is the pages over a fresh SQLite file, served by a real HTTP server
// on a loopback port, with the village scheme, two villagers and one
// account per role.
type site struct {
	t     testing.TB
	url   string
	svc   *ledger.Service
	db    *sqlite.DB
	clock *clock
	admin context.Context
	path  string     // the SQLite file, for tests that tamper with it
	log   *logBuffer // what the pages logged, as JSON lines
}

// logBuffer is a log destination safe for the server's goroutines.
type logBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// password is every test account's password.
const password = "correct horse battery"

func newSite(t testing.TB) *site {
	t.Helper()
	return newLoggedSite(t, ledger.LogSettings{})
}

// newLoggedSite is newSite whose ledger signs the log's checkpoints as
// log says.
func newLoggedSite(t testing.TB, log ledger.LogSettings) *site {
	t.Helper()
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{t: time.Date(2026, 11, 26, 10, 0, 0, 0, shanghai)}
	admin := ledger.WithPurpose(ledger.WithActor(context.Background(), &tally.Actor{Name: "test-admin", Role: tally.Admin}), "test")
	path := filepath.Join(t.TempDir(), "tally.db")
	db, svc := openLedgerWith(t, admin, path, c.Now, log)
	src, err := examples.Rulebooks.ReadFile("village.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Publish(admin, "village.yaml", src); err != nil {
		t.Fatal(err)
	}
	for _, p := range []struct{ id, name, unit string }{{zhang, "张伟", "一组"}, {li, "李娜", "二组"}} {
		if _, err := svc.AddSubject(admin, ledger.NewSubject{Kind: tally.Person, Identifier: p.id, Name: p.name}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Enrol(admin, ledger.Enrolment{Scheme: "jiakuang-majia", Identifier: p.id, Unit: p.unit, Consent: true, How: "signed form"}); err != nil {
			t.Fatal(err)
		}
	}
	village := []string{"jiakuang-majia"}
	for _, a := range []ledger.AccountSpec{
		{Name: "admin", Role: tally.Admin},
		{Name: "recorder", Role: tally.Recorder, Schemes: village},
		{Name: "reviewer", Role: tally.Reviewer, Schemes: village},
		{Name: "zhang", Role: tally.SubjectR, Subject: zhang},
		{Name: "li", Role: tally.SubjectR, Subject: li},
	} {
		a.Password = password
		if _, err := svc.CreateAccount(admin, a); err != nil {
			t.Fatal(err)
		}
	}
	logs := &logBuffer{}
	pages, err := web.New(svc, slog.New(slog.NewJSONHandler(logs, nil)), web.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(pages)
	t.Cleanup(srv.Close)
	return &site{t: t, url: srv.URL, svc: svc, db: db, clock: c, admin: admin, path: path, log: logs}
}

// openLedger opens a new SQLite file at path, closed at the end of the
// test, and the use cases over it with a fresh vault key and the clock now.
func openLedger(t testing.TB, ctx context.Context, path string, now func() time.Time) (*sqlite.DB, *ledger.Service) {
	t.Helper()
	return openLedgerWith(t, ctx, path, now, ledger.LogSettings{})
}

// openLedgerWith is openLedger whose ledger signs the log's checkpoints as
// log says.
func openLedgerWith(t testing.TB, ctx context.Context, path string, now func() time.Time, log ledger.LogSettings) (*sqlite.DB, *ledger.Service) {
	t.Helper()
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	key, _ := ledger.ParseKey(ledger.GenerateKey())
	vault, err := ledger.NewVault(key)
	if err != nil {
		t.Fatal(err)
	}
	return db, ledger.New(db, vault, ledger.Options{Now: now, Log: log})
}

// user is one browser without JavaScript: a cookie jar and the last page.
type user struct {
	t      testing.TB
	s      *site
	client *http.Client
	lang   string
	page   string // the body of the last page
	status int
	where  string // the path of the last page, after redirects
	ctype  string // the content type of the last answer
}

func (s *site) user(lang string) *user {
	jar, _ := cookiejar.New(nil)
	return &user{t: s.t, s: s, client: &http.Client{Jar: jar, Timeout: 30 * time.Second}, lang: lang}
}

// signIn signs in and lands on the role's page.
func (s *site) signIn(name, lang string) *user {
	s.t.Helper()
	u := s.user(lang)
	u.post("/signin", url.Values{"name": {name}, "password": {password}})
	if u.status != 200 || strings.HasPrefix(u.where, "/signin") {
		s.t.Fatalf("sign in as %s: %d at %s", name, u.status, u.where)
	}
	return u
}

func (u *user) do(req *http.Request) {
	u.t.Helper()
	if u.lang != "" {
		req.Header.Set("Accept-Language", u.lang)
	}
	resp, err := u.client.Do(req)
	if err != nil {
		u.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		u.t.Fatal(err)
	}
	u.page, u.status, u.where = string(body), resp.StatusCode, resp.Request.URL.RequestURI()
	u.ctype = resp.Header.Get("Content-Type")
}

// get opens a page.
func (u *user) get(path string) {
	u.t.Helper()
	req, _ := http.NewRequest("GET", u.s.url+path, nil)
	u.do(req)
}

// post sends a form with the CSRF value of the last page, unless the form
// names its own.
func (u *user) post(path string, form url.Values) {
	u.t.Helper()
	if _, ok := form["csrf"]; !ok {
		if m := csrfField.FindStringSubmatch(u.page); m != nil {
			form.Set("csrf", m[1])
		}
	}
	req, _ := http.NewRequest("POST", u.s.url+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	u.do(req)
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// has fails the test unless the last page contains every text.
func (u *user) has(what string, texts ...string) {
	u.t.Helper()
	page := html.UnescapeString(u.page)
	for _, text := range texts {
		if !strings.Contains(page, text) {
			u.t.Errorf("%s: page %s (%d) lacks %q", what, u.where, u.status, text)
		}
	}
}

// lacks fails the test if the last page contains any text.
func (u *user) lacks(what string, texts ...string) {
	u.t.Helper()
	page := html.UnescapeString(u.page)
	for _, text := range texts {
		if strings.Contains(page, text) {
			u.t.Errorf("%s: page %s (%d) has %q", what, u.where, u.status, text)
		}
	}
}

// history is a subject's records in the village, read as an admin.
func (s *site) history(identifier string) []ledger.Entry {
	s.t.Helper()
	h, err := s.svc.History(s.admin, "jiakuang-majia", identifier, 0, 100)
	if err != nil {
		s.t.Fatal(err)
	}
	return h
}

// subjectID finds a villager's store ID through the recorder's search.
func (u *user) subjectID(name string) string {
	u.t.Helper()
	u.get("/record?" + url.Values{"scheme": {"jiakuang-majia"}, "q": {name}}.Encode())
	m := regexp.MustCompile(`href="/record/jiakuang-majia/(\d+)"><strong>` + regexp.QuoteMeta(name)).FindStringSubmatch(u.page)
	if m == nil {
		u.t.Fatalf("search for %s found nothing: %s", name, u.page)
	}
	return m[1]
}

// missing stops a test that lacks something outside Go it needs (a
// program, a font): skipped on a developer's machine, failed in CI, which
// installs everything the tests need.
func missing(t *testing.T, what string) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s: CI must run this test (.ci/run installs it)", what)
	}
	t.Skip(what)
}
