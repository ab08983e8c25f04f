package demo

import (
	"context"
	"fmt"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// Account is a demo sign-in for one role. The passwords are printed: a
// demo database is for trying tally on one's own machine, never for use.
type Account struct {
	Role     tally.Role `json:"role"`
	Name     string     `json:"name"`
	Password string     `json:"password"`
	Scope    string     `json:"scope,omitempty"`
}

// addAccounts creates one web account per role that has pages: the
// resident is the village's example person.
func addAccounts(ctx context.Context, svc *ledger.Service, sum *Summary) error {
	village := "jiakuang-majia"
	specs := []ledger.AccountSpec{
		{Name: "admin", Role: tally.Admin},
		{Name: "rule-maker", Role: tally.RuleMaker, Schemes: []string{village}},
		{Name: "recorder", Role: tally.Recorder, Schemes: []string{village}},
		{Name: "reviewer", Role: tally.Reviewer, Schemes: []string{village, "rongcheng-city"}},
		{Name: "resident", Role: tally.SubjectR, Subject: sum.Try[village].Identifier},
	}
	for _, spec := range specs {
		spec.Password = spec.Name + "-demo-pass"
		if _, err := svc.CreateAccount(ctx, spec); err != nil {
			return fmt.Errorf("demo account %s: %w", spec.Name, err)
		}
		a := Account{Role: spec.Role, Name: spec.Name, Password: spec.Password}
		switch {
		case spec.Subject != "":
			a.Scope = sum.Try[village].Name
		case len(spec.Schemes) > 0:
			a.Scope = fmt.Sprint(spec.Schemes)
		}
		sum.Accounts = append(sum.Accounts, a)
	}
	return nil
}
