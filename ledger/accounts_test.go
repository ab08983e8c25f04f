package ledger_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// Accounts: only admins make them; names, roles, passwords and the
// subject of a resident's account are checked; a password is stored only
// as an argon2id hash.
func TestCreateAccountChecksItsInput(t *testing.T) {
	f := newFixture(t)
	f.publishExample("village.yaml")
	f.person("jiakuang-majia", zhang, "张伟")
	good := ledger.AccountSpec{Name: "wang", Password: "long enough pass", Role: tally.Recorder, Schemes: []string{"jiakuang-majia"}}
	for _, c := range []struct {
		name  string
		edit  func(*ledger.AccountSpec)
		field string
	}{
		{"bad name", func(s *ledger.AccountSpec) { s.Name = "Wang Wei" }, "name"},
		{"short password", func(s *ledger.AccountSpec) { s.Password = "short" }, "password"},
		{"unknown role", func(s *ledger.AccountSpec) { s.Role = "mayor" }, "role"},
		{"public role", func(s *ledger.AccountSpec) { s.Role = tally.Public }, "role"},
		{"resident without identifier", func(s *ledger.AccountSpec) { s.Role = tally.SubjectR }, "subject"},
		{"recorder with identifier", func(s *ledger.AccountSpec) { s.Subject = zhang }, "subject"},
	} {
		spec := good
		c.edit(&spec)
		_, err := f.svc.CreateAccount(f.ctx, spec)
		var e *tally.Error
		if !errors.As(err, &e) || e.Code != tally.EInvalid || e.Field != c.field {
			t.Errorf("%s: %v, want invalid %s", c.name, err, c.field)
		}
	}
	bad := good
	bad.Schemes = []string{"nowhere"}
	if _, err := f.svc.CreateAccount(f.ctx, bad); tally.ErrorCodeOf(err) != tally.ENotFound {
		t.Errorf("an unknown scheme: %v, want not found", err)
	}
	recorder := ledger.WithActor(context.Background(), &tally.Actor{Name: "r", Role: tally.Recorder})
	if _, err := f.svc.CreateAccount(recorder, good); tally.ErrorCodeOf(err) != tally.EForbidden {
		t.Errorf("a recorder makes an account: %v, want forbidden", err)
	}
	a, err := f.svc.CreateAccount(f.ctx, good)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(a.PasswordHash, "$argon2id$v=19$m=19456,t=2,p=1$") || strings.Contains(a.PasswordHash, good.Password) {
		t.Errorf("stored hash %q, want an argon2id PHC string", a.PasswordHash)
	}
	if _, err := f.svc.CreateAccount(f.ctx, good); tally.ErrorCodeOf(err) != tally.EConflict {
		t.Errorf("the same name again: %v, want conflict", err)
	}
	list, err := f.svc.Accounts(f.ctx, 0, 10)
	if err != nil || len(list) != 1 || list[0].PasswordHash != "" {
		t.Errorf("accounts: %+v %v, want one, without its hash", list, err)
	}
}

// Sign-in gives a session that stands for the account's role and scope;
// it ends at sign-out, at its end, or when the account is disabled. A
// wrong password, an unknown name and a disabled account get one answer.
func TestSignInSessions(t *testing.T) {
	f := newFixture(t)
	f.publishExample("village.yaml")
	f.person("jiakuang-majia", zhang, "张伟")
	clock := now
	svc := ledger.New(f.db, f.vault, ledger.Options{Now: func() time.Time { return clock }})
	for _, spec := range []ledger.AccountSpec{
		{Name: "wang", Password: "long enough pass", Role: tally.Recorder, Schemes: []string{"jiakuang-majia"}, Rules: []string{"labour.volunteer"}},
		{Name: "zhang", Password: "another long pass", Role: tally.SubjectR, Subject: zhang},
	} {
		if _, err := svc.CreateAccount(f.ctx, spec); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	for _, c := range [][2]string{{"wang", "wrong password!"}, {"nobody", "long enough pass"}, {"", ""}} {
		if _, _, err := svc.SignIn(ctx, c[0], c[1]); !errors.Is(err, ledger.ErrBadSignIn) {
			t.Errorf("sign in %q %q: %v, want ErrBadSignIn", c[0], c[1], err)
		}
	}
	secret, sess, err := svc.SignIn(ctx, "wang", "long enough pass")
	if err != nil {
		t.Fatal(err)
	}
	if !sess.Expires.Equal(now.Add(ledger.SessionLength)) || len(sess.CSRF) < 40 {
		t.Errorf("session %+v, want it to end after %v with a long CSRF value", sess, ledger.SessionLength)
	}
	actor, _, err := svc.Session(ctx, secret)
	if err != nil || actor.Name != "wang" || actor.Role != tally.Recorder || actor.Rules[0] != "labour.volunteer" || actor.TokenID != 0 {
		t.Errorf("session actor %+v %v, want recorder wang with its rules", actor, err)
	}
	if _, _, err := svc.Session(ctx, secret+"x"); !errors.Is(err, ledger.ErrNoSession) {
		t.Errorf("a wrong secret: %v, want ErrNoSession", err)
	}
	clock = now.Add(ledger.SessionLength)
	if _, _, err := svc.Session(ctx, secret); !errors.Is(err, ledger.ErrNoSession) {
		t.Errorf("a session at its end: %v, want ErrNoSession", err)
	}
	clock = now
	resident, _, err := svc.SignIn(ctx, "zhang", "another long pass")
	if err != nil {
		t.Fatal(err)
	}
	self, _, err := svc.Session(ctx, resident)
	if err != nil {
		t.Fatal(err)
	}
	me, err := svc.Me(ledger.WithActor(ctx, self))
	if err != nil || me.Identifier != zhang || len(me.Schemes) != 1 {
		t.Errorf("a resident's own page: %+v %v, want zhang in one scheme", me, err)
	}
	if err := svc.SignOut(ctx, resident); err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.Session(ctx, resident); !errors.Is(err, ledger.ErrNoSession) {
		t.Errorf("after sign-out: %v, want ErrNoSession", err)
	}
	// A holder changes their own password, not another's; disabling an
	// account ends its sessions.
	again, _, err := svc.SignIn(ctx, "wang", "long enough pass")
	if err != nil {
		t.Fatal(err)
	}
	wang, _, _ := svc.Session(ctx, again)
	if err := svc.SetPassword(ledger.WithActor(ctx, wang), "zhang", "taken over!!"); tally.ErrorCodeOf(err) != tally.EForbidden {
		t.Errorf("set another's password: %v, want forbidden", err)
	}
	if err := svc.SetPassword(ledger.WithActor(ctx, wang), "wang", "a new long password"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.SignIn(ctx, "wang", "long enough pass"); !errors.Is(err, ledger.ErrBadSignIn) {
		t.Errorf("the old password: %v, want ErrBadSignIn", err)
	}
	if err := svc.DisableAccount(f.ctx, "wang"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.Session(ctx, again); !errors.Is(err, ledger.ErrNoSession) {
		t.Errorf("a session of a disabled account: %v, want ErrNoSession", err)
	}
	if _, _, err := svc.SignIn(ctx, "wang", "a new long password"); !errors.Is(err, ledger.ErrBadSignIn) {
		t.Errorf("a disabled account signs in: %v, want ErrBadSignIn", err)
	}
}

// A recorder finds enrolled people by part of a name or unit, by the
// last digits of the number, or by the whole number; only in its schemes.
func TestFindPeople(t *testing.T) {
	f := newFixture(t)
	f.publishExample("village.yaml")
	f.person("jiakuang-majia", zhang, "张伟")
	f.person("jiakuang-majia", li, "李娜")
	rec := ledger.WithActor(context.Background(), &tally.Actor{Name: "r", Role: tally.Recorder, Schemes: []string{"jiakuang-majia"}})
	for _, c := range []struct{ q, want string }{{"张", "张伟"}, {"0071", "张伟"}, {zhang, "张伟"}, {"001x", "李娜"}} {
		got, err := f.svc.Find(rec, "jiakuang-majia", c.q)
		if err != nil || len(got) != 1 || got[0].Name != c.want || got[0].Identifier == "" {
			t.Errorf("find %q: %+v %v, want %s", c.q, got, err, c.want)
		}
	}
	if got, err := f.svc.Find(rec, "jiakuang-majia", "王"); err != nil || len(got) != 0 {
		t.Errorf("find nobody: %+v %v", got, err)
	}
	other := ledger.WithActor(context.Background(), &tally.Actor{Name: "r", Role: tally.Recorder, Schemes: []string{"rongcheng-city"}})
	if _, err := f.svc.Find(other, "jiakuang-majia", "张"); tally.ErrorCodeOf(err) != tally.EForbidden {
		t.Errorf("a recorder of another scheme: %v, want forbidden", err)
	}
	resident := ledger.WithActor(context.Background(), &tally.Actor{Name: "z", Role: tally.SubjectR})
	if _, err := f.svc.Find(resident, "jiakuang-majia", "李"); tally.ErrorCodeOf(err) != tally.EForbidden {
		t.Errorf("a resident searches: %v, want forbidden", err)
	}
}
