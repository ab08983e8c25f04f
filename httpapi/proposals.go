package httpapi

import (
	"net/http"

	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/wire"
)

// Proposed listings: notice before listing and the subject's statement.
// Who may do what is the ledger's to decide.

func (s *Server) listProposals(r *http.Request) (int, any, error) {
	open, err := boolParam(r, "open")
	if err != nil {
		return 0, nil, err
	}
	q := r.URL.Query()
	return idPage(r, func(after int64, limit int) ([]ledger.ProposalView, error) {
		return s.svc.Proposals(r.Context(), ledger.ProposalQuery{List: q.Get("list"), Identifier: q.Get("subject"),
			Open: open, After: after, Limit: limit})
	}, func(p ledger.ProposalView) int64 { return p.ID })
}

func (s *Server) stateCase(r *http.Request) (int, any, error) {
	id, err := pathID(r, "id", "proposal")
	if err != nil {
		return 0, nil, err
	}
	var in wire.StatementRequest
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	out, err := s.svc.StateCase(r.Context(), id, in.Text)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, out, nil
}

func (s *Server) decideProposal(r *http.Request) (int, any, error) {
	id, err := pathID(r, "id", "proposal")
	if err != nil {
		return 0, nil, err
	}
	var in wire.ProposalDecisionRequest
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	out, err := s.svc.DecideProposal(r.Context(), ledger.ProposalDecisionInput{ID: id, List: in.List, Reasons: in.Reasons})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, out, nil
}
