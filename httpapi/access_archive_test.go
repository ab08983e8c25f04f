package httpapi_test

import (
	"context"
	"strings"
	"testing"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/httpapi"
	"github.com/tallycredit/tally/ledger"
)

// A subject's access log from the API says on what authority each entry
// was made, in both languages, and still has an entry moved to the
// archive, marked archived.
func TestAccessLogShowsAuthorityAndArchivedEntries(t *testing.T) {
	s := startServer(t, httpapi.Config{})
	s.publish("village.yaml")
	subj, err := s.svc.AddSubject(s.admin, ledger.NewSubject{Kind: tally.Person, Identifier: zhang, Name: "张三"})
	if err != nil {
		t.Fatal(err)
	}
	err = s.db.Update(context.Background(), func(tx ledger.Tx) error {
		return tx.InsertAccess(context.Background(), &tally.Access{At: now.AddDate(-7, 0, 0), SubjectID: subj.ID, Actor: "bank",
			Role: tally.Verifier, TokenID: 4, Action: "verify", Purpose: "loan of 2019", Op: string(ledger.OpVerify), Scope: string(ledger.Assigned)})
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.Enrol(s.admin, ledger.Enrolment{Scheme: "jiakuang-majia", Identifier: zhang, Consent: true}); err != nil {
		t.Fatal(err) // the newest entry, which stays live
	}
	if got, err := s.svc.ArchiveAccess(s.admin, now.AddDate(-5, 0, 0), tally.Span{}, nil); err != nil || got.Moved != 1 {
		t.Fatalf("ArchiveAccess = %+v, %v; want 1 moved", got, err)
	}

	self := s.client(ledger.TokenSpec{Name: "张三", Role: tally.SubjectR, Subject: zhang})
	log, err := self.AccessLog(context.Background(), zhang, "", 100, nil)
	if err != nil {
		t.Fatal(err)
	}
	var archived, live int
	for _, e := range log.Items {
		if e.Authority.Zh == "" || e.Authority.En == "" {
			t.Errorf("%s: no authority: %+v", e.Action, e)
		}
		if e.Archived {
			archived++
			if e.Op != ledger.OpVerify || e.Scope != ledger.Assigned || e.TokenID != 4 || !strings.Contains(e.Authority.Zh, "等级") ||
				!strings.Contains(e.Authority.En, "within its assignment") {
				t.Errorf("archived entry = %+v, want the bank's verification with its authority", e)
			}
		} else {
			live++
		}
	}
	if archived != 1 || live == 0 {
		t.Errorf("access log: %d archived, %d live entries; want the archived one and the live ones: %+v", archived, live, log.Items)
	}
}
