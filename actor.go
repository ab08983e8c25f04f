package tally

import (
	"slices"
	"time"
)

// Role is what an actor may do. Each role sees and changes only what its
// work needs; see ledger/authorize.go for the whole table.
type Role string

// The roles.
const (
	Admin     Role = "admin"      // runs the deployment: everything, always logged
	RuleMaker Role = "rule-maker" // publishes rulebooks of its schemes
	Recorder  Role = "recorder"   // records conduct under the rules and schemes it is given
	Agency    Role = "agency"     // submits records of its own rule categories
	Reviewer  Role = "reviewer"   // reads records to decide on them; reverses records
	Verifier  Role = "verifier"   // asks yes/no questions about one identifier, never browses
	SubjectR  Role = "subject"    // a person or organisation reading their own record
	Public    Role = "public"     // rulebooks and aggregate statistics only
)

// Roles lists every role.
var Roles = []Role{Admin, RuleMaker, Recorder, Agency, Reviewer, Verifier, SubjectR, Public}

// ParseRole accepts a role's name.
func ParseRole(s string) (Role, bool) {
	r := Role(s)
	return r, slices.Contains(Roles, r)
}

// Actor is who calls a use case: an API token's holder, or the operator at
// the command line. An empty scope list means no restriction by that scope.
type Actor struct {
	Name       string
	Role       Role
	Schemes    []string // schemes it may act in
	Rules      []string // recorders: the rule codes it may record
	Categories []string // agencies: the rule categories it may submit
	Lookup     []byte   // the subject role: its own identifier's lookup hash
	TokenID    int64    // 0 at the command line
}

// InScheme reports whether the actor's scope covers a scheme.
func (a *Actor) InScheme(scheme string) bool {
	return len(a.Schemes) == 0 || slices.Contains(a.Schemes, scheme)
}

// Token is an API token as stored: never the secret, only its hash.
type Token struct {
	ID         int64
	Name       string // who holds it, e.g. "recorder-7" or "ICBC Weihai branch"
	Hash       []byte // SHA-256 of the secret
	Role       Role
	Schemes    []string
	Rules      []string
	Categories []string
	Lookup     []byte // the subject role: the subject's lookup hash
	Created    time.Time
	CreatedBy  string
	Expires    time.Time // zero: never
	Revoked    time.Time // zero: not revoked
}

// Access is one entry of the access log: who read or changed a subject's
// data, when, why and on what authority. Entries are appended, never
// changed; after the retention period they move, unchanged, to the
// archive, and are never deleted.
type Access struct {
	ID        int64
	At        time.Time
	SubjectID int64
	Scheme    string
	Actor     string
	Role      Role
	TokenID   int64
	Action    string // score, explain, history, verify, record, reverse, enrol, add-subject, import
	Purpose   string
	Detail    string // e.g. "record #12", "answered yes"
	// Op and Scope are the authority the entry was made under: the
	// operation of the authorization policy that allowed it (such as
	// "subjects.read") and how far the actor's grant reached ("own",
	// "assigned", "any"). Both are empty in entries written before they
	// were kept.
	Op    string
	Scope string
	// Archived reports that the entry was read from the archive.
	Archived bool
}

// SavedResponse is the first response to a write sent with an
// Idempotency-Key, kept so that a retry gets the same answer.
type SavedResponse struct {
	Actor       string
	Key         string
	RequestHash string
	Status      int
	Body        []byte
	At          time.Time
}
