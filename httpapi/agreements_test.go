package httpapi_test

import (
	"strings"
	"testing"
	"time"

	"github.com/tallycredit/tally/examples"
	"github.com/tallycredit/tally/httpapi"
)

// Anyone may read the data-sharing agreements in force, as subjects are
// shown where their entries go: who sends what to whom, for what purpose
// and on what basis, in both languages, with the version and when it was
// published. The server checks the answers against openapi.json.
func TestAgreementsArePublic(t *testing.T) {
	s := startServer(t, httpapi.Config{})

	status, _, got := raw(t, "GET", s.url+"/api/v1/agreements", "", "", "", nil)
	if status != 200 {
		t.Fatalf("no agreement yet: %d %v, want 200", status, got)
	}
	if list, ok := got["agreements"].([]any); !ok || len(list) != 0 || got["instance"] != nil {
		t.Errorf("no agreement yet: %v, want an empty list and no instance", got)
	}

	if err := s.svc.SetInstanceName(s.admin, "court"); err != nil {
		t.Fatal(err)
	}
	src, err := examples.Agreements.ReadFile("agreements/court-to-airline.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for range 2 { // a changed text is version 2
		if _, err := s.svc.PublishAgreement(s.admin, "court-to-airline.yaml", src); err != nil {
			t.Fatal(err)
		}
		src = append(src, "# amended\n"...)
	}

	status, _, got = raw(t, "GET", s.url+"/api/v1/agreements", "", "", "", nil)
	if status != 200 {
		t.Fatalf("anonymous: %d %v, want 200", status, got)
	}
	if got["instance"] != "court" {
		t.Errorf("instance %v, want court", got["instance"])
	}
	list, _ := got["agreements"].([]any)
	if len(list) != 1 {
		t.Fatalf("agreements %v, want the one in force", got["agreements"])
	}
	a := list[0].(map[string]any)
	for field, want := range map[string]any{"id": "court-to-airline", "version": 2.0, "issuer": "court", "receiver": "airline",
		"published_by": "admin"} {
		if a[field] != want {
			t.Errorf("%s: %v, want %v", field, a[field], want)
		}
	}
	if at, err := time.Parse(time.RFC3339, a["published_at"].(string)); err != nil || !at.Equal(now) {
		t.Errorf("published_at %v, want %v", a["published_at"], now)
	}
	if lists, _ := a["lists"].([]any); len(lists) != 1 || lists[0] != "judgment-defaulters" {
		t.Errorf("lists %v, want [judgment-defaulters]", a["lists"])
	}
	if rules, ok := a["rules"].([]any); !ok || len(rules) != 0 {
		t.Errorf("rules %v, want []", a["rules"])
	}
	texts := map[string]string{
		"purpose.zh": "航空公司据此拒绝向名单内的失信被执行人出售机票",
		"purpose.en": "The airline refuses air tickets to listed dishonest judgment defaulters",
		"basis.zh":   "《最高人民法院关于限制被执行人高消费及有关消费的若干规定》",
		"basis.en":   "SPC Provisions on Restricting High Consumption",
	}
	for path, want := range texts {
		field, lang, _ := strings.Cut(path, ".")
		text, _ := a[field].(map[string]any)
		if got, _ := text[lang].(string); !strings.Contains(got, want) {
			t.Errorf("%s: %q, want it to say %q", path, got, want)
		}
	}
}
