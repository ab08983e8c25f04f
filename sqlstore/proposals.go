package sqlstore

import (
	"context"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
)

// The queries of proposed listings, written with ? placeholders.
const (
	insertProposalQuery = `INSERT INTO list_proposals (list, subject_id, name, case_number, court, decided_on, grounds, basis,
		aggravation, state_by, proposed_at, proposed_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT DO NOTHING RETURNING id`
	insertStatementQuery = `INSERT INTO proposal_statements (proposal_id, text, stated_at, stated_by) VALUES (?, ?, ?, ?)
		ON CONFLICT DO NOTHING RETURNING proposal_id`
	insertProposalDecisionQuery = `INSERT INTO proposal_decisions (proposal_id, listed, reasons, entry_id, decided_at, decided_by)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING proposal_id`
	proposalCols = `p.id, p.list, p.subject_id, p.name, p.case_number, p.court, p.decided_on, p.grounds, p.basis, p.aggravation,
		p.state_by, p.proposed_at, p.proposed_by, s.text, s.stated_at, s.stated_by,
		d.listed, d.reasons, d.entry_id, d.decided_at, d.decided_by`
	proposalFrom = ` FROM list_proposals p LEFT JOIN proposal_statements s ON s.proposal_id = p.id
		LEFT JOIN proposal_decisions d ON d.proposal_id = p.id`
)

// InsertProposal stores a proposal and sets its ID; a case already
// proposed on the list is EConflict, an unknown subject ENotFound.
func (t *Tx) InsertProposal(ctx context.Context, p *tally.Proposal) error {
	err := t.queryRow(ctx, insertProposalQuery, p.List, p.SubjectID, p.Name, p.CaseNumber, p.Court, micros(p.DecidedOn),
		p.Grounds, p.Basis, p.Aggravation, micros(p.StateBy), micros(p.ProposedAt), p.ProposedBy).Scan(&p.ID)
	return t.insertErr(err, "insert proposal", "list %s already has a proposal for case %s", "no subject %d", p.List, p.CaseNumber, p.SubjectID)
}

// InsertStatement files a statement; a second is EConflict, an unknown
// proposal ENotFound.
func (t *Tx) InsertStatement(ctx context.Context, s *tally.Statement) error {
	var got int64
	err := t.queryRow(ctx, insertStatementQuery, s.ProposalID, s.Text, micros(s.At), s.By).Scan(&got)
	return t.insertErr(err, "insert statement", "proposal %d already has a statement", "no proposal %d", s.ProposalID)
}

// InsertProposalDecision decides a proposal; a second decision is
// EConflict, an unknown proposal or entry ENotFound.
func (t *Tx) InsertProposalDecision(ctx context.Context, d *tally.ProposalDecision) error {
	var got int64
	err := t.queryRow(ctx, insertProposalDecisionQuery, d.ProposalID, flag(d.Listed), d.Reasons, nullID(d.Entry), micros(d.At), d.By).Scan(&got)
	return t.insertErr(err, "decide proposal", "proposal %d was already decided", "no proposal %d (or its entry)", d.ProposalID)
}

// Proposal returns a proposal with its statement and decision, or ENotFound.
func (t *Tx) Proposal(ctx context.Context, id int64) (*tally.Proposal, error) {
	return one(t, scanProposal, t.queryRow(ctx, `SELECT `+proposalCols+proposalFrom+` WHERE p.id = ?`, id),
		"read proposal", "no proposal %d", id)
}

// ProposalByCase returns the proposal of a list with a case number, or
// ENotFound.
func (t *Tx) ProposalByCase(ctx context.Context, list, caseNumber string) (*tally.Proposal, error) {
	return one(t, scanProposal, t.queryRow(ctx, `SELECT `+proposalCols+proposalFrom+` WHERE p.list = ? AND p.case_number = ?`, list, caseNumber),
		"read proposal", "no proposal for case %s on list %s", caseNumber, list)
}

// Proposals returns the proposals the filter selects, by ID; Schemes are
// list ids.
func (t *Tx) Proposals(ctx context.Context, f ledger.DueFilter) ([]tally.Proposal, error) {
	w := filter(f, "p.id", "p.list", "p.subject_id")
	if f.Open {
		w.add("d.proposal_id IS NULL")
	}
	ps, err := collect(ctx, t, scanProposal, `SELECT `+proposalCols+proposalFrom+w.sql("p.id"), w.args...)
	if err != nil {
		return nil, t.wrap(err, "read proposals")
	}
	return ps, nil
}

func scanProposal(row Row) (tally.Proposal, error) {
	var (
		p                          tally.Proposal
		decided, stateBy, proposed int64
		text, statedBy             *string
		stated                     *int64
		listed, entry, decidedAt   *int64
		reasons, decidedBy         *string
	)
	err := row.Scan(&p.ID, &p.List, &p.SubjectID, &p.Name, &p.CaseNumber, &p.Court, &decided, &p.Grounds, &p.Basis,
		&p.Aggravation, &stateBy, &proposed, &p.ProposedBy, &text, &stated, &statedBy,
		&listed, &reasons, &entry, &decidedAt, &decidedBy)
	if err != nil {
		return p, err
	}
	p.DecidedOn, p.StateBy, p.ProposedAt = fromMicros(decided), fromMicros(stateBy), fromMicros(proposed)
	if stated != nil {
		p.Statement = &tally.Statement{ProposalID: p.ID, Text: *text, At: fromMicros(*stated), By: *statedBy}
	}
	if decidedAt != nil {
		p.Decision = &tally.ProposalDecision{ProposalID: p.ID, Listed: *listed != 0, Reasons: *reasons, Entry: deref(entry),
			At: fromMicros(*decidedAt), By: *decidedBy}
	}
	return p, nil
}
