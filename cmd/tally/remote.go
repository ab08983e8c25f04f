package main

import (
	"strconv"
	"strings"

	"github.com/tallycredit/tally/client"
	"github.com/tallycredit/tally/ledger"
)

// remote reports whether the command should call a server rather than
// open a database.
func (e *env) remote() bool { return e.cfg.Server != "" }

// client returns the API client of remote mode.
// It asks the server for refusals in the operator's language.
func (e *env) client() *client.Client {
	return client.New(e.cfg.Server, e.cfg.Token, nil).InLanguage(e.cfg.Lang)
}

// entries turns the client's entries into the ledger's, to print them alike.
func entries(in []client.Entry) []ledger.Entry {
	out := make([]ledger.Entry, len(in))
	for i, c := range in {
		out[i] = ledger.Entry{Record: c.Record, Title: c.Title, Category: c.Category, Basis: c.Basis, Severity: c.Severity, Reversed: c.Reversed}
	}
	return out
}

// remoteFacts types "name=value" arguments by the rule's declarations,
// which it reads from the server's published rulebook.
func (e *env) remoteFacts(scheme, rule string, args []string) (map[string]any, error) {
	facts := map[string]any{}
	if len(args) == 0 {
		return facts, nil
	}
	sc, err := e.client().Scheme(e.ctx, scheme)
	if err != nil {
		return nil, err
	}
	types := map[string]string{}
	for _, r := range sc.Rules {
		if r.Code == rule {
			for _, f := range r.Facts {
				types[f.Name] = f.Type
			}
		}
	}
	for _, kv := range args {
		name, value, ok := strings.Cut(kv, "=")
		if !ok {
			return nil, e.fieldErrorf("fact", "cli.fact.want_name_value", kv)
		}
		switch types[name] {
		case "number":
			v, err := strconv.ParseFloat(value, 64)
			if err != nil {
				return nil, e.fieldErrorf("facts."+name, "cli.fact.not_number", value)
			}
			facts[name] = v
		case "integer":
			v, err := strconv.ParseInt(value, 10, 64)
			if err != nil {
				return nil, e.fieldErrorf("facts."+name, "cli.fact.not_whole", value)
			}
			facts[name] = v
		case "bool":
			v, err := strconv.ParseBool(value)
			if err != nil {
				return nil, e.fieldErrorf("facts."+name, "cli.fact.not_bool", value)
			}
			facts[name] = v
		default: // text, or a fact the rule does not declare: the server says which
			facts[name] = value
		}
	}
	return facts, nil
}
