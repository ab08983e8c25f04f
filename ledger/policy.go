package ledger

import (
	"bytes"
	"slices"

	"github.com/tallycredit/tally"
)

// Op names one operation a caller may ask for. Every use case, API route
// and page names the operations it performs, and Policy says who may
// perform each: the whole authorization policy is this one table.
type Op string

// Scope is how far a grant reaches.
type Scope string

// The scopes of a grant.
const (
	// Anywhere: no restriction (admins, and what the public may read).
	Anywhere Scope = "any"
	// Assigned: within the actor's assignment: its schemes, and where the
	// target names them, its rules (recorders) or categories (agencies:
	// rule categories and lists; verifiers: measures). An empty
	// assignment list means no restriction by it.
	Assigned Scope = "assigned"
	// Own: the subject itself, matched by identifier lookup hash.
	Own Scope = "own"
	// Made: entries the actor made itself, in its schemes.
	Made Scope = "made"
	// OwnAccount: the actor's own account.
	OwnAccount Scope = "own-account"
)

// Grant lets one role perform an operation within a scope.
type Grant struct {
	Role  tally.Role
	Scope Scope
}

// Permission is one row of the table: an operation, what it does in a
// reader's words, and who may.
type Permission struct {
	Op     Op
	What   string
	Grants []Grant
}

// Target is what an operation acts on, as far as authorization needs to
// know: the zero value names nothing, and a scope check against a field
// that is not named passes (a listing is then filtered to the scope).
type Target struct {
	Scheme   string
	Rule     string // a rule code (recorders' assignment)
	Category string // a rule category, list or measure (agencies', verifiers' assignment)
	Lookup   []byte // the subject's identifier lookup hash
	// lookup computes Lookup when it is nil, only if a grant needs it:
	// most checks never compare subjects, and the hash costs an HMAC.
	lookup  func() []byte
	MadeBy  string // who made the entry
	Account string // an account's name
}

// Allowed reports whether a may perform op on t under Policy.
func Allowed(a *tally.Actor, op Op, t Target) bool {
	p, ok := permissions[op]
	if !ok {
		return false
	}
	for _, g := range p.Grants {
		if g.Role == a.Role && within(a, g.Scope, t) {
			return true
		}
	}
	return false
}

// authorize is Allowed as the one refusal every use case returns.
func authorize(a *tally.Actor, op Op, t Target) error {
	if Allowed(a, op, t) {
		return nil
	}
	what := string(op)
	if p, ok := permissions[op]; ok {
		what = p.What
	}
	if t.Scheme != "" {
		what += " in scheme " + t.Scheme
	}
	return forbidden(a, what)
}

// within reports whether t lies in a's reach under scope.
func within(a *tally.Actor, scope Scope, t Target) bool {
	switch scope {
	case Anywhere:
		return true
	case Assigned:
		return inAssignment(a, t)
	case Own:
		l := t.Lookup
		if l == nil && t.lookup != nil {
			l = t.lookup()
		}
		return len(a.Lookup) > 0 && bytes.Equal(a.Lookup, l)
	case Made:
		return t.MadeBy != "" && t.MadeBy == a.Name && (t.Scheme == "" || a.InScheme(t.Scheme))
	case OwnAccount: // a signed-in account, never a token that shares its name
		return a.TokenID == 0 && t.Account != "" && t.Account == a.Name
	}
	return false
}

func inAssignment(a *tally.Actor, t Target) bool {
	if t.Scheme != "" && !a.InScheme(t.Scheme) {
		return false
	}
	if t.Rule != "" && len(a.Rules) > 0 && !slices.Contains(a.Rules, t.Rule) {
		return false
	}
	if t.Category != "" && len(a.Categories) > 0 && !slices.Contains(a.Categories, t.Category) {
		return false
	}
	return true
}

// GrantOf returns the scope in which role may perform op, if at all.
func GrantOf(op Op, role tally.Role) (Scope, bool) {
	for _, g := range permissions[op].Grants {
		if g.Role == role {
			return g.Scope, true
		}
	}
	return "", false
}

// RolesFor returns the roles that may perform op in some scope, for pages
// that offer an operation only to those who may ask for it (the use case
// still decides on the target).
func RolesFor(op Op) []tally.Role {
	var out []tally.Role
	for _, g := range permissions[op].Grants {
		if !slices.Contains(out, g.Role) {
			out = append(out, g.Role)
		}
	}
	return out
}

// permissions indexes Policy by operation.
var permissions = func() map[Op]Permission {
	m := make(map[Op]Permission, len(Policy))
	for _, p := range Policy {
		if _, dup := m[p.Op]; dup {
			panic("ledger: operation " + string(p.Op) + " is twice in Policy")
		}
		m[p.Op] = p
	}
	return m
}()
