package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/rulebook"
)

// adminView is the administrator's page: schemes and their versions,
// publishing, accounts and tokens. Rule-makers see only the rulebooks.
type adminView struct {
	Schemes  [][]ledger.Version
	Accounts []tally.Account
	Tokens   []ledger.TokenInfo
	Source   string
	Report   rulebook.Report
	Linted   bool
	Done     string // what the last action did
	Secret   string // a new token's secret, shown this once
	Account  accountForm
	Errors   fieldErrors
	Roles    []tally.Role
	// CalendarGaps are the years the working-day calendar lacks but needs:
	// a banner (admins only) with ImportCommand in a field to copy.
	CalendarGaps  []ledger.CalendarGap
	ImportCommand string
}

// accountForm is the form that adds an account or a token.
type accountForm struct {
	Name, Role, Schemes, Rules, Categories, Subject string
}

func (s *Server) adminPage(w http.ResponseWriter, r *http.Request, q *req) {
	v := adminView{Errors: fieldErrors{}, Done: r.URL.Query().Get("done")}
	s.renderAdmin(w, r, q, http.StatusOK, v)
}

// renderAdmin fills in the lists and shows the page.
func (s *Server) renderAdmin(w http.ResponseWriter, r *http.Request, q *req, status int, v adminView) {
	ctx := r.Context()
	latest, err := s.schemesOf(ctx, q.actor)
	if err != nil {
		s.failErr(w, r, q, err)
		return
	}
	for _, l := range latest {
		vs, err := s.svc.Versions(ctx, l.Scheme)
		if err != nil {
			s.failErr(w, r, q, err)
			return
		}
		v.Schemes = append(v.Schemes, vs)
	}
	if q.actor.Role == tally.Admin {
		if v.Accounts, err = s.svc.Accounts(ctx, 0, ledger.MaxPage); err != nil {
			s.failErr(w, r, q, err)
			return
		}
		tokens, err := s.svc.Tokens(ctx, 0, ledger.MaxPage)
		if err != nil {
			s.failErr(w, r, q, err)
			return
		}
		for i := range tokens {
			v.Tokens = append(v.Tokens, ledger.InfoOf(&tokens[i]))
		}
		if v.CalendarGaps, err = s.svc.CalendarGaps(ctx, time.Time{}); err != nil {
			s.failErr(w, r, q, err)
			return
		}
	}
	v.ImportCommand = ledger.CalendarImportCommand
	v.Roles = []tally.Role{tally.Recorder, tally.Reviewer, tally.SubjectR, tally.Agency, tally.Verifier, tally.RuleMaker, tally.Admin}
	s.render(w, r, q, status, "admin", v)
}

// adminRulebook checks a rulebook, and publishes it when asked to and it
// has no errors.
func (s *Server) adminRulebook(w http.ResponseWriter, r *http.Request, q *req) {
	v := adminView{Errors: fieldErrors{}, Source: r.PostFormValue("source"), Linted: true}
	if blank(v.Source) {
		v.Errors["source"] = q.msgs.Text("err.required")
		s.renderAdmin(w, r, q, http.StatusUnprocessableEntity, v)
		return
	}
	_, v.Report = rulebook.Load("rulebook.yaml", []byte(v.Source))
	if r.PostFormValue("action") != "publish" || len(v.Report.Errors()) > 0 {
		s.renderAdmin(w, r, q, http.StatusOK, v)
		return
	}
	p, err := s.svc.Publish(r.Context(), "rulebook.yaml", []byte(v.Source))
	if err != nil {
		if !v.Errors.take(q, err, map[string]string{}) {
			s.failErr(w, r, q, err)
			return
		}
		s.renderAdmin(w, r, q, http.StatusUnprocessableEntity, v)
		return
	}
	done := q.msgs.Text("admin.published", p.Version.Scheme, p.Version.Version)
	http.Redirect(w, r, "/admin?done="+urlQuery(done), http.StatusSeeOther)
}

// adminCreateAccount adds a web account.
func (s *Server) adminCreateAccount(w http.ResponseWriter, r *http.Request, q *req) {
	f := readAccountForm(r)
	v := adminView{Errors: fieldErrors{}, Account: f}
	_, err := s.svc.CreateAccount(r.Context(), ledger.AccountSpec{Name: f.Name, Password: r.PostFormValue("password"),
		Role: tally.Role(f.Role), Schemes: list(f.Schemes), Rules: list(f.Rules), Categories: list(f.Categories), Subject: f.Subject})
	if err != nil {
		if !v.Errors.take(q, err, map[string]string{"name": "name", "password": "password", "role": "role", "subject": "subject"}) {
			s.failErr(w, r, q, err)
			return
		}
		s.renderAdmin(w, r, q, http.StatusUnprocessableEntity, v)
		return
	}
	http.Redirect(w, r, "/admin?done="+urlQuery(q.msgs.Text("admin.account_added", f.Name)), http.StatusSeeOther)
}

func (s *Server) adminDisableAccount(w http.ResponseWriter, r *http.Request, q *req) {
	name := r.PathValue("name")
	if err := s.svc.DisableAccount(r.Context(), name); err != nil {
		s.failErr(w, r, q, err)
		return
	}
	http.Redirect(w, r, "/admin?done="+urlQuery(q.msgs.Text("admin.account_disabled", name)), http.StatusSeeOther)
}

// adminCreateToken makes an API token and shows its secret once.
func (s *Server) adminCreateToken(w http.ResponseWriter, r *http.Request, q *req) {
	f := readAccountForm(r)
	v := adminView{Errors: fieldErrors{}}
	spec := ledger.TokenSpec{Name: f.Name, Role: tally.Role(f.Role), Schemes: list(f.Schemes), Rules: list(f.Rules),
		Categories: list(f.Categories), Subject: f.Subject}
	if days, err := strconv.Atoi(plain(r.PostFormValue("days"))); err == nil && days > 0 {
		spec.Expires = s.svc.Now().Add(time.Duration(days) * 24 * time.Hour)
	}
	secret, _, err := s.svc.CreateToken(r.Context(), spec)
	if err != nil {
		if !v.Errors.take(q, err, map[string]string{"name": "token_name", "role": "token_role", "subject": "token_subject"}) {
			s.failErr(w, r, q, err)
			return
		}
		s.renderAdmin(w, r, q, http.StatusUnprocessableEntity, v)
		return
	}
	v.Secret = secret
	s.renderAdmin(w, r, q, http.StatusOK, v)
}

func (s *Server) adminRevokeToken(w http.ResponseWriter, r *http.Request, q *req) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err := s.svc.RevokeToken(r.Context(), id); err != nil {
		s.failErr(w, r, q, err)
		return
	}
	http.Redirect(w, r, "/admin?done="+urlQuery(q.msgs.Text("admin.token_revoked", id)), http.StatusSeeOther)
}

func readAccountForm(r *http.Request) accountForm {
	g := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	return accountForm{Name: g("name"), Role: g("role"), Schemes: g("schemes"), Rules: g("rules"), Categories: g("categories"), Subject: g("subject")}
}

// list splits a comma-separated field.
func list(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
