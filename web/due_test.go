package web_test

import (
	"context"
	"net/url"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// recordLittering records a -10 deduction for a villager, as the recorder.
func recordLittering(t *testing.T, s *site, identifier, ref string) int64 {
	t.Helper()
	recorder := ledger.WithActor(context.Background(), &tally.Actor{Name: "recorder", Role: tally.Recorder, Schemes: []string{village}})
	r, err := s.svc.Record(recorder, ledger.Conduct{Scheme: village, Identifier: identifier, Rule: "conduct.littering",
		At: s.clock.Now().Add(-time.Hour), Ref: ref, Evidence: "photo 12"})
	if err != nil {
		t.Fatal(err)
	}
	return r.Record.ID
}

// A resident objects to a record from /me (an objection without grounds
// is refused next to the field); the reviewer decides it in the resident's
// favour from /review; the resident sees the decision and the record
// struck, and the score is back.
func TestObjectionThroughThePages(t *testing.T) {
	s := newSite(t)
	id := recordLittering(t, s, zhang, "litter-1")
	s.clock.Add(time.Minute)
	me := s.signIn("zhang", "en")
	me.get("/me")
	me.has("the record's objection form", "Object to this record", `action="/me/objections"`)
	rec := strconv.FormatInt(id, 10)
	me.post("/me/objections", url.Values{"scheme": {village}, "record": {rec}, "grounds": {" "}})
	if me.status != 422 {
		t.Fatalf("an objection without grounds: status %d, want 422", me.status)
	}
	me.has("the error next to the grounds", `id="grounds-error"`, `aria-describedby="grounds-error"`)
	me.post("/me/objections", url.Values{"scheme": {village}, "record": {rec}, "grounds": {"I was not there"}, "evidence": {"bus ticket"}})
	if me.status != 200 || me.where != "/me?objected=1" {
		t.Fatalf("objection: status %d at %s", me.status, me.where)
	}
	me.has("the objection with its deadlines", "Your objection #1 was filed", "I was not there", "to be acknowledged by 2026-12-01", "decide by 2026-12-11")

	rev := s.signIn("reviewer", "en")
	rev.get("/review")
	rev.has("the objection in the queue", "I was not there", `action="/review/objections/1/decide"`)
	rev.post("/review/objections/1/decide", url.Values{"scheme": {village}, "outcome": {"voided"}, "reasons": {""}})
	if rev.status != 422 {
		t.Errorf("a decision without reasons: status %d, want 422", rev.status)
	}
	rev.has("the error next to the reasons", `id="reasons-o-error"`)
	rev.post("/review/objections/1/decide", url.Values{"scheme": {village}, "outcome": {"voided"}, "reasons": {"the photo shows someone else"}})
	if rev.status != 200 || rev.where != "/review?decided=1&scheme="+village {
		t.Fatalf("decide: status %d at %s", rev.status, rev.where)
	}
	rev.has("the notice", "Objection #1 was decided.")
	rev.lacks("the decided objection", "I was not there")

	me.get("/me")
	me.has("the decision", "Voided: in the subject's favour", "the photo shows someone else")
	if got := regexp.MustCompile(`id="score-` + village + `">(-?\d+)<`).FindStringSubmatch(me.page); got == nil || got[1] != "0" {
		t.Errorf("score after the void: %v, want 0", got)
	}
	h := s.history(zhang)
	if len(h) != 2 || !h[0].Reversed || h[1].Reverses != id {
		t.Errorf("history %+v, want the record reversed and its reversal", h)
	}
}

// TestBrowserOverdueObjectionInQueue: an objection nobody acknowledged in
// 3 working days shows in the reviewer's queue flagged overdue, in the
// page's language, first.
func TestBrowserOverdueObjectionInQueue(t *testing.T) {
	s := newSite(t)
	id := recordLittering(t, s, zhang, "litter-1")
	late, err := s.svc.Object(s.admin, ledger.ObjectionInput{Scheme: village, Identifier: zhang, Record: id, Grounds: "not me"})
	if err != nil {
		t.Fatal(err)
	}
	s.clock.Add(6 * 24 * time.Hour) // Thursday + 6 days: past 3 working days
	second := recordLittering(t, s, li, "litter-2")
	fresh, err := s.svc.Object(s.admin, ledger.ObjectionInput{Scheme: village, Identifier: li, Record: second, Grounds: "wrong day"})
	if err != nil {
		t.Fatal(err)
	}
	s.clock.Add(time.Minute)

	for _, lang := range []string{"zh", "en"} {
		b := newBrowser(t, s, map[string]string{"zh": "zh-CN", "en": "en-US"}[lang], browserTimeout)
		b.signInThroughForm("reviewer", "/review")
		late := "#objection-" + strconv.FormatInt(late.ID, 10)
		if n := b.count(late + ".overdue"); n != 1 {
			t.Fatalf("%s: the late objection is not flagged overdue: %s", lang, b.bodyText())
		}
		if got, want := b.text(late+" .tag.denied"), catalogueText(t, lang, "review.overdue"); got != want {
			t.Errorf("%s: the flag reads %q, want %q", lang, got, want)
		}
		if got, want := b.text("#overdue-count"), catalogueText(t, lang, "review.overdue_count", 1); got != want {
			t.Errorf("%s: the count reads %q, want %q", lang, got, want)
		}
		if n := b.count("#objection-" + strconv.FormatInt(fresh.ID, 10) + ".overdue"); n != 0 {
			t.Errorf("%s: the fresh objection is flagged overdue", lang)
		}
		if first := eval[string](b, `document.querySelector("#objections li").id`); first != late[1:] {
			t.Errorf("%s: the first objection is #%s, want the overdue %s", lang, first, late)
		}
	}
}
