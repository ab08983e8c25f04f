package wire

import (
	"time"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/checkindex"
	"github.com/tallycredit/tally/ledger"
)

// Catalogue is the published sanctions catalogue (GET /catalogue): the
// lists, the measures and which lists restrict which measures.
type Catalogue struct {
	Version   int              `json:"version"`
	Lists     []List           `json:"lists"`
	Measures  []tally.Measure  `json:"measures"`
	Sanctions []tally.Sanction `json:"sanctions"`
}

// List is a list of the catalogue with its term (2y) and statement period
// written as the catalogue writes them.
type List struct {
	tally.List
	Term string `json:"term"`
	// Statement is the period to state one's case before a listing takes
	// effect ("5 working days"); absent when a listing is an entry at once.
	Statement string `json:"statement,omitempty"`
}

// ListingRequest puts a subject on a list (POST /lists/{list}/entries)
// under a court's decision; Decided and Notice are dates or times in the
// catalogue's time zone.
type ListingRequest struct {
	Subject     string `json:"subject"`
	Name        string `json:"name"`
	CaseNumber  string `json:"case_number"`
	Court       string `json:"court"`
	Decided     string `json:"decided"`
	Notice      string `json:"notice"`
	Grounds     string `json:"grounds"`
	Basis       string `json:"basis"`
	Aggravation int    `json:"aggravation"`
}

// RemovalRequest takes an entry off its list (POST
// /lists/{list}/removals): which case, why, from when.
type RemovalRequest struct {
	CaseNumber string `json:"case_number"`
	Reason     string `json:"reason"`
	On         string `json:"on"`
	Note       string `json:"note"`
}

// ListEntry is a list entry as the API shows it: the subject masked.
type ListEntry = ledger.EntryView

// ListImportReport counts the rows of a list-entries import (POST
// /lists/imports).
type ListImportReport = ledger.ListImportReport

// Eligibility answers whether a subject may have a measure at an
// instant, with every reason (GET /subjects/{subject}/eligibility).
type Eligibility = ledger.Eligibility

// CheckRequest is a verifier's check of one subject against a measure
// (POST /checks).
type CheckRequest struct {
	Subject string `json:"subject"`
	Name    string `json:"name"`
	Measure string `json:"measure"`
	Purpose string `json:"purpose"`
}

// CheckAnswer is the answer to one check: nothing personal, only the
// answer and a reference under which the check can be traced.
type CheckAnswer = checkindex.CheckAnswer

// BatchRequest checks many subjects against one measure (POST
// /checks/batch).
type BatchRequest struct {
	Measure string      `json:"measure"`
	Purpose string      `json:"purpose"`
	Items   []BatchItem `json:"items"`
}

// BatchItem is one subject of a BatchRequest.
type BatchItem struct {
	Subject string `json:"subject"`
	Name    string `json:"name"`
}

// BatchAnswers answers a BatchRequest, item for item, as of one instant.
type BatchAnswers struct {
	Measure string        `json:"measure"`
	AsOf    time.Time     `json:"as_of"`
	Items   []BatchAnswer `json:"items"`
}

// BatchAnswer is the answer to one item of a batch; Error says why an
// item answered "invalid".
type BatchAnswer struct {
	Answer string `json:"answer"`
	Ref    string `json:"ref"`
	Error  string `json:"error,omitempty"`
	// Disputed: the entry behind a denial is under objection (有异议);
	// the denial stands.
	Disputed bool `json:"disputed,omitempty"`
}

// CheckStatistics counts the checks answered per measure and day from
// From to To (GET /checks/statistics): public aggregates.
type CheckStatistics struct {
	From   string             `json:"from"`
	To     string             `json:"to"`
	Counts []tally.CheckCount `json:"counts"`
}

// RevocationRequest records that a source decision was revoked or changed
// (POST /revocations): its number, what happened, when (a date in the
// catalogue's zone; empty: now) and a note such as the revoking decision.
type RevocationRequest struct {
	Source    string `json:"source"`
	Change    string `json:"change,omitempty"` // revoked (the default) or changed
	RevokedOn string `json:"revoked_on,omitempty"`
	Note      string `json:"note,omitempty"`
}

// Cascade is a recorded revocation and what it removed and reversed
// (POST and GET /revocations).
type Cascade = ledger.CascadeView
