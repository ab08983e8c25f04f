package web_test

import (
	"sort"
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// Every access-log entry the demo writes, whatever its action, names the
// policy operation it was made under and the scope of its actor's grant.
func TestDemoAccessEntriesNameTheirAuthority(t *testing.T) {
	s, _, _ := demoCrawlSite(t)
	actions := map[string]bool{}
	for _, e := range demoAccessEntries(t, s) {
		actions[e.Action] = true
		if _, ok := ledger.GrantOf(ledger.Op(e.Op), e.Role); !ok || ledger.Scope(e.Scope) == "" {
			t.Errorf("%s by %s (%s): authority %q/%q is no grant of the policy", e.Action, e.Actor, e.Role, e.Op, e.Scope)
		}
	}
	names := make([]string, 0, len(actions))
	for a := range actions {
		names = append(names, a)
	}
	sort.Strings(names)
	t.Logf("actions in the demo: %v", names)
	if len(names) < 10 {
		t.Errorf("the demo wrote only %v", names)
	}
}

// demoAccessEntries returns every access-log entry of the demo's first
// 500 subjects (the demo has fewer), as the store holds them.
func demoAccessEntries(t *testing.T, s *site) []tally.Access {
	t.Helper()
	var all []tally.Access
	for id := int64(1); id <= 500; id++ {
		if err := s.db.View(s.admin, func(tx ledger.Tx) error {
			log, err := tx.AccessLog(s.admin, id, 0, 100000)
			all = append(all, log...)
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	return all
}
