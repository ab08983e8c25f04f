package ledger_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// token creates a token and returns the context of its holder.
func (f *fixture) token(spec ledger.TokenSpec) (string, *tally.Actor) {
	f.t.Helper()
	secret, _, err := f.svc.CreateToken(f.ctx, spec)
	if err != nil {
		f.t.Fatal(err)
	}
	a, err := f.svc.Authenticate(f.ctx, secret)
	if err != nil {
		f.t.Fatal(err)
	}
	return secret, a
}

func TestTokensAuthenticateUntilRevokedOrExpired(t *testing.T) {
	f := newFixture(t)
	f.publishExample("village.yaml")
	secret, a := f.token(ledger.TokenSpec{Name: "recorder-7", Role: tally.Recorder, Schemes: []string{"jiakuang-majia"}, Rules: []string{"labour.volunteer"}})
	if a.Name != "recorder-7" || a.Role != tally.Recorder || a.TokenID == 0 || a.Rules[0] != "labour.volunteer" {
		t.Errorf("actor = %+v, want recorder-7 with its scope", a)
	}
	if !strings.HasPrefix(secret, "tly_") || len(secret) < 40 {
		t.Errorf("secret %q: want tly_ and 32 random bytes", secret)
	}
	for _, bad := range []string{"", "tly_nothing", secret + "x", strings.TrimPrefix(secret, "tly_")} {
		if _, err := f.svc.Authenticate(f.ctx, bad); !errors.Is(err, ledger.ErrBadToken) {
			t.Errorf("Authenticate(%q) = %v, want ErrBadToken", bad, err)
		}
	}
	if err := f.svc.RevokeToken(f.ctx, a.TokenID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Authenticate(f.ctx, secret); !errors.Is(err, ledger.ErrBadToken) {
		t.Errorf("revoked token: %v, want ErrBadToken", err)
	}
	_, _, err := f.svc.CreateToken(f.ctx, ledger.TokenSpec{Name: "old", Role: tally.Reviewer, Expires: now.Add(-time.Hour)})
	wantCode(t, err, tally.EInvalid, "has passed")
	_, _, err = f.svc.CreateToken(as(tally.Reviewer, "reviewer", nil), ledger.TokenSpec{Name: "x", Role: tally.Admin})
	wantCode(t, err, tally.EForbidden, "")
	_, _, err = f.svc.CreateToken(f.ctx, ledger.TokenSpec{Name: "x", Role: tally.Recorder, Schemes: []string{"nowhere"}})
	wantCode(t, err, tally.ENotFound, "nowhere")
	list, err := f.svc.Tokens(f.ctx, 0, 10)
	if err != nil || len(list) != 1 || list[0].Revoked.IsZero() || list[0].Hash == nil {
		t.Errorf("Tokens = %+v, %v; want the one revoked token", list, err)
	}
}

// A person sees who wrote and read their record: the recorder's write with
// its identity, a reviewer's read with its purpose, a verifier's question.
func TestSubjectSeesWhoAccessedTheirRecord(t *testing.T) {
	f := newFixture(t)
	f.publishExample("city.yaml")
	f.person("rongcheng-city", zhang, "张三")
	f.person("rongcheng-city", li, "李四")
	_, recorder := f.token(ledger.TokenSpec{Name: "water-company", Role: tally.Agency, Schemes: []string{"rongcheng-city"}, Categories: []string{"utilities"}})
	_, reviewer := f.token(ledger.TokenSpec{Name: "reviewer-2", Role: tally.Reviewer})
	_, bank := f.token(ledger.TokenSpec{Name: "ICBC Weihai", Role: tally.Verifier})
	_, self := f.token(ledger.TokenSpec{Name: "张三", Role: tally.SubjectR, Subject: zhang})

	c := f.conduct("rongcheng-city", zhang, "utilities.late-fees", "2026-03-05", "water/1")
	c.By = ""
	if _, err := f.svc.Record(ledger.WithActor(f.ctx, recorder), c); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Score(ledger.WithPurpose(ledger.WithActor(f.ctx, reviewer), "objection 17"), "rongcheng-city", zhang, now); err != nil {
		t.Fatal(err)
	}
	bankCtx := ledger.WithActor(f.ctx, bank)
	ans, err := f.svc.Verify(ledger.WithPurpose(bankCtx, "home loan"), ledger.Question{Scheme: "rongcheng-city", Identifier: zhang, GradeAtLeast: "A"})
	if err != nil {
		t.Fatal(err)
	}
	if !ans.Answer || ans.Subject != "3604**********0071" {
		t.Errorf("verify = %+v, want yes (980 is grade A) for the masked subject", ans)
	}
	_, err = f.svc.Verify(ledger.WithPurpose(bankCtx, ""), ledger.Question{Scheme: "rongcheng-city", Identifier: zhang, GradeAtLeast: "A"})
	wantCode(t, err, tally.EInvalid, "purpose")
	_, err = f.svc.Score(ledger.WithPurpose(bankCtx, "curious"), "rongcheng-city", zhang, now)
	wantCode(t, err, tally.EForbidden, "")

	selfCtx := ledger.WithActor(f.ctx, self)
	if _, err := f.svc.Score(selfCtx, "rongcheng-city", zhang, now); err != nil {
		t.Errorf("a subject reading its own score: %v", err)
	}
	_, err = f.svc.Score(selfCtx, "rongcheng-city", li, now)
	wantCode(t, err, tally.EForbidden, "")
	_, err = f.svc.AccessLog(selfCtx, li, 0, 10)
	wantCode(t, err, tally.EForbidden, "")

	log, err := f.svc.AccessLog(selfCtx, zhang, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range log {
		got = append(got, e.Actor+"/"+string(e.Role)+"/"+e.Action+"/"+e.Purpose)
	}
	want := []string{
		"test/admin/add-subject/test",
		"test/admin/enrol/test",
		"water-company/agency/record/test",
		"reviewer-2/reviewer/score/objection 17",
		"ICBC Weihai/verifier/verify/home loan",
		"张三/subject/score/test",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("access log:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, e := range log {
		if e.Action == "verify" && e.Detail != "grade at least A: answered yes" {
			t.Errorf("verify entry detail %q", e.Detail)
		}
	}
}

func TestVerifySaysNoWithoutRevealingWhy(t *testing.T) {
	f := newFixture(t)
	f.publishExample("city.yaml")
	f.person("rongcheng-city", zhang, "张三")
	f.approve(f.record("rongcheng-city", zhang, "utilities.equipment-damage", "2026-03-01", "p/1").ID) // -100: grade B
	bank := ledger.WithPurpose(as(tally.Verifier, "bank", nil), "loan")
	for _, tc := range []struct {
		who, grade string
		want       bool
	}{{zhang, "A", false}, {zhang, "B", true}, {"11010519491231002X", "D", false}} {
		ans, err := f.svc.Verify(bank, ledger.Question{Scheme: "rongcheng-city", Identifier: tc.who, GradeAtLeast: tc.grade})
		if err != nil {
			t.Fatal(err)
		}
		if ans.Answer != tc.want {
			t.Errorf("%s at least %s: %v, want %v", tc.who, tc.grade, ans.Answer, tc.want)
		}
	}
	_, err := f.svc.Verify(bank, ledger.Question{Scheme: "rongcheng-city", Identifier: zhang, GradeAtLeast: "Z"})
	wantCode(t, err, tally.EInvalid, "no grade")
}
