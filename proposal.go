package tally

import "time"

// Notice before listing (陈述申辩): on a list whose catalogue entry sets a
// statement period, a listing starts as a proposal. The subject is told
// the reasons, the basis and its rights, and may state its case until the
// period ends; only then, or once it has stated its case, does someone
// other than the proposer decide to list (an entry is made) or to drop it.
// A proposal restricts nothing. Storage is append-only: the statement and
// the decision are rows of their own.

// NoticeProposal is the kind of a notice about a proposed listing: its
// notice before listing, or that it was dropped.
const NoticeProposal NoticeKind = "proposal"

// EntryProposed is the status a listing has while it is only proposed:
// there is no entry yet.
const EntryProposed EntryStatus = "proposed"

// ProposalState is where a proposal stands at an instant.
type ProposalState string

// The states of a proposal.
const (
	ProposalStating ProposalState = "stating" // the statement period runs and no statement was filed
	ProposalDue     ProposalState = "due"     // stated, or the period ended: a decision is due
	ProposalListed  ProposalState = "listed"  // decided: the entry was made
	ProposalDropped ProposalState = "dropped" // decided: not listed
)

// Proposal is a proposed listing: the decision the agency would take,
// with the subject's period to state its case.
type Proposal struct {
	ID          int64     `json:"id"`
	List        string    `json:"list"`
	SubjectID   int64     `json:"-"`
	Name        string    `json:"name"` // the subject's name as the decision gives it
	CaseNumber  string    `json:"case_number"`
	Court       string    `json:"court"` // the issuing body
	DecidedOn   time.Time `json:"decided_on"`
	Grounds     string    `json:"grounds"`
	Basis       string    `json:"basis"`
	Aggravation int       `json:"aggravation_years,omitempty"`
	// StateBy is the end of the last local day on which the subject may
	// state its case.
	StateBy    time.Time         `json:"state_by"`
	ProposedAt time.Time         `json:"proposed_at"`
	ProposedBy string            `json:"proposed_by"`
	Statement  *Statement        `json:"statement,omitempty"`
	Decision   *ProposalDecision `json:"decision,omitempty"`
}

// Statement is the subject's case (陈述申辩) on a proposal: filed once.
type Statement struct {
	ProposalID int64     `json:"-"`
	Text       string    `json:"text"`
	At         time.Time `json:"at"`
	By         string    `json:"by"`
}

// ProposalDecision is the one decision on a proposal: list (Entry is the
// entry made) or drop, with its reasons.
type ProposalDecision struct {
	ProposalID int64     `json:"-"`
	Listed     bool      `json:"listed"`
	Reasons    string    `json:"reasons"`
	Entry      int64     `json:"entry,omitzero"`
	At         time.Time `json:"at"`
	By         string    `json:"by"`
}

// State returns where the proposal stands at instant now.
func (p *Proposal) State(now time.Time) ProposalState {
	switch {
	case p.Decision != nil && p.Decision.Listed:
		return ProposalListed
	case p.Decision != nil:
		return ProposalDropped
	case p.Statement != nil || now.After(p.StateBy):
		return ProposalDue
	}
	return ProposalStating
}
