package wire

import (
	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// ObjectionRequest files an objection (POST /objections): to a record
// (Scheme and Record), to a list entry (List and CaseNumber) or to a score
// (Scheme only).
type ObjectionRequest struct {
	Scheme     string `json:"scheme,omitempty"`
	Subject    string `json:"subject"`
	Record     int64  `json:"record,omitempty"`
	List       string `json:"list,omitempty"`
	CaseNumber string `json:"case_number,omitempty"`
	Grounds    string `json:"grounds"`
	Evidence   string `json:"evidence,omitempty"`
}

// Objection is an objection or appeal with what a reader needs beside it:
// the subject (masked), what it is about, whether a deadline passed, and
// until when it may be appealed.
type Objection = ledger.ObjectionView

// DecisionRequest decides an objection (POST /objections/{id}/decision).
// A correction names the corrected record and its facts as NAME=VALUE.
type DecisionRequest struct {
	Outcome tally.Outcome `json:"outcome"`
	Reasons string        `json:"reasons"`
	Record  int64         `json:"record,omitempty"`
	Facts   []string      `json:"facts,omitempty"`
}

// AppealRequest appeals the decision on an objection (POST
// /objections/{id}/appeal).
type AppealRequest struct {
	Grounds  string `json:"grounds"`
	Evidence string `json:"evidence"`
}

// ReasonsRequest approves or rejects a held record (POST
// /reviews/{record}/approval or /rejection), saying why.
type ReasonsRequest struct {
	Reasons string `json:"reasons"`
}

// Held is a record waiting for a second person, as the review queue
// shows it.
type Held = ledger.Held

// RepairRequest applies for credit repair of a deduction (POST /repairs):
// how the obligations behind it were met.
type RepairRequest struct {
	Scheme      string `json:"scheme"`
	Subject     string `json:"subject"`
	Record      int64  `json:"record"`
	Obligations string `json:"obligations"`
}

// RepairDecisionRequest approves or refuses a repair (POST
// /repairs/{id}/decision).
type RepairDecisionRequest struct {
	Approve bool   `json:"approve"`
	Reasons string `json:"reasons"`
}
