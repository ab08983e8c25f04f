package wire

import "github.com/tallycredit/tally/ledger"

// Proposal is a proposed listing (notice before listing, 陈述申辩): what
// the agency would list, the subject (masked), the last day to state its
// case, its statement and the decision, and its state now. POST
// /lists/{list}/entries answers 202 with one on a list with a statement
// period.
type Proposal = ledger.ProposalView

// StatementRequest states the subject's case on a proposal (POST
// /proposals/{id}/statement).
type StatementRequest struct {
	Text string `json:"text"`
}

// ProposalDecisionRequest decides a proposal (POST
// /proposals/{id}/decision): list it (the entry is made) or drop it, with
// the reasons.
type ProposalDecisionRequest struct {
	List    bool   `json:"list"`
	Reasons string `json:"reasons"`
}
