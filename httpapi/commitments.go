package httpapi

import (
	"net/http"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/wire"
)

// Credit commitments: signed and granted at once, then fulfilled or
// breached by an official. Who may do what is the ledger's to decide.

func (s *Server) signCommitment(r *http.Request) (int, any, error) {
	var in wire.CommitmentRequest
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	out, err := s.svc.Sign(r.Context(), ledger.CommitmentInput{Scheme: in.Scheme, Identifier: in.Subject, What: in.What,
		Due: in.Due, Rule: in.Rule, Permit: in.Permit})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, out, nil
}

func (s *Server) listCommitments(r *http.Request) (int, any, error) {
	open, err := boolParam(r, "open")
	if err != nil {
		return 0, nil, err
	}
	overdue, err := boolParam(r, "overdue")
	if err != nil {
		return 0, nil, err
	}
	q := r.URL.Query()
	return idPage(r, func(after int64, limit int) ([]ledger.CommitmentView, error) {
		return s.svc.Commitments(r.Context(), ledger.CommitmentQuery{Scheme: q.Get("scheme"), Identifier: q.Get("subject"),
			Open: open, Overdue: overdue, After: after, Limit: limit})
	}, func(c ledger.CommitmentView) int64 { return c.ID })
}

// settleCommitment records a commitment's outcome.
func (s *Server) settleCommitment(outcome tally.CommitmentOutcome) handlerFunc {
	return func(r *http.Request) (int, any, error) {
		id, err := pathID(r, "id", "commitment")
		if err != nil {
			return 0, nil, err
		}
		var in wire.SettleRequest
		if err := decode(r, &in); err != nil {
			return 0, nil, err
		}
		settle := s.svc.Fulfil
		if outcome == tally.Breached {
			settle = s.svc.Breach
		}
		out, err := settle(r.Context(), ledger.Settle{ID: id, Note: in.Note, Facts: in.Facts})
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, out, nil
	}
}
