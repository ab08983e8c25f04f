package web_test

import (
	"crypto/ed25519"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/demo"
	"github.com/tallycredit/tally/exchange"
	"github.com/tallycredit/tally/httpapi"
	"github.com/tallycredit/tally/ledger"
)

// No public surface shows a person who did not consent to publication
// (Shandong Social Credit Regulations 2020, Art. 20): on a demo village
// where one person refused before the month was closed and a role model
// withdrew afterwards, and both have a credit report issued, nothing
// anyone reaches signed out (every page linked from the public pages,
// /verify with the reports' codes, the board's poster as SVG and PDF,
// statistics, and every API route the public may call) carries either
// name or identifier.
func TestPublicSurfacesNeverShowAPersonWhoDidNotConsent(t *testing.T) {
	s := &site{t: t, clock: &clock{}, log: &logBuffer{}}
	s.clock.t = mustShanghai(t, 2026, 11, 26)
	s.admin = ledger.WithPurpose(ledger.WithActor(t.Context(), &tally.Actor{Name: "test-admin", Role: tally.Admin}), "test")
	s.path = filepath.Join(t.TempDir(), "demo.db")
	logSigner, err := exchange.NewSigner(ledger.LogKeyName(demo.Court), ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize)))
	if err != nil {
		t.Fatal(err)
	}
	s.db, s.svc = openLedgerWith(t, s.admin, s.path, s.clock.Now, ledger.LogSettings{Signer: logSigner})
	sum, err := demo.Build(s.admin, s.svc, demo.Options{Villagers: 40, Residents: 3, Shops: 2, Now: s.clock.Now()})
	if err != nil {
		t.Fatal(err)
	}
	is := issuer(t, s)
	s = withReportsFrom(t, s, is)
	const village = "jiakuang-majia"
	board := sum.Tour[0]
	if board.Absent == "" || board.Look.Zh == "" {
		t.Fatalf("the demo's board stop names nobody who refused (%q) or is on it (%q)", board.Absent, board.Look.Zh)
	}
	period := board.Path[strings.LastIndex(board.Path, "/")+1:]

	// The role model withdraws after the close: from then on no board
	// names them.
	withdrawn := foundIn(t, s, village, board.Look.Zh)
	if err := s.svc.SetPublication(s.admin, village, withdrawn.Identifier, false, "withdrawn at the desk"); err != nil {
		t.Fatal(err)
	}
	refused := foundIn(t, s, village, board.Absent)
	hidden := map[string]string{}
	var codes []string
	for _, p := range []ledger.Found{refused, withdrawn} {
		hidden[p.Name] = "the name of " + p.Name
		hidden[p.Identifier] = "the identifier of " + p.Name
		issued, _, err := is.Issue(s.admin, p.Identifier, "home loan", "zh")
		if err != nil {
			t.Fatal(err)
		}
		codes = append(codes, issued.Code)
	}
	shows := func(where, body string) {
		t.Helper()
		text := html.UnescapeString(body)
		for secret, what := range hidden {
			if strings.Contains(text, secret) {
				t.Errorf("%s shows %s", where, what)
			}
		}
	}

	// Every page reachable signed out, from the public start pages.
	seeds := []string{"/", "/verify", "/kiosk", "/signin"}
	for _, d := range sum.Schemes {
		seeds = append(seeds, "/schemes/"+d.Scheme, "/schemes/"+d.Scheme+"/statistics", "/schemes/"+d.Scheme+"/board")
	}
	for _, code := range codes {
		seeds = append(seeds, "/verify/"+code, "/verify?code="+code)
	}
	seeds = append(seeds, board.Path)
	visited := 0
	seen := map[string]bool{}
	queue := []string{}
	for _, p := range seeds {
		seen[p] = true
		queue = append(queue, p)
	}
	for len(queue) > 0 && visited < crawlLimit {
		path := queue[0]
		queue = queue[1:]
		for _, lang := range []string{"zh", "en"} {
			body, status, ctype := publicGet(t, s.url+path, lang)
			visited++
			if status >= 500 {
				t.Errorf("%s (%s): %d", path, lang, status)
			}
			shows(path+" ("+lang+")", body)
			if lang != "zh" || !strings.HasPrefix(ctype, "text/html") {
				continue
			}
			for _, link := range sameSiteLinks(body, s.url, path) {
				if !seen[link] && crawlable(link) && !strings.HasPrefix(link, "/lang/") {
					seen[link] = true
					queue = append(queue, link)
				}
			}
		}
	}
	if visited < 20 {
		t.Errorf("the signed-out walk reached only %d pages", visited)
	}

	// The board's poster, as SVG and as PDF (read by pdftotext).
	for _, lang := range []string{"zh", "en"} {
		svg, status, _ := publicGet(t, s.url+board.Path+"/poster.svg", lang)
		if status != http.StatusOK || !strings.Contains(svg, "<svg") {
			t.Fatalf("poster.svg (%s): %d", lang, status)
		}
		shows("poster.svg ("+lang+")", svg)
		pdf, status, _ := publicGet(t, s.url+board.Path+"/poster.pdf", lang)
		if status != http.StatusOK {
			t.Fatalf("poster.pdf (%s): %d", lang, status)
		}
		shows("poster.pdf ("+lang+")", pdfText(t, []byte(pdf)))
	}

	// Every API route the public may call, without a token; the log's
	// with a checkpoint over everything above, the refused person's
	// first record and the tiles that hold it.
	checkpoint, err := s.svc.SignLogCheckpoint(s.admin)
	if err != nil {
		t.Fatal(err)
	}
	history, err := s.svc.History(s.admin, village, refused.Identifier, 0, 1)
	if err != nil || len(history) == 0 {
		t.Fatalf("the refused person's history: %v, %v", history, err)
	}
	proof, err := s.svc.LogInclusion(s.admin, ledger.LogRecord, strconv.FormatInt(history[0].ID, 10), 0)
	if err != nil {
		t.Fatal(err)
	}
	tile := fmt.Sprintf("%03d", proof.Index/256)
	if rest := checkpoint.Size - proof.Index/256*256; rest < 256 {
		tile += fmt.Sprintf(".p/%d", rest)
	}
	logPaths := map[string][]string{
		"/log/tile/{path...}":     {"/log/tile/0/" + tile, "/log/tile/entries/" + tile},
		"/api/v1/log/proof":       {fmt.Sprintf("/api/v1/log/proof?kind=record&ref=%d", history[0].ID)},
		"/api/v1/log/consistency": {fmt.Sprintf("/api/v1/log/consistency?from=1&to=%d", checkpoint.Size)},
	}
	api := httptest.NewServer(httpapi.New(s.svc, slog.New(slog.NewTextHandler(io.Discard, nil)), nil, httpapi.Config{}))
	t.Cleanup(api.Close)
	public := &tally.Actor{Name: "public", Role: tally.Public}
	called := 0
	for _, rt := range httpapi.New(s.svc, slog.New(slog.NewTextHandler(io.Discard, nil)), nil, httpapi.Config{}).Routes() {
		method, pattern, _ := strings.Cut(rt.Pattern, " ")
		if method != http.MethodGet || rt.Op == "" || !ledger.Allowed(public, rt.Op, ledger.Target{Scheme: village}) {
			continue
		}
		paths := []string{pattern}
		if lp, ok := logPaths[pattern]; ok {
			paths = lp
		}
		if strings.Contains(pattern, "{code}") {
			paths = nil
			for _, code := range codes {
				paths = append(paths, strings.ReplaceAll(pattern, "{code}", code))
			}
		}
		for _, p := range paths {
			p = strings.NewReplacer("{scheme}", village, "{version}", "1", "{period}", period).Replace(p)
			body, status, _ := publicGet(t, api.URL+p, "zh")
			if status != http.StatusOK {
				t.Errorf("GET %s: %d, want 200", p, status)
			}
			called++
			shows("GET "+p, body)
		}
	}
	if called < 6 {
		t.Errorf("only %d public API routes were called", called)
	}
	body, _, _ := publicGet(t, api.URL+"/api/v1/schemes/"+village+"/closes/"+period+"/board", "zh")
	if !strings.Contains(body, `"entries"`) {
		t.Errorf("the board API answered without entries: %.200s", body)
	}
}

// foundIn is the enrolled subject of a scheme with exactly this name.
func foundIn(t *testing.T, s *site, scheme, name string) ledger.Found {
	t.Helper()
	found, err := s.svc.Find(s.admin, scheme, name)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range found {
		if f.Name == name {
			return f
		}
	}
	t.Fatalf("%s: nobody named %s", scheme, name)
	return ledger.Found{}
}

// publicGet reads a URL with no session and no token, in lang.
func publicGet(t *testing.T, url, lang string) (body string, status int, ctype string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept-Language", lang)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		t.Fatal(err)
	}
	return string(b), resp.StatusCode, resp.Header.Get("Content-Type")
}
