package httpapi_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/client"
	"github.com/tallycredit/tally/examples"
	"github.com/tallycredit/tally/httpapi"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/wire"
)

// tap keeps the last exchange of the clients that use it. It is not safe
// for concurrent use: the test calls one route at a time.
type tap struct {
	req  *http.Request
	body []byte
}

func (t *tap) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	t.req, t.body = r, body
	return resp, nil
}

// call is one request through the client: the route it is meant for, and
// the call, which returns the value the client decoded (nil when the
// client keeps nothing of the answer).
type call struct {
	route string
	do    func() (any, error)
}

// The client and the server share the wire types, so every answer must
// reach a Go program whole: this calls every route of the API through the
// client, on a real server, and checks that the value the client returns,
// encoded again, is the JSON the server sent. A field the server sends
// that the client's type lacks or names otherwise fails it, and so does a
// route no call reaches.
func TestClientReadsEveryAnswer(t *testing.T) {
	s := startListServer(t)
	s.ready()
	ctx := context.Background()
	const city, village = "rongcheng-city", "jiakuang-majia"
	tp := &tap{}
	as := func(spec ledger.TokenSpec) *client.Client {
		if spec.Role == "" {
			return client.New(s.url, "", &http.Client{Transport: tp})
		}
		return client.New(s.url, s.token(spec), &http.Client{Transport: tp})
	}
	public := as(ledger.TokenSpec{})
	admin := as(ledger.TokenSpec{Name: "registry", Role: tally.Admin})
	// Tokens scoped to a scheme or a subject are made once it exists.
	var recorder, reviewer, second, court, verifier, me *client.Client
	audit := &client.Options{Purpose: "audit"}
	rulebook := func(name string) []byte {
		src, err := examples.Rulebooks.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		return src
	}
	// IDs the later calls need, kept by the earlier ones.
	var reversible, held, rejected, loan, fee, objection, upheld, repair, token, kept, broken, proposal int64
	// record records conduct of zhang's and keeps the record's ID in out.
	record := func(scheme, rule, at, ref string, facts map[string]any, out *int64) call {
		return call{"POST /api/v1/schemes/{scheme}/records", func() (any, error) {
			r, err := recorder.Record(ctx, scheme, client.Conduct{Subject: zhang, Rule: rule, Facts: facts, At: at, Ref: ref, Evidence: "note"}, nil)
			if err == nil && out != nil {
				*out = r.Record.ID
			}
			return r, err
		}}
	}
	calls := []call{
		{"POST /api/v1/rulebooks/lint", func() (any, error) { return public.Lint(ctx, rulebook("city.yaml")) }},
		{"POST /api/v1/rulebooks", func() (any, error) { return admin.Publish(ctx, "city.yaml", rulebook("city.yaml"), nil) }},
		{"POST /api/v1/rulebooks", func() (any, error) { return admin.Publish(ctx, "village.yaml", rulebook("village.yaml"), nil) }},
		{"GET /api/v1/schemes", func() (any, error) { return public.Schemes(ctx, "", 1) }},
		{"GET /api/v1/schemes/{scheme}", func() (any, error) { return public.Scheme(ctx, city) }},
		{"GET /api/v1/schemes/{scheme}", func() (any, error) { return public.Scheme(ctx, village) }},
		{"GET /api/v1/schemes/{scheme}/versions/{version}", func() (any, error) { return public.Version(ctx, city, 1) }},

		{"POST /api/v1/subjects", func() (any, error) {
			recorder = as(ledger.TokenSpec{Name: "recorder-7", Role: tally.Recorder, Schemes: []string{city, village}})
			reviewer = as(ledger.TokenSpec{Name: "reviewer-2", Role: tally.Reviewer, Schemes: []string{city}})
			second = as(ledger.TokenSpec{Name: "reviewer-3", Role: tally.Reviewer, Schemes: []string{city}})
			court = as(ledger.TokenSpec{Name: "荣成市人民法院", Role: tally.Agency, Categories: []string{"judgment-defaulters"}})
			verifier = as(ledger.TokenSpec{Name: "railway", Role: tally.Verifier})
			out, err := recorder.AddSubject(ctx, tally.Person, zhang, "张三", nil)
			me = as(ledger.TokenSpec{Name: "zhang", Role: tally.SubjectR, Subject: zhang})
			return out, err
		}},
		{"POST /api/v1/subjects/imports", func() (any, error) {
			return admin.ImportSubjects(ctx, strings.NewReader("kind,id,name,scheme,unit,consent,how\nperson,"+li+",李四,"+village+",一组,true,signed form\n"), nil)
		}},
		{"POST /api/v1/schemes/{scheme}/enrolments", func() (any, error) { return recorder.Enrol(ctx, city, zhang, "", true, "signed", nil) }},
		{"POST /api/v1/schemes/{scheme}/enrolments", func() (any, error) {
			return recorder.Enrol(ctx, village, zhang, "一组", true, "signed form", nil)
		}},
		record(village, "donation", "2026-10-03", "v/1", map[string]any{"value": 1300}, nil),
		record(village, "conduct.littering", "2026-10-04", "v/2", nil, &reversible),
		{"POST /api/v1/schemes/{scheme}/records/{id}/reversal", func() (any, error) {
			return recorder.Reverse(ctx, village, reversible, "the wrong person", "v/2/reversal", nil)
		}},
		{"POST /api/v1/imports", func() (any, error) {
			return recorder.Import(ctx, "text/csv", strings.NewReader("scheme,subject,rule,at,ref,facts,evidence\n"+
				village+","+zhang+",labour.volunteer,2026-10-09,v/3,hours=8,\n"+village+","+zhang+",sleep,2026-10-09,v/4,,\n"), nil)
		}},
		record(city, "utilities.theft", "2026-10-01", "c/1", nil, &held),
		record(city, "utilities.equipment-damage", "2026-10-02", "c/2", nil, &rejected),
		record(city, "finance.loan-default", "2026-11-01", "c/3", nil, &loan),
		record(city, "utilities.late-fees", "2026-11-20", "c/4", nil, &fee),

		{"GET /api/v1/reviews", func() (any, error) { return reviewer.PendingReviews(ctx, city, "", 10) }},
		{"POST /api/v1/reviews/{record}/approval", func() (any, error) { return reviewer.Review(ctx, held, true, "checked", nil) }},
		{"POST /api/v1/reviews/{record}/rejection", func() (any, error) { return reviewer.Review(ctx, rejected, false, "wrong house", nil) }},
		{"POST /api/v1/objections", func() (any, error) {
			o, err := me.Object(ctx, client.ObjectionRequest{Scheme: city, Subject: zhang, Record: loan, Grounds: "repaid", Evidence: "letter"}, nil)
			if err == nil {
				objection = o.ID
			}
			return o, err
		}},
		{"POST /api/v1/objections/{id}/acknowledgement", func() (any, error) { return reviewer.Acknowledge(ctx, objection, nil) }},
		{"POST /api/v1/objections/{id}/decision", func() (any, error) {
			return second.Decide(ctx, objection, client.DecisionRequest{Outcome: tally.Voided, Reasons: "bank confirms"}, nil)
		}},
		{"POST /api/v1/objections", func() (any, error) {
			o, err := me.Object(ctx, client.ObjectionRequest{Scheme: city, Subject: zhang, Grounds: "my score is wrong"}, nil)
			if err == nil {
				upheld = o.ID
			}
			return o, err
		}},
		{"POST /api/v1/objections/{id}/decision", func() (any, error) {
			return second.Decide(ctx, upheld, client.DecisionRequest{Outcome: tally.Upheld, Reasons: "the records are right"}, nil)
		}},
		{"POST /api/v1/objections/{id}/appeal", func() (any, error) { return me.Appeal(ctx, upheld, "please look again", "", nil) }},
		{"GET /api/v1/objections", func() (any, error) { return me.Objections(ctx, client.ObjectionQuery{}) }},
		{"POST /api/v1/repairs", func() (any, error) {
			r, err := me.ApplyRepair(ctx, city, zhang, fee, "paid on 2026-11-22", nil)
			if err == nil {
				repair = r.ID
			}
			return r, err
		}},
		{"GET /api/v1/repairs", func() (any, error) { return reviewer.Repairs(ctx, city, true, "", 10) }},
		{"GET /api/v1/notices", func() (any, error) { return admin.Notices(ctx, zhang, false, "", 10) }},
		{"POST /api/v1/repairs/{id}/decision", func() (any, error) { return reviewer.DecideRepair(ctx, repair, true, "receipt seen", nil) }},
		{"POST /api/v1/commitments", func() (any, error) {
			c, err := recorder.Sign(ctx, wire.CommitmentRequest{Scheme: city, Subject: zhang, What: tally.Text{Zh: "补交完税证明", En: "supply the tax clearance"},
				Due: "2026-12-31", Rule: "tax.arrears", Permit: "营业执照 42"}, nil)
			if err == nil {
				kept = c.ID
			}
			return c, err
		}},
		{"POST /api/v1/commitments", func() (any, error) {
			c, err := recorder.Sign(ctx, wire.CommitmentRequest{Scheme: city, Subject: zhang, What: tally.Text{Zh: "补交租赁合同", En: "supply the lease"},
				Due: "2026-11-26", Rule: "tax.arrears", Permit: "经营许可 43"}, nil)
			if err == nil {
				broken = c.ID
			}
			return c, err
		}},
		{"POST /api/v1/commitments/{id}/fulfilment", func() (any, error) {
			return recorder.Fulfil(ctx, kept, wire.SettleRequest{Note: "clearance received"}, nil)
		}},
		{"POST /api/v1/commitments/{id}/breach", func() (any, error) {
			return admin.Breach(ctx, broken, wire.SettleRequest{Note: "no lease supplied"}, nil)
		}},
		{"GET /api/v1/commitments", func() (any, error) { return me.Commitments(ctx, client.CommitmentQuery{Scheme: city}) }},

		{"GET /api/v1/schemes/{scheme}/subjects/{subject}/score", func() (any, error) { return me.Score(ctx, city, zhang, nil) }},
		{"GET /api/v1/schemes/{scheme}/subjects/{subject}/explanation", func() (any, error) { return me.Explain(ctx, city, zhang, nil) }},
		{"GET /api/v1/schemes/{scheme}/subjects/{subject}/records", func() (any, error) {
			return reviewer.History(ctx, city, zhang, "", 2, &client.Options{Purpose: "objection 1"})
		}},
		{"GET /api/v1/subjects/{subject}/access-log", func() (any, error) { return admin.AccessLog(ctx, zhang, "", 0, audit) }},
		{"POST /api/v1/verify", func() (any, error) {
			return verifier.Verify(ctx, client.Question{Scheme: city, Subject: zhang, GradeAtLeast: "B", Purpose: "ticket"})
		}},
		{"GET /api/v1/me", func() (any, error) { return court.Me(ctx) }},
		// The client gives statistics as a map, which holds whatever is sent.
		{"GET /api/v1/schemes/{scheme}/statistics", func() (any, error) { return admin.Statistics(ctx, city, nil) }},

		{"POST /api/v1/tokens", func() (any, error) {
			tok, err := admin.CreateToken(ctx, client.TokenRequest{Name: "recorder-9", Role: tally.Recorder, Schemes: []string{city}}, nil)
			if err == nil {
				token = tok.ID
			}
			return tok, err
		}},
		{"GET /api/v1/tokens", func() (any, error) { return admin.Tokens(ctx, "", 3) }},
		{"POST /api/v1/tokens/{id}/revocation", func() (any, error) { return nil, admin.RevokeToken(ctx, token, nil) }},

		{"GET /api/v1/catalogue", func() (any, error) { return public.Catalogue(ctx) }},
		{"GET /api/v1/agreements", func() (any, error) {
			if err := s.svc.SetInstanceName(s.admin, "court"); err != nil {
				return nil, err
			}
			src, _ := examples.Agreements.ReadFile("agreements/court-to-airline.yaml")
			if _, err := s.svc.PublishAgreement(s.admin, "court-to-airline.yaml", src); err != nil {
				return nil, err
			}
			return public.Agreements(ctx)
		}},
		{"POST /api/v1/lists/{list}/entries", func() (any, error) {
			return court.AddListEntry(ctx, "judgment-defaulters", wire.ListingRequest{Subject: zhang, Name: "张三", CaseNumber: "(2025)鲁1082执123号",
				Court: "荣成市人民法院", Decided: "2025-10-01", Notice: "2025-10-20", Grounds: "able to perform but refuses", Basis: "SPC art. 1(1)", Aggravation: 1}, nil)
		}},
		{"POST /api/v1/lists/imports", func() (any, error) {
			return court.ImportListEntries(ctx, "text/csv", strings.NewReader("list,subject,name,case_number,court,decided,notice,grounds,basis\n"+
				"judgment-defaulters,"+li+",李四,(2025)鲁1082执7号,荣成市人民法院,2025-10-01,2025-10-02,refuses,SPC art. 1\n"+
				"judgment-defaulters,"+li+",李四,(2025)鲁1082执8号,荣成市人民法院,2025-10-01,,refuses,SPC art. 1\n"), nil)
		}},
		{"GET /api/v1/subjects/{subject}/eligibility", func() (any, error) { return admin.Eligibility(ctx, zhang, "air-travel", audit) }},
		{"POST /api/v1/checks", func() (any, error) {
			return verifier.Check(ctx, wire.CheckRequest{Subject: zhang, Name: "张三", Measure: "air-travel", Purpose: "ticket"})
		}},
		{"POST /api/v1/checks/batch", func() (any, error) {
			return verifier.CheckBatch(ctx, wire.BatchRequest{Measure: "air-travel", Purpose: "tickets",
				Items: []wire.BatchItem{{Subject: zhang, Name: "张三"}, {Subject: li, Name: "李四"}, {Subject: "123", Name: "x"}}})
		}},
		{"POST /api/v1/lists/{list}/removals", func() (any, error) {
			return court.RemoveListEntry(ctx, "judgment-defaulters", wire.RemovalRequest{CaseNumber: "(2025)鲁1082执123号", Reason: "performed", Note: "paid in full"}, nil)
		}},
		{"GET /api/v1/checks/statistics", func() (any, error) { return public.CheckStatistics(ctx, "", "") }},
		{"POST /api/v1/revocations", func() (any, error) {
			return court.Revoke(ctx, wire.RevocationRequest{Source: "(2025)鲁1082执7号", RevokedOn: "2026-11-25", Note: "(2026)鲁10执复1号"}, nil)
		}},
		{"GET /api/v1/revocations", func() (any, error) { return admin.Cascades(ctx, false) }},
		{"POST /api/v1/lists/{list}/entries", func() (any, error) {
			e, err := admin.AddListEntry(ctx, "serious-violators", wire.ListingRequest{Subject: zhang, Name: "张三", CaseNumber: "荣市监罚〔2026〕9号",
				Court: "荣成市市场监督管理局", Decided: "2026-11-20", Grounds: "counterfeit goods", Basis: "Product Quality Law art. 50"}, nil)
			if err != nil {
				return nil, err
			}
			proposal = e.Proposal.ID
			return e.Proposal, nil // a 202 answers with the proposal
		}},
		{"POST /api/v1/proposals/{id}/statement", func() (any, error) {
			return me.StateCase(ctx, proposal, wire.StatementRequest{Text: "the goods were genuine"}, nil)
		}},
		{"GET /api/v1/proposals", func() (any, error) { return admin.Proposals(ctx, client.ProposalQuery{List: "serious-violators"}) }},
		{"POST /api/v1/proposals/{id}/decision", func() (any, error) {
			return reviewer.DecideProposal(ctx, proposal, wire.ProposalDecisionRequest{Reasons: "the invoices are genuine"}, nil)
		}},

		{"POST /api/v1/schemes/{scheme}/closes", func() (any, error) {
			if err := s.svc.SetPublication(s.admin, village, zhang, true, "signed form"); err != nil {
				return nil, err
			}
			return recorder.Close(ctx, village, "2026-10")
		}},
		{"GET /api/v1/schemes/{scheme}/closes/{period}", func() (any, error) { return recorder.Sheet(ctx, village, "2026-10") }},
		{"GET /api/v1/schemes/{scheme}/closes/{period}/rows", func() (any, error) {
			rows, next, err := recorder.CloseRows(ctx, village, "2026-10", "", 1)
			return wire.Page[tally.CloseRow]{Items: rows, Next: next}, err
		}},
		{"GET /api/v1/schemes/{scheme}/closes/{period}/board", func() (any, error) { return public.Board(ctx, village, "2026-10") }},
		{"GET /api/v1/reports/{code}", func() (any, error) {
			issued, _, err := s.svc.IssueReport(s.admin, zhang, "home loan", "en", func(*ledger.Report) ([]byte, string, error) {
				doc := []byte("a report")
				sum := sha256.Sum256(doc)
				return doc, hex.EncodeToString(sum[:]), nil
			})
			if err != nil {
				return nil, err
			}
			return public.Report(ctx, issued.Code)
		}},
		{"POST /api/v1/reports/special", func() (any, error) {
			return admin.SpecialReport(ctx, wire.SpecialReportRequest{Subject: zhang, From: "2026-01-01", Purpose: "tender",
				Authorisation: "授权书 7", Lang: "en"}, nil)
		}},
		// The log's checkpoint and tiles are bytes, as sent.
		{"GET /log/checkpoint", func() (any, error) { return nil, sameBytes(public.LogCheckpoint(ctx))(tp) }},
		{"GET /log/tile/{path...}", func() (any, error) { return nil, sameBytes(public.LogTile(ctx, "tile/0/000"))(tp) }},
		{"GET /log/tile/{path...}", func() (any, error) { return nil, sameBytes(public.LogTile(ctx, "tile/entries/001.p/44"))(tp) }},
		{"GET /api/v1/log/proof", func() (any, error) { return public.LogProof(ctx, "record", "7", 0) }},
		{"GET /api/v1/log/consistency", func() (any, error) { return public.LogConsistency(ctx, 1, 300) }},
	}

	routes := http.NewServeMux()
	reached := map[string]bool{}
	table := httpapi.New(s.svc, slog.New(slog.DiscardHandler), nil, httpapi.Config{}).Routes()
	for _, r := range table {
		routes.Handle(r.Pattern, http.NotFoundHandler())
		reached[r.Pattern] = false
	}
	for i, c := range calls {
		tp.req = nil
		got, err := c.do()
		if err != nil {
			t.Fatalf("call %d, %s: %v", i, c.route, err)
		}
		if tp.req == nil {
			t.Fatalf("call %d, %s: sent no request", i, c.route)
		}
		if _, pattern := routes.Handler(tp.req); pattern != c.route {
			t.Fatalf("call %d: %s %s reached %q, want %s", i, tp.req.Method, tp.req.URL.Path, pattern, c.route)
		}
		reached[c.route] = true
		if got != nil {
			if diff := jsonDiff(tp.body, got); diff != "" {
				t.Errorf("%s: the client's %T is not what the server sent: %s\nserver: %s", c.route, got, diff, tp.body)
			}
		}
	}
	for route, ok := range reached {
		if !ok {
			t.Errorf("no call reaches %s: add one through the client", route)
		}
	}
}

// sameBytes returns an error unless a call returned the bytes the server
// sent.
func sameBytes(got []byte, err error) func(*tap) error {
	return func(tp *tap) error {
		if err != nil || string(got) == string(tp.body) {
			return err
		}
		return fmt.Errorf("the client returned %d bytes, not the %d the server sent", len(got), len(tp.body))
	}
}

// jsonDiff says where the JSON sent and the value decoded from it,
// encoded again, differ ("" where they do not).
func jsonDiff(sent []byte, decoded any) string {
	again, err := json.Marshal(decoded)
	if err != nil {
		return err.Error()
	}
	var want, got any
	if err := json.Unmarshal(sent, &want); err != nil {
		return "the answer is not JSON: " + err.Error()
	}
	if err := json.Unmarshal(again, &got); err != nil {
		return err.Error()
	}
	if d := jsonSubset("", got, want); d != "" {
		return "it drops or changes what was sent: " + d
	}
	if d := jsonSubset("", want, got); d != "" {
		return "it adds what was not sent: " + d
	}
	return ""
}
