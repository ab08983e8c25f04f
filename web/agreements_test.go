package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/examples"
	"github.com/tallycredit/tally/ledger"
)

// courtToAirline names the site the court of the exchange's example and
// publishes its agreement with the airline.
func courtToAirline(t *testing.T, s *site) *tally.Agreement {
	t.Helper()
	if err := s.svc.SetInstanceName(s.admin, "court"); err != nil {
		t.Fatal(err)
	}
	src, err := examples.Agreements.ReadFile("agreements/court-to-airline.yaml")
	if err != nil {
		t.Fatal(err)
	}
	a, err := s.svc.PublishAgreement(s.admin, "court-to-airline.yaml", src)
	if err != nil {
		t.Fatal(err)
	}
	return a.Agreement
}

// publishShares publishes the site's outbox as the exchange's publisher
// does once NATS has taken the messages: each subject's access log then
// says what was sent about it, to whom and why.
func publishShares(t *testing.T, s *site) {
	t.Helper()
	exchange := ledger.WithActor(context.Background(), &tally.Actor{Name: "exchange", Role: tally.Admin})
	shares, err := s.svc.PendingShares(exchange, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(shares) == 0 {
		t.Fatal("the listing left nothing in the outbox")
	}
	if err := s.svc.MarkPublished(exchange, shares); err != nil {
		t.Fatal(err)
	}
}

// The public page of agreements, reached from the home page, says in
// Chinese and in English who sends what to whom, for what purpose, on
// what basis, and which version is in force since when.
func TestBrowserAgreementsPage(t *testing.T) {
	s := newSite(t)
	a := courtToAirline(t, s)
	listZhang(t, s) // publishes the catalogue, which names the list
	b := newBrowser(t, s, "zh-CN", browserTimeout)
	b.open("/", 200)
	b.press(`main a[href="/agreements"]`, 200)
	for _, lang := range []string{"zh", "en"} {
		if lang == "en" {
			b.press("a.lang", 200)
		}
		if got := b.pageLang(); got != htmlLang(lang) {
			t.Fatalf("%s: <html lang=%q>, want %s", lang, got, htmlLang(lang))
		}
		if got, want := b.text("main h1"), catalogueText(t, lang, "agreements.title"); got != want {
			t.Errorf("%s: h1 %q, want %q", lang, got, want)
		}
		card := b.text("#" + a.ID)
		listName := map[string]string{"zh": "失信被执行人名单", "en": "Dishonest judgment defaulters"}[lang]
		for what, want := range map[string]string{
			"the parties": catalogueText(t, lang, "agreements.flow", "court", "airline"),
			"the list":    listName,
			"the purpose": a.Purpose.In(lang),
			"the basis":   a.Basis.In(lang),
			"the version": catalogueText(t, lang, "agreements.version", 1, "2026-11-26"),
		} {
			if !strings.Contains(card, want) {
				t.Errorf("%s: the agreement does not say %s (%q); it reads %q", lang, what, want, card)
			}
		}
	}
}

// A resident sees on their own page that an entry of theirs was sent to
// the airline, under which agreement (a link to it) and for what purpose,
// in Chinese and in English.
func TestBrowserMeShowsWhatWasShared(t *testing.T) {
	s := newSite(t)
	a := courtToAirline(t, s)
	listZhang(t, s)
	publishShares(t, s)

	b := newBrowser(t, s, "zh-CN", browserTimeout)
	b.signInThroughForm("zhang", "/me")
	link := `#access-log a[href="/agreements#` + a.ID + `"]`
	for _, lang := range []string{"zh", "en"} {
		if lang == "en" {
			b.press("a.lang", 200)
		}
		if n := b.count(link); n != 1 {
			t.Fatalf("%s: %d links to the agreement in the access log, want 1; it reads %q", lang, n, b.text("#access-log"))
		}
		row := b.text("#access-log tr[data-action=share]")
		for what, want := range map[string]string{
			"the action":    catalogueText(t, lang, "action.share"),
			"the receiver":  "airline",
			"the case":      "(2026)鲁1082执123号",
			"the agreement": a.ID,
			"the purpose":   a.Purpose.In(lang),
		} {
			if !strings.Contains(row, want) {
				t.Errorf("%s: the share entry does not say %s (%q); it reads %q", lang, what, want, row)
			}
		}
		if got := b.text("#access-log tr[data-action=share] td.why"); got != a.Purpose.In(lang) {
			t.Errorf("%s: the share entry's why reads %q, want the agreement's purpose %q", lang, got, a.Purpose.In(lang))
		}
	}
	b.press(link, 200)
	if got := b.where(); got != "/agreements" {
		t.Errorf("the link leads to %s, want /agreements", got)
	}
	if got := b.text("#" + a.ID); !strings.Contains(got, a.Basis.En) {
		t.Errorf("the agreement linked reads %q, want its basis", got)
	}
}
