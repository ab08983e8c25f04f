package httpapi_test

import (
	"context"
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/client"
	"github.com/tallycredit/tally/httpapi"
	"github.com/tallycredit/tally/ledger"
)

// The office reads, through the API, whether and when a resident
// acknowledged a notice; the resident reads only their own notices.
func TestOfficeReadsNoticeAcknowledgments(t *testing.T) {
	s := startServer(t, httpapi.Config{})
	s.publish("city.yaml")
	ctx := context.Background()
	const scheme = "rongcheng-city"
	recorder := s.client(ledger.TokenSpec{Name: "recorder-7", Role: tally.Recorder, Schemes: []string{scheme}})
	office := s.client(ledger.TokenSpec{Name: "office", Role: tally.Admin})
	for _, p := range []struct{ id, name string }{{zhang, "张三"}, {li, "李四"}} {
		_, err := recorder.AddSubject(ctx, tally.Person, p.id, p.name, nil)
		ok(t, "add", err)
		_, err = recorder.Enrol(ctx, scheme, p.id, "", true, "signed", nil)
		ok(t, "enrol", err)
		_, err = recorder.Record(ctx, scheme, client.Conduct{Subject: p.id, Rule: "utilities.late-fees", At: "2026-11-20", Ref: "fee/" + p.id, Evidence: "bill"}, nil)
		ok(t, "record", err)
	}
	secret, _, err := s.svc.CreateToken(s.admin, ledger.TokenSpec{Name: "zhang", Role: tally.SubjectR, Subject: zhang})
	ok(t, "token", err)
	resident, err := s.svc.Authenticate(ctx, secret)
	ok(t, "authenticate", err)
	mine, err := client.New(s.url, secret, nil).Notices(ctx, "", false, "", 10)
	if err != nil || len(mine.Items) != 1 || mine.Items[0].Ack != nil {
		t.Fatalf("the resident's notices: %+v %v, want one, not acknowledged", mine, err)
	}
	_, err = s.svc.AcknowledgeNotice(ledger.WithActor(ctx, resident), mine.Items[0].ID)
	ok(t, "acknowledge", err)

	got, err := office.Notices(ctx, zhang, false, "", 10)
	if err != nil || len(got.Items) != 1 {
		t.Fatalf("the office reads %+v %v, want zhang's notice", got, err)
	}
	if a := got.Items[0].Ack; a == nil || a.By != "zhang" || !a.At.Equal(now) {
		t.Errorf("the office reads acknowledgment %+v, want zhang's at %v", a, now)
	}
	all, err := office.Notices(ctx, "", false, "", 10)
	if err != nil || len(all.Items) != 2 || all.Items[1].Ack != nil {
		t.Errorf("the office reads every notice %+v %v, want two, li's not acknowledged", all, err)
	}
}
