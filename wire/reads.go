package wire

import (
	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// Entry is a record with what its rule says (title, category, basis) and
// whether it is reversed, pending or repaired: an item of a subject's
// history and of an explanation.
type Entry = ledger.Entry

// Explanation is a score with every record in effect that makes it up.
type Explanation = ledger.Explanation

// Access is one entry of a subject's access log: who read or changed the
// subject's data, when and for what purpose.
type Access = ledger.AccessEntry

// Statistics is a scheme's grade distribution at one instant, with what
// was withheld to protect small groups.
type Statistics = ledger.Statistics

// Question is a verifier's yes/no question (POST /verify): does this
// subject hold at least this grade, now or At (a date or time)?
type Question struct {
	Scheme       string `json:"scheme"`
	Subject      string `json:"subject"`
	GradeAtLeast string `json:"grade_at_least"`
	At           string `json:"at,omitempty"`
	Purpose      string `json:"purpose"`
}

// Answer is the reply to a Question: yes or no, and no score.
type Answer = ledger.Answer

// Me says who a token belongs to and what it may do (GET /me); an empty
// scope list means no restriction by that scope.
type Me struct {
	Name       string     `json:"name"`
	Role       tally.Role `json:"role"`
	Schemes    []string   `json:"schemes"`
	Rules      []string   `json:"rules"`
	Categories []string   `json:"categories"`
}
