package httpapi_test

import (
	"strings"
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// A batch that names one listed person twice is denied twice, and both
// denials go into the person's access log, each under its own reference.
func TestBatchNamingAListedPersonTwiceLogsBoth(t *testing.T) {
	s := startListServer(t)
	s.ready()
	court := s.token(ledger.TokenSpec{Name: "荣成市人民法院", Role: tally.Agency, Categories: []string{"judgment-defaulters"}})
	airline := s.token(ledger.TokenSpec{Name: "airline", Role: tally.Verifier, Categories: []string{"air-travel"}})
	if status, _, e := raw(t, "POST", s.url+"/api/v1/lists/judgment-defaulters/entries", court, "application/json", listing, nil); status != 201 {
		t.Fatalf("listing: %d %v", status, e)
	}
	status, _, b := raw(t, "POST", s.url+"/api/v1/checks/batch", airline, "application/json",
		`{"measure": "air-travel", "items": [{"subject": "`+zhang+`", "name": "张三"}, {"subject": "`+li+`", "name": "李四"}, {"subject": "`+zhang+`", "name": "张三"}]}`, nil)
	items, _ := b["items"].([]any)
	if status != 200 || len(items) != 3 {
		t.Fatalf("batch: %d %v", status, b)
	}
	var refs []string
	for _, i := range []int{0, 2} {
		it := items[i].(map[string]any)
		if it["answer"] != "denied" {
			t.Errorf("item %d: %v, want denied", i, it)
		}
		refs = append(refs, it["ref"].(string))
	}
	log, err := s.svc.AccessLog(s.admin, zhang, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, ref := range refs {
		n := 0
		for _, e := range log {
			if e.Action == "check" && strings.Contains(e.Detail, "(ref "+ref+",") {
				n++
			}
		}
		if n != 1 {
			t.Errorf("access-log entries of check %s: %d, want 1 (log %+v)", ref, n, log)
		}
	}
}
