package httpapi_test

import (
	"context"
	"strings"
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/client"
	"github.com/tallycredit/tally/ledger"
)

// A record's reason, an access-log detail and an eligibility reason come
// through the API in Chinese and English, beside the English field older
// clients read.
func TestReasonsInBothLanguagesThroughTheAPI(t *testing.T) {
	s := startListServer(t)
	s.ready()
	s.publish("village.yaml")
	ctx := context.Background()
	const scheme = "jiakuang-majia"
	recorder := s.client(ledger.TokenSpec{Name: "recorder-7", Role: tally.Recorder, Schemes: []string{scheme}})
	admin := s.client(ledger.TokenSpec{Name: "registry", Role: tally.Admin})
	audit := &client.Options{Purpose: "audit"}
	_, err := recorder.AddSubject(ctx, tally.Person, zhang, "张三", nil)
	ok(t, "add", err)
	_, err = recorder.Enrol(ctx, scheme, zhang, "一组", true, "signed form", nil)
	ok(t, "enrol", err)
	rec, err := recorder.Record(ctx, scheme, client.Conduct{Subject: zhang, Rule: "conduct.littering", At: "2026-03-05", Ref: "r7/1", Evidence: "photo 12"}, nil)
	ok(t, "record", err)
	if !strings.HasPrefix(rec.ReasonText.Zh, "按规则 ") || !strings.Contains(rec.Record.Reason, "as the rule gives") ||
		rec.ReasonText.En != rec.Record.Reason {
		t.Errorf("recorded: reason %q, reason_text %+v; want English and both languages", rec.Record.Reason, rec.ReasonText)
	}

	history, err := admin.History(ctx, scheme, zhang, "", 10, audit)
	ok(t, "history", err)
	if len(history.Items) != 1 || history.Items[0].ReasonText != rec.ReasonText || history.Items[0].Reason != rec.Record.Reason {
		t.Errorf("history: %+v, want the reason as recorded", history.Items)
	}

	log, err := admin.AccessLog(ctx, zhang, "", 50, audit)
	ok(t, "access log", err)
	details := 0
	for _, e := range log.Items {
		if e.Detail == "" {
			continue
		}
		details++
		if e.DetailText.En != e.Detail || e.DetailText.Zh == e.Detail {
			t.Errorf("access %s: detail %q, detail_text %+v; want the English and the Chinese", e.Action, e.Detail, e.DetailText)
		}
	}
	if details < 3 {
		t.Errorf("the access log has %d details, want one for adding, enrolling and recording: %+v", details, log.Items)
	}

	el, err := admin.Eligibility(ctx, zhang, "heating-discount", audit)
	ok(t, "eligibility", err)
	if len(el.Reasons) != 1 {
		t.Fatalf("eligibility: %+v, want the grade gate's reason", el)
	}
	r := el.Reasons[0]
	if r.MessageText.Zh != "积分项目 rongcheng-city 尚未发布，无人具有 AAA 等级" ||
		r.MessageText.En != "scheme rongcheng-city is not published, so no one has grade AAA" || r.Message != r.MessageText.En {
		t.Errorf("eligibility reason: message %q, message_text %+v", r.Message, r.MessageText)
	}
}
