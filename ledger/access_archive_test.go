package ledger_test

import (
	"strings"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// Every entry says on what authority it was made: the operation of the
// policy, how far the actor's grant reached and the token used, in both
// languages.
func TestAccessEntriesSayOnWhatAuthority(t *testing.T) {
	f := newFixture(t)
	f.publishExample("city.yaml")
	f.person("rongcheng-city", zhang, "张三")
	_, agency := f.token(ledger.TokenSpec{Name: "water-company", Role: tally.Agency, Schemes: []string{"rongcheng-city"}, Categories: []string{"utilities"}})
	_, reviewer := f.token(ledger.TokenSpec{Name: "reviewer-2", Role: tally.Reviewer})
	_, bank := f.token(ledger.TokenSpec{Name: "ICBC Weihai", Role: tally.Verifier})
	_, self := f.token(ledger.TokenSpec{Name: "张三", Role: tally.SubjectR, Subject: zhang})

	c := f.conduct("rongcheng-city", zhang, "utilities.late-fees", "2026-03-05", "water/1")
	c.By = ""
	if _, err := f.svc.Record(ledger.WithActor(f.ctx, agency), c); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Explain(ledger.WithPurpose(ledger.WithActor(f.ctx, reviewer), "objection 17"), "rongcheng-city", zhang, now); err != nil {
		t.Fatal(err)
	}
	q := ledger.Question{Scheme: "rongcheng-city", Identifier: zhang, GradeAtLeast: "A"}
	if _, err := f.svc.Verify(ledger.WithPurpose(ledger.WithActor(f.ctx, bank), "home loan"), q); err != nil {
		t.Fatal(err)
	}
	selfCtx := ledger.WithActor(f.ctx, self)
	if _, err := f.svc.Score(selfCtx, "rongcheng-city", zhang, now); err != nil {
		t.Fatal(err)
	}
	log, err := f.svc.AccessLog(selfCtx, zhang, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range log {
		got = append(got, e.Action+" "+string(e.Op)+"/"+string(e.Scope)+" "+tokenMark(e.TokenID))
		if e.Authority.Zh == "" || e.Authority.En == "" || e.Authority.Zh == e.Authority.En {
			t.Errorf("%s: authority %+v, want it in Chinese and English", e.Action, e.Authority)
		}
		if e.Archived {
			t.Errorf("%s: archived before any archiving", e.Action)
		}
	}
	want := []string{
		"add-subject subjects.add/any -",
		"enrol subjects.enrol/any -",
		"record records.write/assigned token",
		"explain subjects.read/assigned token",
		"verify verify/assigned token",
		"score subjects.read/own token",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("access log:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if a := log[3].Authority; !strings.Contains(a.Zh, "查阅当事人的分数") || !strings.Contains(a.Zh, "受委派") ||
		!strings.Contains(a.En, "read one subject's score") || !strings.Contains(a.En, "within its assignment") {
		t.Errorf("a reviewer's read: authority %+v", a)
	}
	if log[2].TokenID != agency.TokenID {
		t.Errorf("record entry: token %d, want %d", log[2].TokenID, agency.TokenID)
	}
}

func tokenMark(id int64) string {
	if id == 0 {
		return "-"
	}
	return "token"
}

// Entries older than the retention period move to the archive in one
// go; the subject still sees every one, marked archived, with its
// authority; a second run moves nothing; a date less than 5 years ago, a
// retention shorter than 5 years and a non-admin are refused.
func TestArchiveAccessKeepsWhatTheSubjectSees(t *testing.T) {
	f := newFixture(t)
	f.publishExample("city.yaml")
	long := now.AddDate(-6, 0, 0)
	then := ledger.New(f.db, f.vault, ledger.Options{Now: func() time.Time { return long }})
	if _, err := then.AddSubject(f.ctx, ledger.NewSubject{Kind: tally.Person, Identifier: zhang, Name: "张三"}); err != nil {
		t.Fatal(err)
	}
	f.enrol("rongcheng-city", zhang, true)
	_, self := f.token(ledger.TokenSpec{Name: "张三", Role: tally.SubjectR, Subject: zhang})
	selfCtx := ledger.WithActor(f.ctx, self)
	before, err := f.svc.AccessLog(selfCtx, zhang, 0, 100)
	if err != nil {
		t.Fatal(err)
	}

	_, err = f.svc.ArchiveAccess(f.ctx, now.AddDate(-4, 0, 0), tally.Span{}, nil)
	wantField(t, err, "before")
	_, err = f.svc.ArchiveAccess(f.ctx, now.AddDate(-5, 0, 0), tally.Span{N: 4, Unit: tally.Year}, nil)
	wantField(t, err, "keep")
	_, err = f.svc.ArchiveAccess(f.ctx, now.AddDate(-6, 0, 0), tally.Span{N: 7, Unit: tally.Year}, nil)
	wantField(t, err, "before")
	_, err = f.svc.ArchiveAccess(as(tally.Reviewer, "reviewer", nil), now.AddDate(-5, 0, 0), tally.Span{}, nil)
	wantCode(t, err, tally.EForbidden, "")

	var heard []int64
	got, err := f.svc.ArchiveAccess(f.ctx, now.AddDate(-5, 0, 0), tally.Span{}, func(done, total int64) {
		heard = append(heard, done, total)
	})
	if err != nil {
		t.Fatal(err)
	}
	if got.Moved != 1 || got.Keep != "5y" || len(heard) != 2 || heard[0] != 1 || heard[1] != 1 {
		t.Errorf("ArchiveAccess = %+v, progress %v; want the one entry of 6 years ago moved", got, heard)
	}
	after, err := f.svc.AccessLog(selfCtx, zhang, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before) {
		t.Fatalf("after archiving the subject sees %d entries, before %d", len(after), len(before))
	}
	for i, e := range after {
		was := before[i]
		if e.ID != was.ID || e.Action != was.Action || !e.At.Equal(was.At) || e.Op != was.Op || e.Scope != was.Scope {
			t.Errorf("entry %d after archiving = %+v, want %+v", i, e, was)
		}
		if wantArchived := e.At.Equal(long); e.Archived != wantArchived {
			t.Errorf("entry %s at %s: archived %v, want %v", e.Action, e.At, e.Archived, wantArchived)
		}
	}
	if a := after[0]; a.Action != "add-subject" || a.Op != ledger.OpAddSubject || a.Scope != ledger.Anywhere {
		t.Errorf("archived entry = %+v, want the registration with its authority", a)
	}

	again, err := f.svc.ArchiveAccess(f.ctx, now.AddDate(-5, 0, 0), tally.Span{}, nil)
	if err != nil || again.Moved != 0 {
		t.Errorf("ArchiveAccess again = %+v, %v; want nothing moved", again, err)
	}
}

// wantField fails unless err is EInvalid naming field.
func wantField(t *testing.T, err error, field string) {
	t.Helper()
	te, ok := err.(*tally.Error)
	if !ok || te.Code != tally.EInvalid || te.Field != field {
		t.Errorf("got error %v, want EInvalid naming %s", err, field)
	}
}
