package httpapi

import (
	"net/http"
	"strconv"

	"github.com/tallycredit/tally"
	"github.com/tallycredit/tally/ledger"
	"github.com/tallycredit/tally/wire"
)

// Due process: objections and appeals, the second-review queue, repairs,
// notices.
// Who may do what is the ledger's to decide.

// pathID reads a positive numeric path value; anything else is not found.
func pathID(r *http.Request, name, what string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, tally.Errorf(tally.ENotFound, "no %s %q", what, r.PathValue(name))
	}
	return id, nil
}

// boolParam reads ?name=true|false (absent: false).
func boolParam(r *http.Request, name string) (bool, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, tally.FieldErrorf(name, "want true or false")
	}
	return b, nil
}

func (s *Server) fileObjection(r *http.Request) (int, any, error) {
	var in wire.ObjectionRequest
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	out, err := s.svc.Object(r.Context(), ledger.ObjectionInput{Scheme: in.Scheme, Identifier: in.Subject, Record: in.Record,
		List: in.List, Case: in.CaseNumber, Grounds: in.Grounds, Evidence: in.Evidence})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, out, nil
}

func (s *Server) listObjections(r *http.Request) (int, any, error) {
	open, err := boolParam(r, "open")
	if err != nil {
		return 0, nil, err
	}
	overdue, err := boolParam(r, "overdue")
	if err != nil {
		return 0, nil, err
	}
	q := r.URL.Query()
	return idPage(r, func(after int64, limit int) ([]ledger.ObjectionView, error) {
		return s.svc.Objections(r.Context(), ledger.ObjectionQuery{Scheme: q.Get("scheme"), Identifier: q.Get("subject"),
			Open: open, Overdue: overdue, After: after, Limit: limit})
	}, func(o ledger.ObjectionView) int64 { return o.ID })
}

func (s *Server) acknowledgeObjection(r *http.Request) (int, any, error) {
	id, err := pathID(r, "id", "objection")
	if err != nil {
		return 0, nil, err
	}
	out, err := s.svc.Acknowledge(r.Context(), id)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, out, nil
}

func (s *Server) decideObjection(r *http.Request) (int, any, error) {
	id, err := pathID(r, "id", "objection")
	if err != nil {
		return 0, nil, err
	}
	var in wire.DecisionRequest
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	out, err := s.svc.Decide(r.Context(), ledger.Decision{Objection: id, Outcome: in.Outcome, Reasons: in.Reasons, Record: in.Record, Facts: in.Facts})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, out, nil
}

func (s *Server) appealObjection(r *http.Request) (int, any, error) {
	id, err := pathID(r, "id", "objection")
	if err != nil {
		return 0, nil, err
	}
	var in wire.AppealRequest
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	out, err := s.svc.Appeal(r.Context(), id, in.Grounds, in.Evidence)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, out, nil
}

func (s *Server) pendingReviews(r *http.Request) (int, any, error) {
	return idPage(r, func(after int64, limit int) ([]ledger.Held, error) {
		return s.svc.PendingReviews(r.Context(), r.URL.Query().Get("scheme"), after, limit)
	}, func(h ledger.Held) int64 { return h.RecordID })
}

func (s *Server) decideReview(approve bool) handlerFunc {
	return func(r *http.Request) (int, any, error) {
		id, err := pathID(r, "record", "held record")
		if err != nil {
			return 0, nil, err
		}
		var in wire.ReasonsRequest
		if err := decode(r, &in); err != nil {
			return 0, nil, err
		}
		decide := s.svc.Reject
		if approve {
			decide = s.svc.Approve
		}
		out, err := decide(r.Context(), id, in.Reasons)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, out, nil
	}
}

func (s *Server) applyRepair(r *http.Request) (int, any, error) {
	var in wire.RepairRequest
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	out, err := s.svc.ApplyRepair(r.Context(), ledger.RepairInput{Scheme: in.Scheme, Identifier: in.Subject, Record: in.Record, Obligations: in.Obligations})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, out, nil
}

func (s *Server) listRepairs(r *http.Request) (int, any, error) {
	open, err := boolParam(r, "open")
	if err != nil {
		return 0, nil, err
	}
	return idPage(r, func(after int64, limit int) ([]tally.Repair, error) {
		return s.svc.Repairs(r.Context(), ledger.RepairQuery{Scheme: r.URL.Query().Get("scheme"), Open: open, After: after, Limit: limit})
	}, func(p tally.Repair) int64 { return p.ID })
}

func (s *Server) decideRepair(r *http.Request) (int, any, error) {
	id, err := pathID(r, "id", "repair")
	if err != nil {
		return 0, nil, err
	}
	var in wire.RepairDecisionRequest
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	out, err := s.svc.DecideRepair(r.Context(), id, in.Approve, in.Reasons)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, out, nil
}

// listNotices lists notices with their delivery attempts and whether the
// subject acknowledged them: admins any subject's (or all), a subject its
// own.
func (s *Server) listNotices(r *http.Request) (int, any, error) {
	open, err := boolParam(r, "open")
	if err != nil {
		return 0, nil, err
	}
	return idPage(r, func(after int64, limit int) ([]tally.Notice, error) {
		return s.svc.Outbox(r.Context(), ledger.OutboxQuery{Identifier: r.URL.Query().Get("subject"), Open: open, After: after, Limit: limit})
	}, func(n tally.Notice) int64 { return n.ID })
}
