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
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/checkindex"
	"github.com/tallycredit/tally/examples"
	"github.com/tallycredit/tally/httpapi"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/postgres"
	"github.com/tallycredit/tally/postgres/pgtest"
	"github.com/tallycredit/tally/sqlite"
)

// Every route, asked by every role in and out of its scope, through the
// real server, on SQLite and on PostgreSQL: a refusal (401 or 403) exactly
// where ledger.Policy refuses, and never a 5xx.
func TestEveryRoleEveryOperation(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "authz.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		walkPolicy(t, db)
	})
	t.Run("postgres", func(t *testing.T) {
		db, err := postgres.Open(context.Background(), pgtest.Fresh(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		walkPolicy(t, db)
	})
}

// caller is one token holder of the walk (no secret: the public).
type caller struct {
	name   string
	secret string
	actor  *tally.Actor
}

// authzFixture is what the routes of the walk point at.
type authzFixture struct {
	zhangLookup []byte
	record      *ledger.Recorded // a good deed in the village by fixture-recorder
	held        *ledger.Recorded // a city deduction waiting for a second person
	objection   int64
	repair      int64
	commitment  int64 // signed in the village under conduct.littering
	proposal    int64 // Zhang proposed for serious-violators by "admin"
	victim      int64 // a token to revoke
}

// request is one call of a route, and the target the policy judges it on.
type request struct {
	method, path, contentType, body string
	target                          ledger.Target
	bytes                           bool // a success is not JSON (the log's checkpoint and tiles)
}

func walkPolicy(t *testing.T, store ledger.Store) {
	key, _ := ledger.ParseKey(ledger.GenerateKey())
	vault, _ := ledger.NewVault(key)
	svc := ledger.New(store, vault, ledger.Options{Now: func() time.Time { return now }})
	admin := ledger.WithPurpose(ledger.WithActor(context.Background(), &tally.Actor{Name: "admin", Role: tally.Admin}), "setup")
	f := setUpAuthz(t, svc, admin)

	chk := checkindex.NewChecker(svc, checkindex.CheckerOptions{Poll: 20 * time.Millisecond})
	chk.Start(context.Background())
	t.Cleanup(func() { _ = chk.Close(context.Background()) })
	for i := 0; !chk.Ready(); i++ {
		if i > 1000 {
			t.Fatal("the check index did not load")
		}
		time.Sleep(10 * time.Millisecond)
	}
	api := httpapi.New(svc, slog.New(slog.NewTextHandler(io.Discard, nil)), nil, httpapi.Config{Checker: chk, Rate: 1e6, Burst: 1e6, Reports: testIssuer(t)})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: api, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	base := "http://" + ln.Addr().String()

	const village, city = "jiakuang-majia", "rongcheng-city"
	specs := []ledger.TokenSpec{
		{Name: "authz-admin", Role: tally.Admin},
		{Name: "maker-in", Role: tally.RuleMaker, Schemes: []string{village}},
		{Name: "maker-out", Role: tally.RuleMaker, Schemes: []string{city}},
		{Name: "recorder-in", Role: tally.Recorder, Schemes: []string{village}, Rules: []string{"labour.volunteer"}},
		{Name: "recorder-out", Role: tally.Recorder, Schemes: []string{city}},
		{Name: "agency-in", Role: tally.Agency, Schemes: []string{village}, Categories: []string{"volunteering", "judgment-defaulters"}},
		{Name: "agency-out", Role: tally.Agency, Schemes: []string{city}, Categories: []string{"utilities", "tax-defaulters"}},
		{Name: "reviewer-in", Role: tally.Reviewer, Schemes: []string{village}},
		{Name: "reviewer-out", Role: tally.Reviewer, Schemes: []string{city}},
		{Name: "verifier-in", Role: tally.Verifier, Categories: []string{"air-travel"}},
		{Name: "verifier-out", Role: tally.Verifier, Schemes: []string{city}, Categories: []string{"star-hotel"}},
		{Name: "subject-zhang", Role: tally.SubjectR, Subject: zhang},
		{Name: "subject-li", Role: tally.SubjectR, Subject: li},
	}
	callers := []caller{{name: "public", actor: ledger.ActorOf(context.Background())}}
	for _, spec := range specs {
		secret, _, err := svc.CreateToken(admin, spec)
		if err != nil {
			t.Fatal(err)
		}
		a, err := svc.Authenticate(context.Background(), secret)
		if err != nil {
			t.Fatal(err)
		}
		callers = append(callers, caller{spec.Name, secret, a})
	}

	own := func(c caller) ledger.Target { return ledger.Target{Lookup: c.actor.Lookup} }
	zhangIn := func(scheme string) ledger.Target { return ledger.Target{Scheme: scheme, Lookup: f.zhangLookup} }
	purpose := "?purpose=" + url.QueryEscape("authorization test")
	src, _ := examples.Rulebooks.ReadFile("village.yaml")
	// cases gives, for every route of the API, the request a caller makes.
	cases := map[string]func(c caller) request{
		"GET /api/v1/schemes":                             func(caller) request { return request{path: "/api/v1/schemes"} },
		"GET /api/v1/schemes/{scheme}":                    func(caller) request { return request{path: "/api/v1/schemes/" + village} },
		"GET /api/v1/schemes/{scheme}/versions/{version}": func(caller) request { return request{path: "/api/v1/schemes/" + village + "/versions/1"} },
		"GET /api/v1/schemes/{scheme}/statistics":         func(caller) request { return request{path: "/api/v1/schemes/" + village + "/statistics"} },
		"POST /api/v1/rulebooks/lint": func(caller) request {
			return request{method: "POST", path: "/api/v1/rulebooks/lint", contentType: "application/yaml", body: string(src)}
		},
		"POST /api/v1/rulebooks": func(caller) request {
			return request{method: "POST", path: "/api/v1/rulebooks", contentType: "application/yaml", body: string(src), target: ledger.Target{Scheme: village}}
		},
		"POST /api/v1/subjects": func(caller) request {
			return request{method: "POST", path: "/api/v1/subjects", body: `{"kind": "person", "id": "` + zhang + `", "name": "张三"}`}
		},
		"POST /api/v1/subjects/imports": func(caller) request {
			return request{method: "POST", path: "/api/v1/subjects/imports", contentType: "text/csv", body: "kind,id,name\nperson," + zhang + ",张三\n"}
		},
		"POST /api/v1/schemes/{scheme}/enrolments": func(caller) request {
			return request{method: "POST", path: "/api/v1/schemes/" + village + "/enrolments", body: `{"subject": "` + zhang + `", "consent": true, "how": "signed form"}`,
				target: ledger.Target{Scheme: village}}
		},
		"POST /api/v1/schemes/{scheme}/records": func(c caller) request {
			return request{method: "POST", path: "/api/v1/schemes/" + village + "/records",
				body:   `{"subject": "` + zhang + `", "rule": "labour.volunteer", "facts": {"hours": 4}, "at": "2026-03-03", "ref": "authz/` + c.name + `"}`,
				target: ledger.Target{Scheme: village, Rule: "labour.volunteer", Category: "volunteering"}}
		},
		"POST /api/v1/schemes/{scheme}/records/{id}/reversal": func(c caller) request {
			return request{method: "POST", path: fmt.Sprintf("/api/v1/schemes/%s/records/%d/reversal", village, f.record.Record.ID),
				body: `{"reason": "entered twice", "ref": "authz-undo/` + c.name + `"}`, target: ledger.Target{Scheme: village, MadeBy: f.record.Record.RecordedBy}}
		},
		"POST /api/v1/imports": func(c caller) request {
			return request{method: "POST", path: "/api/v1/imports?scheme=" + village, contentType: "text/csv",
				body: "subject,rule,at,ref,facts\n" + zhang + ",labour.volunteer,2026-03-04,authz-import/" + c.name + ",hours=2\n"}
		},
		"GET /api/v1/schemes/{scheme}/subjects/{subject}/score": func(caller) request {
			return request{path: "/api/v1/schemes/" + village + "/subjects/" + zhang + "/score" + purpose, target: zhangIn(village)}
		},
		"GET /api/v1/schemes/{scheme}/subjects/{subject}/explanation": func(caller) request {
			return request{path: "/api/v1/schemes/" + village + "/subjects/" + zhang + "/explanation" + purpose, target: zhangIn(village)}
		},
		"GET /api/v1/schemes/{scheme}/subjects/{subject}/records": func(caller) request {
			return request{path: "/api/v1/schemes/" + village + "/subjects/" + zhang + "/records" + purpose, target: zhangIn(village)}
		},
		"GET /api/v1/subjects/{subject}/access-log": func(caller) request {
			return request{path: "/api/v1/subjects/" + zhang + "/access-log" + purpose, target: zhangIn("")}
		},
		"POST /api/v1/verify": func(caller) request {
			return request{method: "POST", path: "/api/v1/verify", body: `{"scheme": "` + village + `", "subject": "` + zhang + `", "grade_at_least": "B", "purpose": "loan"}`,
				target: ledger.Target{Scheme: village}}
		},
		"GET /api/v1/me": func(caller) request { return request{path: "/api/v1/me"} },
		"POST /api/v1/tokens": func(c caller) request {
			return request{method: "POST", path: "/api/v1/tokens", body: `{"name": "made-by-` + c.name + `", "role": "verifier"}`}
		},
		"GET /api/v1/tokens": func(caller) request { return request{path: "/api/v1/tokens"} },
		"POST /api/v1/tokens/{id}/revocation": func(caller) request {
			return request{method: "POST", path: fmt.Sprintf("/api/v1/tokens/%d/revocation", f.victim)}
		},
		"GET /api/v1/catalogue":   func(caller) request { return request{path: "/api/v1/catalogue"} },
		"GET /api/v1/agreements":  func(caller) request { return request{path: "/api/v1/agreements"} },
		"GET /log/checkpoint":     func(caller) request { return request{path: "/log/checkpoint", bytes: true} },
		"GET /log/tile/{path...}": func(caller) request { return request{path: "/log/tile/0/000.p/3", bytes: true} },
		"GET /api/v1/log/proof":   func(caller) request { return request{path: "/api/v1/log/proof?kind=record&ref=1"} },
		"GET /api/v1/log/consistency": func(caller) request {
			return request{path: "/api/v1/log/consistency?from=1&to=3"}
		},
		"POST /api/v1/lists/{list}/entries": func(c caller) request {
			return request{method: "POST", path: "/api/v1/lists/judgment-defaulters/entries", body: listing, target: ledger.Target{Category: "judgment-defaulters"}}
		},
		"POST /api/v1/lists/{list}/removals": func(caller) request {
			return request{method: "POST", path: "/api/v1/lists/judgment-defaulters/removals",
				body:   `{"case_number": "(2025)鲁1082执123号", "reason": "paid", "on": "2026-11-01", "note": "receipt"}`,
				target: ledger.Target{Category: "judgment-defaulters"}}
		},
		"POST /api/v1/lists/imports": func(caller) request {
			return request{method: "POST", path: "/api/v1/lists/imports", contentType: "text/csv",
				body: "list,subject,name,case_number,court,decided,notice,grounds,basis\njudgment-defaulters," + li + ",李四,(2025)鲁1082执9号,荣成市人民法院,2025-10-01,2025-10-02,refuses,SPC art. 1\n"}
		},
		"POST /api/v1/revocations": func(c caller) request {
			return request{method: "POST", path: "/api/v1/revocations", body: `{"source": "(2026)walk-` + c.name + `", "note": "revoked on appeal"}`}
		},
		"GET /api/v1/revocations": func(caller) request { return request{path: "/api/v1/revocations?overdue=true"} },
		"GET /api/v1/subjects/{subject}/eligibility": func(caller) request {
			return request{path: "/api/v1/subjects/" + zhang + "/eligibility" + purpose + "&measure=air-travel", target: zhangIn("")}
		},
		"POST /api/v1/checks": func(caller) request {
			return request{method: "POST", path: "/api/v1/checks", body: `{"subject": "` + zhang + `", "name": "张三", "measure": "air-travel"}`,
				target: ledger.Target{Category: "air-travel"}}
		},
		"POST /api/v1/checks/batch": func(caller) request {
			return request{method: "POST", path: "/api/v1/checks/batch", body: `{"measure": "air-travel", "items": [{"subject": "` + zhang + `", "name": "张三"}]}`,
				target: ledger.Target{Category: "air-travel"}}
		},
		"GET /api/v1/checks/statistics": func(caller) request { return request{path: "/api/v1/checks/statistics"} },
		"POST /api/v1/objections": func(caller) request {
			return request{method: "POST", path: "/api/v1/objections",
				body:   fmt.Sprintf(`{"scheme": "%s", "subject": "%s", "record": %d, "grounds": "I was not there"}`, village, zhang, f.record.Record.ID),
				target: zhangIn(village)}
		},
		"GET /api/v1/objections": func(c caller) request {
			t := own(c)
			t.Scheme = village
			return request{path: "/api/v1/objections?scheme=" + village, target: t}
		},
		"POST /api/v1/objections/{id}/acknowledgement": func(caller) request {
			return request{method: "POST", path: fmt.Sprintf("/api/v1/objections/%d/acknowledgement", f.objection), target: ledger.Target{Scheme: village}}
		},
		"POST /api/v1/objections/{id}/decision": func(caller) request {
			return request{method: "POST", path: fmt.Sprintf("/api/v1/objections/%d/decision", f.objection),
				body: `{"outcome": "upheld", "reasons": "the register shows the hours"}`, target: ledger.Target{Scheme: village}}
		},
		"POST /api/v1/objections/{id}/appeal": func(caller) request {
			return request{method: "POST", path: fmt.Sprintf("/api/v1/objections/%d/appeal", f.objection),
				body: `{"grounds": "the register is wrong"}`, target: zhangIn(village)}
		},
		"GET /api/v1/reviews": func(caller) request {
			return request{path: "/api/v1/reviews?scheme=" + city, target: ledger.Target{Scheme: city}}
		},
		"POST /api/v1/reviews/{record}/approval": func(caller) request {
			return request{method: "POST", path: fmt.Sprintf("/api/v1/reviews/%d/approval", f.held.Record.ID),
				body: `{"reasons": "the meter photos show it"}`, target: ledger.Target{Scheme: city}}
		},
		"POST /api/v1/reviews/{record}/rejection": func(caller) request {
			return request{method: "POST", path: fmt.Sprintf("/api/v1/reviews/%d/rejection", f.held.Record.ID),
				body: `{"reasons": "no evidence"}`, target: ledger.Target{Scheme: city}}
		},
		"POST /api/v1/repairs": func(caller) request {
			return request{method: "POST", path: "/api/v1/repairs",
				body:   fmt.Sprintf(`{"scheme": "%s", "subject": "%s", "record": %d, "obligations": "cleaned the square"}`, village, zhang, f.record.Record.ID),
				target: zhangIn(village)}
		},
		"GET /api/v1/repairs": func(c caller) request {
			t := own(c)
			t.Scheme = village
			return request{path: "/api/v1/repairs?scheme=" + village, target: t}
		},
		"GET /api/v1/notices": func(c caller) request {
			return request{path: "/api/v1/notices", target: own(c)}
		},
		"POST /api/v1/repairs/{id}/decision": func(caller) request {
			return request{method: "POST", path: fmt.Sprintf("/api/v1/repairs/%d/decision", f.repair),
				body: `{"approve": true, "reasons": "done"}`, target: ledger.Target{Scheme: village}}
		},
		"POST /api/v1/schemes/{scheme}/closes": func(caller) request {
			return request{method: "POST", path: "/api/v1/schemes/" + village + "/closes", body: `{"period": "2026-02"}`, target: ledger.Target{Scheme: village}}
		},
		"GET /api/v1/schemes/{scheme}/closes/{period}": func(caller) request {
			return request{path: "/api/v1/schemes/" + village + "/closes/2026-02", target: ledger.Target{Scheme: village}}
		},
		"GET /api/v1/schemes/{scheme}/closes/{period}/rows": func(caller) request {
			return request{path: "/api/v1/schemes/" + village + "/closes/2026-02/rows", target: ledger.Target{Scheme: village}}
		},
		"GET /api/v1/schemes/{scheme}/closes/{period}/board": func(caller) request {
			return request{path: "/api/v1/schemes/" + village + "/closes/2026-02/board"}
		},
		"GET /api/v1/reports/{code}": func(caller) request { return request{path: "/api/v1/reports/ABCD1234"} },
		"POST /api/v1/reports/special": func(caller) request {
			return request{method: "POST", path: "/api/v1/reports/special", target: zhangIn(""),
				body: `{"subject": "` + zhang + `", "from": "2026-01-01", "purpose": "authorization test", "authorisation": "授权书 1"}`}
		},
		"GET /api/v1/proposals": func(c caller) request {
			t := own(c)
			t.Category = "serious-violators"
			return request{path: "/api/v1/proposals?list=serious-violators", target: t}
		},
		"POST /api/v1/proposals/{id}/statement": func(caller) request {
			return request{method: "POST", path: fmt.Sprintf("/api/v1/proposals/%d/statement", f.proposal), body: `{"text": "the goods were genuine"}`,
				target: ledger.Target{Category: "serious-violators", Lookup: f.zhangLookup}}
		},
		"POST /api/v1/proposals/{id}/decision": func(caller) request {
			return request{method: "POST", path: fmt.Sprintf("/api/v1/proposals/%d/decision", f.proposal), body: `{"list": false, "reasons": "not proven"}`,
				target: ledger.Target{Category: "serious-violators"}}
		},
		"POST /api/v1/commitments": func(caller) request {
			return request{method: "POST", path: "/api/v1/commitments",
				body: `{"scheme": "` + village + `", "subject": "` + zhang + `", "what": {"zh": "清理门前", "en": "clear the doorstep"}, ` +
					`"due": "2026-12-31", "rule": "conduct.littering", "permit": "摊位 3"}`,
				target: ledger.Target{Scheme: village, Rule: "conduct.littering", Category: "environment"}}
		},
		"GET /api/v1/commitments": func(c caller) request {
			t := own(c)
			t.Scheme = village
			return request{path: "/api/v1/commitments?scheme=" + village, target: t}
		},
		"POST /api/v1/commitments/{id}/fulfilment": func(caller) request {
			return request{method: "POST", path: fmt.Sprintf("/api/v1/commitments/%d/fulfilment", f.commitment), body: `{"note": "cleared"}`,
				target: ledger.Target{Scheme: village, Rule: "conduct.littering", Category: "environment"}}
		},
		"POST /api/v1/commitments/{id}/breach": func(caller) request {
			return request{method: "POST", path: fmt.Sprintf("/api/v1/commitments/%d/breach", f.commitment), body: `{"note": "not cleared"}`,
				target: ledger.Target{Scheme: village, Rule: "conduct.littering", Category: "environment"}}
		},
	}

	for _, route := range api.Routes() {
		make, ok := cases[route.Pattern]
		if !ok {
			t.Errorf("route %s (%s) has no case in this walk: add one", route.Pattern, route.Op)
			continue
		}
		if route.Op != "" && !knownOp(route.Op) {
			t.Errorf("route %s names operation %q, which ledger.Policy does not have", route.Pattern, route.Op)
		}
		for _, c := range callers {
			req := make(c)
			if req.method == "" {
				req.method = "GET"
			}
			if req.contentType == "" && req.body != "" {
				req.contentType = "application/json"
			}
			want := route.Op == "" || ledger.Allowed(c.actor, route.Op, req.target)
			var status int
			var p any
			if req.bytes {
				status, _, p = get(t, base+req.path, "Authorization", "Bearer "+c.secret)
			} else {
				status, _, p = raw(t, req.method, base+req.path, c.secret, req.contentType, req.body, nil)
			}
			refused := status == http.StatusUnauthorized || status == http.StatusForbidden
			switch {
			case status >= 500:
				t.Errorf("%s by %s: %d %v", route.Pattern, c.name, status, p)
			case want && refused:
				t.Errorf("%s by %s: refused %d %v, but the policy allows %s", route.Pattern, c.name, status, p, route.Op)
			case !want && !refused:
				t.Errorf("%s by %s: %d %v, but the policy refuses %s", route.Pattern, c.name, status, p, route.Op)
			}
		}
	}
	for pattern := range cases {
		found := false
		for _, r := range api.Routes() {
			found = found || r.Pattern == pattern
		}
		if !found {
			t.Errorf("the walk has a case for %s, which the API does not serve", pattern)
		}
	}
}

func knownOp(op ledger.Op) bool {
	for _, p := range ledger.Policy {
		if p.Op == op {
			return true
		}
	}
	return false
}

// setUpAuthz publishes the example rulebooks and catalogue and makes the
// entries the walk points at, none of them by a caller of the walk.
func setUpAuthz(t *testing.T, svc *ledger.Service, admin context.Context) *authzFixture {
	t.Helper()
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	_, err := svc.PublishCatalogue(admin, "sanctions.yml", examples.Sanctions)
	must("catalogue", err)
	for _, name := range []string{"village.yaml", "city.yaml"} {
		src, err := examples.Rulebooks.ReadFile(name)
		must(name, err)
		_, err = svc.Publish(admin, name, src)
		must(name, err)
	}
	for _, p := range []struct{ id, name string }{{zhang, "张三"}, {li, "李四"}} {
		_, err := svc.AddSubject(admin, ledger.NewSubject{Kind: tally.Person, Identifier: p.id, Name: p.name})
		must("add "+p.name, err)
		for _, scheme := range []string{"jiakuang-majia", "rongcheng-city"} {
			_, err = svc.Enrol(admin, ledger.Enrolment{Scheme: scheme, Identifier: p.id, Consent: true, How: "signed form"})
			must("enrol "+p.name, err)
		}
	}
	f := &authzFixture{}
	day := func(s string) time.Time {
		d, _ := time.ParseInLocation(time.DateOnly, s, now.Location())
		return d.Add(10 * time.Hour)
	}
	f.record, err = svc.Record(admin, ledger.Conduct{Scheme: "jiakuang-majia", Identifier: zhang, Rule: "labour.volunteer",
		FactArgs: []string{"hours=8"}, At: day("2026-03-02"), Ref: "fixture/1", By: "fixture-recorder"})
	must("record", err)
	litter, err := svc.Record(admin, ledger.Conduct{Scheme: "jiakuang-majia", Identifier: zhang, Rule: "conduct.littering",
		At: day("2026-11-20"), Ref: "fixture/2", Evidence: "photo 7", By: "fixture-recorder"})
	must("deduction", err)
	f.held, err = svc.Record(admin, ledger.Conduct{Scheme: "rongcheng-city", Identifier: zhang, Rule: "utilities.theft",
		At: day("2026-11-02"), Ref: "fixture/3", Evidence: "meter photos", By: "fixture-recorder"})
	must("held deduction", err)

	self := ledger.WithActor(context.Background(), &tally.Actor{Name: "zhang", Role: tally.SubjectR, Lookup: lookupOf(t, svc, admin, zhang)})
	f.zhangLookup = ledger.ActorOf(self).Lookup
	o, err := svc.Object(self, ledger.ObjectionInput{Scheme: "jiakuang-majia", Identifier: zhang, Record: f.record.Record.ID, Grounds: "I worked 8 hours, not 4"})
	must("objection", err)
	f.objection = o.ID
	rp, err := svc.ApplyRepair(self, ledger.RepairInput{Scheme: "jiakuang-majia", Identifier: zhang, Record: litter.Record.ID, Obligations: "cleaned the square"})
	must("repair", err)
	f.repair = rp.ID
	cm, err := svc.Sign(admin, ledger.CommitmentInput{Scheme: "jiakuang-majia", Identifier: zhang, What: tally.Text{Zh: "清理门前", En: "clear the doorstep"},
		Due: "2026-12-31", Rule: "conduct.littering", Permit: "摊位 3"})
	must("commitment", err)
	f.commitment = cm.ID
	pv, err := svc.List(admin, ledger.Listing{List: "serious-violators", Identifier: zhang, Name: "张三", CaseNumber: "荣市监罚〔2026〕1号",
		Court: "荣成市市场监督管理局", DecidedOn: day("2026-11-20"), Grounds: "counterfeit goods", Basis: "Product Quality Law art. 50"})
	must("proposal", err)
	f.proposal = pv.Proposal.ID
	_, victim, err := svc.CreateToken(admin, ledger.TokenSpec{Name: "victim", Role: tally.Verifier})
	must("victim token", err)
	f.victim = victim.ID
	return f
}

// lookupOf returns the lookup hash of an identifier, as a subject token
// for it carries.
func lookupOf(t *testing.T, svc *ledger.Service, admin context.Context, id string) []byte {
	t.Helper()
	secret, _, err := svc.CreateToken(admin, ledger.TokenSpec{Name: "lookup-" + strings.ToLower(id), Role: tally.SubjectR, Subject: id})
	if err != nil {
		t.Fatal(err)
	}
	a, err := svc.Authenticate(context.Background(), secret)
	if err != nil {
		t.Fatal(err)
	}
	return a.Lookup
}
