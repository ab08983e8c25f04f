package httpapi_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/client"
	"github.com/tallycredit/tally/httpapi"
	"github.com/tallycredit/tally/ledger"
)

// wantField fails unless err is a 400 invalid problem naming field.
func wantField(t *testing.T, what string, err error, field string) {
	t.Helper()
	var e *client.Error
	if !errors.As(err, &e) || e.Status != 400 || e.Code != "invalid" || e.Field != field {
		t.Errorf("%s: %v, want 400 invalid naming %s", what, err, field)
	}
}

// Text with a NUL, a bidirectional override or beyond its limit is
// refused with the field named, and nothing is written.
func TestTextHygieneThroughTheAPI(t *testing.T) {
	s := startServer(t, httpapi.Config{})
	s.publish("village.yaml")
	ctx := context.Background()
	const scheme = "jiakuang-majia"
	recorder := s.client(ledger.TokenSpec{Name: "recorder-7", Role: tally.Recorder, Schemes: []string{scheme}})

	_, err := recorder.AddSubject(ctx, tally.Person, zhang, "张\x00三", nil)
	wantField(t, "a name with NUL", err, "name")
	_, err = recorder.AddSubject(ctx, tally.Person, zhang, strings.Repeat("张", 101), nil)
	wantField(t, "a name of 101 characters", err, "name")
	added, err := recorder.AddSubject(ctx, tally.Person, zhang, "张三", nil)
	if err != nil || added.Existed {
		t.Fatalf("add after refusals: %+v %v, want a new subject", added, err)
	}
	_, err = recorder.Enrol(ctx, scheme, zhang, "一组", true, "signed form", nil)
	ok(t, "enrol", err)

	litter := client.Conduct{Subject: zhang, Rule: "conduct.littering", At: "2026-03-05", Ref: "r7/2", Evidence: "photo\u202E21"}
	_, err = recorder.Record(ctx, scheme, litter, nil)
	wantField(t, "evidence with a right-to-left override", err, "evidence")
	litter.Evidence = "photo 12"
	rec, err := recorder.Record(ctx, scheme, litter, nil)
	if err != nil || rec.Unchanged {
		t.Fatalf("record after a refusal: %+v %v, want a new record", rec, err)
	}

	_, err = recorder.Reverse(ctx, scheme, rec.Record.ID, "the wrong \u2067person\u2069", "r7/2/reversal", nil)
	wantField(t, "a reason with an isolate", err, "reason")
	_, err = recorder.Reverse(ctx, scheme, rec.Record.ID, strings.Repeat("x", tally.Limits.Reason+1), "r7/2/reversal", nil)
	wantField(t, "a reason beyond its limit", err, "reason")
	rev, err := recorder.Reverse(ctx, scheme, rec.Record.ID, "the wrong person", "r7/2/reversal", nil)
	if err != nil || rev.Unchanged || rev.Record.Reverses != rec.Record.ID {
		t.Errorf("reverse after refusals: %+v %v, want the first reversal", rev, err)
	}
}
