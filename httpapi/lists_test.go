package httpapi_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/checkindex"
	"github.com/tallycredit/tally/examples"
	"github.com/tallycredit/tally/httpapi"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/sqlite"
)

// gatedStore holds the check index's load (its scan of list entries)
// until gate is closed, so that a test can ask while the index loads.
type gatedStore struct {
	ledger.Store
	gate chan struct{}
}

func (g gatedStore) View(ctx context.Context, fn func(ledger.Tx) error) error {
	return g.Store.View(ctx, func(tx ledger.Tx) error { return fn(gatedTx{tx, g.gate}) })
}

type gatedTx struct {
	ledger.Tx
	gate chan struct{}
}

func (g gatedTx) ScanListEntries(ctx context.Context, after int64, endsAfter time.Time, fn func(*tally.ListEntry) error) error {
	select {
	case <-g.gate:
	case <-ctx.Done():
		return ctx.Err()
	}
	return g.Tx.ScanListEntries(ctx, after, endsAfter, fn)
}

// listServer is a real server with the default catalogue and a check
// index that loads when gate is closed.
type listServer struct {
	*server
	checker *checkindex.Checker
	gate    chan struct{}
}

func startListServer(t *testing.T, tune ...func(*checkindex.CheckerOptions)) *listServer {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "lists.db"))
	if err != nil {
		t.Fatal(err)
	}
	gate := make(chan struct{})
	key, _ := ledger.ParseKey(ledger.GenerateKey())
	vault, _ := ledger.NewVault(key)
	svc := ledger.New(gatedStore{db, gate}, vault, ledger.Options{Now: func() time.Time { return now }})
	admin := ledger.WithPurpose(ledger.WithActor(context.Background(), &tally.Actor{Name: "admin", Role: tally.Admin}), "setup")
	if _, err := svc.PublishCatalogue(admin, "sanctions.yml", examples.Sanctions); err != nil {
		t.Fatal(err)
	}
	opts := checkindex.CheckerOptions{Poll: 20 * time.Millisecond}
	for _, f := range tune {
		f(&opts)
	}
	chk := checkindex.NewChecker(svc, opts)
	chk.Start(context.Background())
	api := httpapi.New(svc, slog.New(slog.NewTextHandler(io.Discard, nil)), nil, httpapi.Config{Checker: chk, Reports: testIssuer(t), Log: mustMemLog(t, 300)})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: checkContract(t, api), ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	t.Cleanup(func() {
		srv.Close()
		select {
		case <-gate:
		default:
			close(gate)
		}
		_ = chk.Close(context.Background())
		db.Close()
	})
	return &listServer{server: &server{t: t, url: "http://" + ln.Addr().String(), svc: svc, db: db, admin: admin}, checker: chk, gate: gate}
}

// ready opens the gate and waits for the index.
func (s *listServer) ready() {
	close(s.gate)
	for i := 0; !s.checker.Ready(); i++ {
		if i > 500 {
			s.t.Fatal("the check index did not load")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

const listing = `{"subject": "360426199101010071", "name": "张三", "case_number": "(2025)鲁1082执123号", "court": "荣成市人民法院",
	"decided": "2025-10-01", "notice": "2025-10-20", "grounds": "able to perform but refuses", "basis": "SPC Provisions art. 1(1)", "aggravation": 1}`

// A verifier whose upstream cannot vouch for the index (the exchange has
// gone quiet) answers 503 with the upstream's reason, in Chinese by
// default and in English when asked, never "allowed"; once the upstream
// is heard again it answers.
func TestCheckFailsClosedWhileUpstreamIsQuiet(t *testing.T) {
	var quiet atomic.Bool
	quiet.Store(true)
	s := startListServer(t, func(o *checkindex.CheckerOptions) {
		o.Upstream = func() error {
			if quiet.Load() {
				return tally.Errorf(tally.EUnavailable, "cannot answer: nothing heard from %s for %s (the bound is %s)", "court", "1m12s", "1m0s")
			}
			return nil
		}
	})
	s.ready()
	verifier := s.token(ledger.TokenSpec{Name: "airline", Role: tally.Verifier})
	body := `{"subject": "360426199101010071", "name": "张三", "measure": "air-travel"}`
	for _, c := range []struct{ lang, want string }{{"", "court"}, {"en", "nothing heard from court for 1m12s"}} {
		h := map[string]string{}
		if c.lang != "" {
			h["Accept-Language"] = c.lang
		}
		status, _, p := raw(t, "POST", s.url+"/api/v1/checks", verifier, "application/json", body, h)
		if status != 503 || p["code"] != "unavailable" || !strings.Contains(fmt.Sprint(p["detail"]), c.want) {
			t.Errorf("check while quiet (%q): %d %v, want 503 unavailable saying %q", c.lang, status, p, c.want)
		}
		if c.lang == "" && !strings.Contains(fmt.Sprint(p["detail"]), "无法答复") {
			t.Errorf("check while quiet: detail %q is not in Chinese", p["detail"])
		}
		status, _, p = raw(t, "POST", s.url+"/api/v1/checks/batch", verifier, "application/json",
			`{"measure": "air-travel", "items": [{"subject": "360426199101010071", "name": "张三"}]}`, h)
		if status != 503 || p["code"] != "unavailable" {
			t.Errorf("batch while quiet (%q): %d %v, want 503 unavailable", c.lang, status, p)
		}
	}
	// Eligibility answers from the same lists: it is held back too.
	admin := s.token(ledger.TokenSpec{Name: "registry", Role: tally.Admin})
	eligibility := s.url + "/api/v1/subjects/360426199101010071/eligibility?" + url.Values{"measure": {"air-travel"}, "purpose": {"boarding"}}.Encode()
	status, _, p := raw(t, "GET", eligibility, admin, "", "", nil)
	if status != 503 || p["code"] != "unavailable" || !strings.Contains(fmt.Sprint(p["detail"]), "无法答复") {
		t.Errorf("eligibility while quiet: %d %v, want 503 unavailable, in Chinese", status, p)
	}
	quiet.Store(false)
	status, _, a := raw(t, "POST", s.url+"/api/v1/checks", verifier, "application/json", body, nil)
	if status != 200 || a["answer"] != "allowed" {
		t.Errorf("check once heard again: %d %v, want 200 allowed", status, a)
	}
	if status, _, el := raw(t, "GET", eligibility, admin, "", "", nil); status != 200 || el["allowed"] != true {
		t.Errorf("eligibility once heard again: %d %v, want 200 allowed", status, el)
	}
}

// A check while the index loads gets 503, never an answer.
func TestCheckDuringIndexLoad(t *testing.T) {
	s := startListServer(t)
	verifier := s.token(ledger.TokenSpec{Name: "airline", Role: tally.Verifier})
	body := `{"subject": "360426199101010071", "name": "张三", "measure": "air-travel"}`
	status, _, p := raw(t, "POST", s.url+"/api/v1/checks", verifier, "application/json", body, nil)
	if status != 503 || p["code"] != "unavailable" {
		t.Errorf("check during the load: %d %v, want 503 unavailable", status, p)
	}
	status, _, p = raw(t, "POST", s.url+"/api/v1/checks/batch", verifier, "application/json",
		`{"measure": "air-travel", "items": [{"subject": "360426199101010071", "name": "张三"}]}`, nil)
	if status != 503 || p["code"] != "unavailable" {
		t.Errorf("batch during the load: %d %v, want 503 unavailable", status, p)
	}
	s.ready()
	status, _, a := raw(t, "POST", s.url+"/api/v1/checks", verifier, "application/json", body, nil)
	if status != 200 || a["answer"] != "allowed" {
		t.Errorf("check after the load: %d %v, want 200 allowed", status, a)
	}
}

func TestListsThroughTheAPI(t *testing.T) {
	s := startListServer(t)
	s.ready()
	court := s.token(ledger.TokenSpec{Name: "荣成市人民法院", Role: tally.Agency, Categories: []string{"judgment-defaulters"}})
	airline := s.token(ledger.TokenSpec{Name: "airline", Role: tally.Verifier, Categories: []string{"air-travel", "bus-ticket"}})
	admin := s.token(ledger.TokenSpec{Name: "registry", Role: tally.Admin})

	status, _, cat := raw(t, "GET", s.url+"/api/v1/catalogue", "", "", "", nil)
	if status != 200 || len(cat["measures"].([]any)) < 8 {
		t.Fatalf("catalogue: %d %v", status, cat)
	}
	// A listing without notice is refused, naming the field.
	noNotice := strings.Replace(listing, `"notice": "2025-10-20", `, "", 1)
	status, _, p := raw(t, "POST", s.url+"/api/v1/lists/judgment-defaulters/entries", court, "application/json", noNotice, nil)
	if status != 400 || p["field"] != "notice" {
		t.Errorf("listing without notice: %d %v, want 400 on notice", status, p)
	}
	status, _, e := raw(t, "POST", s.url+"/api/v1/lists/judgment-defaulters/entries", court, "application/json", listing, nil)
	if status != 201 || e["status"] != "in-effect" || e["case_number"] != "(2025)鲁1082执123号" || e["subject"] != "3604**********0071" {
		t.Fatalf("listing: %d %v", status, e)
	}
	status, _, _ = raw(t, "POST", s.url+"/api/v1/lists/judgment-defaulters/entries", court, "application/json", listing, nil)
	if status != 200 {
		t.Errorf("the same listing again: %d, want 200", status)
	}
	status, _, p = raw(t, "POST", s.url+"/api/v1/lists/judgment-defaulters/entries", airline, "application/json", listing, nil)
	if status != 403 {
		t.Errorf("a verifier listing: %d %v, want 403", status, p)
	}
	csv := "list,subject,name,case_number,court,decided,notice,grounds,basis\n" +
		"judgment-defaulters,34052419800101001X,李四,(2025)鲁1082执7号,荣成市人民法院,2025-10-01,2025-10-02,refuses,SPC art. 1\n" +
		"judgment-defaulters,34052419800101001X,李四,(2025)鲁1082执8号,荣成市人民法院,2025-10-01,,refuses,SPC art. 1\n"
	status, _, rep := raw(t, "POST", s.url+"/api/v1/lists/imports", court, "text/csv", csv, nil)
	if bad, _ := rep["bad"].([]any); status != 200 || rep["listed"] != 1.0 || len(bad) != 1 || bad[0].(map[string]any)["line"] != 3.0 {
		t.Errorf("import: %d %v, want 1 listed and line 3 bad", status, rep)
	}

	check := func(id, name, measure string) (int, map[string]any) {
		t.Helper()
		status, _, a := raw(t, "POST", s.url+"/api/v1/checks", airline, "application/json",
			`{"subject": "`+id+`", "name": "`+name+`", "measure": "`+measure+`"}`, nil)
		return status, a
	}
	if status, a := check(zhang, "张三", "air-travel"); status != 200 || a["answer"] != "denied" || a["ref"] == "" {
		t.Errorf("flight: %d %v, want denied with a reference", status, a)
	} else if len(a) != 4 {
		t.Errorf("check answer %v: want measure, answer, ref and as_of only", a)
	}
	if status, a := check(zhang, "张三", "bus-ticket"); status != 200 || a["answer"] != "allowed" {
		t.Errorf("bus: %d %v, want allowed", status, a)
	}
	if status, a := check(zhang, "王五", "air-travel"); status != 200 || a["answer"] != "name_mismatch" {
		t.Errorf("another name: %d %v, want name_mismatch", status, a)
	}
	if status, a := check("340524198001010013", "李四", "air-travel"); status != 400 || a["code"] != "invalid" || a["field"] != "subject" {
		t.Errorf("malformed identifier: %d %v, want 400 on subject", status, a)
	}
	railway := s.token(ledger.TokenSpec{Name: "railway", Role: tally.Verifier}) // every measure
	status, _, a := raw(t, "POST", s.url+"/api/v1/checks", railway, "application/json", `{"subject": "`+zhang+`", "name": "张三", "measure": "space-travel"}`, nil)
	if status != 400 || a["field"] != "measure" {
		t.Errorf("unknown measure: %d %v, want 400 on measure", status, a)
	}
	if status, a := check(zhang, "张三", "star-hotel"); status != 403 {
		t.Errorf("a measure outside the token's scope: %d %v, want 403", status, a)
	}
	status, _, b := raw(t, "POST", s.url+"/api/v1/checks/batch", airline, "application/json",
		`{"measure": "air-travel", "items": [{"subject": "360426199101010071", "name": "张三"}, {"subject": "11010519491231002X", "name": "赵六"}, {"subject": "123", "name": "x"}]}`, nil)
	items, _ := b["items"].([]any)
	if status != 200 || len(items) != 3 || items[0].(map[string]any)["answer"] != "denied" || items[1].(map[string]any)["answer"] != "allowed" ||
		items[2].(map[string]any)["answer"] != "invalid" {
		t.Errorf("batch: %d %v", status, b)
	}

	q := url.Values{"measure": {"air-travel"}, "purpose": {"objection review"}}
	status, _, el := raw(t, "GET", s.url+"/api/v1/subjects/"+zhang+"/eligibility?"+q.Encode(), admin, "", "", nil)
	reasons, _ := el["reasons"].([]any)
	if status != 200 || el["allowed"] != false || len(reasons) != 1 || reasons[0].(map[string]any)["case_number"] != "(2025)鲁1082执123号" {
		t.Errorf("eligibility: %d %v, want denied with the case", status, el)
	}

	// The debt is paid: removed, and the next check is allowed.
	status, _, e = raw(t, "POST", s.url+"/api/v1/lists/judgment-defaulters/removals", court, "application/json",
		`{"case_number": "(2025)鲁1082执123号", "reason": "performed", "note": "paid in full"}`, nil)
	if status != 201 || e["status"] != "removed" {
		t.Errorf("removal: %d %v, want 201 removed", status, e)
	}
	if status, a := check(zhang, "张三", "air-travel"); status != 200 || a["answer"] != "allowed" {
		t.Errorf("flight after removal: %d %v, want allowed", status, a)
	}

	status, _, st := raw(t, "GET", s.url+"/api/v1/checks/statistics?from=2026-11-26&to=2026-11-26", "", "", "", nil)
	counts, _ := st["counts"].([]any)
	if status != 200 || len(counts) != 2 {
		t.Fatalf("statistics: %d %v, want air-travel and bus-ticket", status, st)
	}
	air := counts[0].(map[string]any)
	if air["measure"] != "air-travel" || air["denied"] != 2.0 || air["allowed"] != 2.0 || air["name_mismatch"] != 1.0 {
		t.Errorf("air-travel counts %v, want 2 denied (one in the batch), 2 allowed, 1 mismatch", air)
	}
}
