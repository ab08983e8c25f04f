package wire

import (
	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// CommitmentRequest records a signed credit commitment (POST
// /commitments): what the subject promises, in Chinese and English, the
// day it is due in the scheme's zone, the deduction a breach is recorded
// under, and the permit or measure granted at once.
type CommitmentRequest struct {
	Scheme  string     `json:"scheme"`
	Subject string     `json:"subject"`
	What    tally.Text `json:"what"`
	Due     string     `json:"due"`
	Rule    string     `json:"rule"`
	Permit  string     `json:"permit"`
}

// SettleRequest records a commitment's fulfilment or breach (POST
// /commitments/{id}/fulfilment or /breach): what the official found, and
// for a breach the rule's facts as NAME=VALUE.
type SettleRequest struct {
	Note  string   `json:"note"`
	Facts []string `json:"facts,omitempty"`
}

// Commitment is a commitment with its subject (masked) and its state now:
// granted, overdue (past its day and not settled: an official decides),
// fulfilled or breached.
type Commitment = ledger.CommitmentView
