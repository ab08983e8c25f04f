package httpapi_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/client"
	"github.com/tallycredit/tally/httpapi"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/wire"
)

// A commitment through the real server: signed and granted at once,
// listed for its subject, breached by another official into a record;
// the official who recorded it may not breach it, and a day in the past
// is refused naming the field, the same problem in Chinese and English,
// with nothing written.
func TestCommitmentsThroughTheAPI(t *testing.T) {
	s := startServer(t, httpapi.Config{})
	s.publish("city.yaml")
	ctx := context.Background()
	const city = "rongcheng-city"
	if _, err := s.svc.AddSubject(s.admin, ledger.NewSubject{Kind: tally.Person, Identifier: zhang, Name: "张三"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.Enrol(s.admin, ledger.Enrolment{Scheme: city, Identifier: zhang, Consent: true}); err != nil {
		t.Fatal(err)
	}
	tax := func(name string) (*client.Client, string) {
		secret, _, err := s.svc.CreateToken(s.admin, ledger.TokenSpec{Name: name, Role: tally.Agency, Schemes: []string{city}, Categories: []string{"tax"}})
		if err != nil {
			t.Fatal(err)
		}
		return client.New(s.url, secret, nil), secret
	}
	wang, wangSecret := tax("tax-wang")
	li, _ := tax("tax-li")
	me := s.client(ledger.TokenSpec{Name: "zhang", Role: tally.SubjectR, Subject: zhang})

	in := wire.CommitmentRequest{Scheme: city, Subject: zhang, What: tally.Text{Zh: "补交完税证明", En: "supply the tax clearance"},
		Due: "2026-12-10", Rule: "tax.arrears", Permit: "营业执照 2026-0042"}
	c, err := wang.Sign(ctx, in, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.State != tally.CommitmentGranted || c.Due != "2026-12-10" || c.Subject.Subject == zhang {
		t.Fatalf("signed = %+v, want granted, due 2026-12-10, the subject masked", c)
	}
	page, err := me.Commitments(ctx, client.CommitmentQuery{})
	if err != nil || len(page.Items) != 1 || page.Items[0].ID != c.ID {
		t.Fatalf("the subject's commitments = %+v, %v; want #%d", page, err, c.ID)
	}

	_, err = wang.Breach(ctx, c.ID, wire.SettleRequest{Note: "no clearance"}, nil)
	wantStatus(t, "breach by the official who recorded it", err, 403, "forbidden")
	broken, err := li.Breach(ctx, c.ID, wire.SettleRequest{Note: "no clearance"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if broken.State != tally.CommitmentBreached || broken.Settlement == nil || broken.Settlement.Record == 0 || s.records(city) != 1 {
		t.Fatalf("breached = %+v, %d records; want breached with its one record", broken, s.records(city))
	}
	_, err = li.Fulfil(ctx, c.ID, wire.SettleRequest{Note: "received after all"}, nil)
	wantStatus(t, "settling twice", err, 409, "conflict")

	past := fmt.Sprintf(`{"scheme": %q, "subject": %q, "what": {"zh": "补交", "en": "supply"}, "due": "2026-11-25", "rule": "tax.arrears", "permit": "许可"}`, city, zhang)
	var problems []map[string]any
	for _, lang := range []string{"zh-CN", "en"} {
		status, _, p := raw(t, "POST", s.url+"/api/v1/commitments", wangSecret, "application/json", past, map[string]string{"Accept-Language": lang})
		if status != 400 || p["code"] != "invalid" || p["field"] != "due" || !strings.Contains(fmt.Sprint(p["detail"]), "2026-11-25") {
			t.Errorf("a past day in %s: %d %v, want 400 invalid naming due and the day", lang, status, p)
		}
		problems = append(problems, p)
	}
	for _, k := range []string{"type", "code", "status", "field"} {
		if problems[0][k] != problems[1][k] {
			t.Errorf("%s differs between Chinese and English: %v and %v", k, problems[0][k], problems[1][k])
		}
	}
	if problems[0]["title"] == problems[1]["title"] {
		t.Errorf("the problem's title reads %v in Chinese and in English", problems[0]["title"])
	}
	if page, err := me.Commitments(ctx, client.CommitmentQuery{}); err != nil || len(page.Items) != 1 {
		t.Errorf("after the refusal: %+v, %v; want still one commitment", page, err)
	}
}
