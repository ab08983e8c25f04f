package ledger

import (
	"context"

	"github.com/tallycredit/tally"
)

// Proposals keeps proposed listings, their statements and decisions, all
// append-only: a proposal is stated once and decided once, each by a row
// of its own.
type Proposals interface {
	// InsertProposal stores a proposal and sets its ID; a case number
	// already proposed on the list is a conflict.
	InsertProposal(ctx context.Context, p *tally.Proposal) error
	// InsertStatement files the subject's statement; a second one is a
	// conflict, an unknown proposal ENotFound.
	InsertStatement(ctx context.Context, s *tally.Statement) error
	// InsertProposalDecision decides a proposal; a second decision is a
	// conflict, an unknown proposal ENotFound.
	InsertProposalDecision(ctx context.Context, d *tally.ProposalDecision) error
	// Proposal returns a proposal with its statement and decision, or
	// ENotFound.
	Proposal(ctx context.Context, id int64) (*tally.Proposal, error)
	// ProposalByCase returns the proposal of a list with a case number, or
	// ENotFound.
	ProposalByCase(ctx context.Context, list, caseNumber string) (*tally.Proposal, error)
	// Proposals returns up to f.Limit proposals with IDs above f.After, by
	// ID: of one subject when f.SubjectID is set, of f.Schemes' lists (read
	// as list ids) when set, only the undecided when f.Open.
	Proposals(ctx context.Context, f DueFilter) ([]tally.Proposal, error)
}
