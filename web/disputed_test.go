package web_test

import (
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/tallycredit/tally/ledger"
)

// TestBrowserObjectionShowsDisputed: a resident files an objection to a
// record on /me, and the very page the form leads to marks the record
// 有异议.
func TestBrowserObjectionShowsDisputed(t *testing.T) {
	s := newSite(t)
	id := strconv.FormatInt(recordLittering(t, s, zhang, "litter-1"), 10)
	s.clock.Add(time.Minute)
	b := newBrowser(t, s, "zh-CN", browserTimeout)
	b.signInThroughForm("zhang", "/me")
	entry := "main li:has(#object-" + id + ")"
	if n := b.count(entry + " .tag.disputed"); n != 0 {
		t.Fatalf("before any objection the record is marked disputed %d times", n)
	}
	b.do("open the objection form", chromedp.Click(chromedp.CSS(entry+" summary"), chromedp.NodeVisible))
	b.typeInto("#grounds-"+id, "那天我不在村里")
	b.press("#object-"+id+" button[type=submit]", 200)
	if got := b.where(); got != "/me?objected=1" {
		t.Fatalf("the objection led to %s, want /me?objected=1", got)
	}
	if got, want := b.text(entry+" .tag.disputed"), catalogueText(t, "zh", "disputed"); got != want {
		t.Errorf("the record's mark reads %q, want %q; page: %s", got, want, b.bodyText())
	}
}

// Once a record is objected to, the recorder's list of today's work and
// the reviewer's look at the person mark it 有异议 (disputed).
func TestRecorderAndReviewerSeeDisputed(t *testing.T) {
	s := newSite(t)
	record := recordLittering(t, s, zhang, "litter-1")
	rec := s.signIn("recorder", "en")
	id := rec.subjectID("张")
	person := "/review/person?" + url.Values{"scheme": {village}, "q": {zhang}, "purpose": {"objection 2026-17"}, "subject": {id}}.Encode()
	rev := s.signIn("reviewer", "en")
	mark := `<span class="tag disputed">disputed</span>`
	rec.get("/record/today")
	rec.lacks("no mark before the objection", mark)
	rev.get(person)
	rev.lacks("no mark before the objection", mark)
	if _, err := s.svc.Object(s.admin, ledger.ObjectionInput{Scheme: village, Identifier: zhang, Record: record, Grounds: "not me"}); err != nil {
		t.Fatal(err)
	}
	rec.get("/record/today")
	rec.has("today's work marks the record", mark)
	rev.get(person)
	rev.has("the reviewer's look marks the record", mark)
}
